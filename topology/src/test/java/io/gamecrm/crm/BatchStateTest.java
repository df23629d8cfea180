package io.gamecrm.crm;

import static io.gamecrm.crm.BatchStepsFixtures.applied;
import static io.gamecrm.crm.BatchStepsFixtures.replay;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gamecrm.testing.Events;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One batch's state: a failed player's applied inputs are failed at the release and its later
 * offsets held by the gate; only the states of players that did not fail stay cached; only changed
 * states of players that did not fail are committed.
 */
class BatchStateTest {
    private final Cache<String, PlayerState> cache = Caffeine.newBuilder().executor(Runnable::run).build();
    private final PlayerGate gate = new PlayerGate(Duration.ofMinutes(1), 100);
    private final BatchState<CrmEvent> batch = new BatchState<>(List.of(), cache, gate);

    @Test
    void aFailedPlayersAppliedInputsAreFailedAtTheReleaseAndTheGateHoldsItsLaterOffsets() {
        CrmEvent bob = Events.login("bob", 1, 0, 10);
        CrmEvent ann = Events.login("ann", 1, 1, 3);
        batch.applied(applied(bob));
        batch.applied(applied(ann));

        batch.failPlayer("bob");
        List<BatchProcessor.Acked<CrmEvent>> acked = batch.release();

        assertThat(acked).extracting(BatchProcessor.Acked::handle).containsExactly(ann);
        assertThat(batch.failed()).containsExactly(bob);
        assertThat(gate.blocks(Events.login("bob", 2, 0, 11))).isTrue();
        assertThat(batch.allDurable()).isFalse();
    }

    @Test
    void onlyTheStatesOfPlayersThatDidNotFailStayCached() {
        cache.put("bob", PlayerState.fresh("bob"));
        batch.putState("bob", PlayerState.fresh("bob"));
        PlayerState ann = PlayerState.fresh("ann");
        batch.putState("ann", ann);

        batch.failPlayer("bob");
        batch.release();

        assertThat(cache.getIfPresent("bob")).isNull();
        assertThat(cache.getIfPresent("ann")).isSameAs(ann);
    }

    @Test
    void aDroppedStateLeavesTheBatchAndTheCache() {
        cache.put("bob", PlayerState.fresh("bob"));
        batch.putState("bob", PlayerState.fresh("bob"));

        batch.dropState("bob");

        assertThat(batch.hasState("bob")).isFalse();
        assertThat(batch.hasFailed("bob")).isTrue();
        assertThat(cache.getIfPresent("bob")).isNull();
    }

    @Test
    void thePlayersWhoseWritesFailedOrDidNotAnswerFail() {
        Map<String, CompletableFuture<Void>> writes = new LinkedHashMap<>();
        writes.put("ann", CompletableFuture.completedFuture(null));
        writes.put("bob", CompletableFuture.failedFuture(new RuntimeException("down")));
        writes.put("cid", new CompletableFuture<>());

        batch.failUnfinished(writes);

        assertThat(batch.hasFailed("ann")).isFalse();
        assertThat(batch.hasFailed("bob")).isTrue();
        assertThat(batch.hasFailed("cid")).isTrue();
    }

    @Test
    void theCommitWritesTheChangedStatesOfPlayersThatDidNotFail() {
        CrmEvent bob = Events.login("bob", 1, 0, 10);
        CrmEvent ann = Events.login("ann", 1, 1, 3);
        CrmEvent cid = Events.login("cid", 1, 1, 4);
        for (CrmEvent e : List.of(bob, ann, cid)) {
            batch.putState(e.playerId(), PlayerState.fresh(e.playerId()));
        }
        batch.applied(applied(bob));
        batch.applied(replay(ann, List.of(), List.of()));
        batch.applied(applied(cid));
        batch.failPlayer("cid");

        assertThat(batch.statesToCommit()).extracting(PlayerState::playerId).containsExactly("bob");
    }

    @Test
    void aStoreFailureWithoutAFailedPlayerIsNotDurable() {
        assertThat(batch.allDurable()).isTrue();
        batch.storeFailed();
        assertThat(batch.allDurable()).isFalse();
    }
}
