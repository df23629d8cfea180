package io.gamecrm.crm;

import static io.gamecrm.crm.BatchStepsFixtures.drive;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.InvocationPolicy;
import io.gamecrm.json.Json;
import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Spec of the pipelined write-behind ({@link BatchProcessor#start}, one step at a time, on the
 * test's thread; the store's answers are futures the test completes):
 * <ul>
 *   <li>while a batch's writes are in flight, the next batch is read, applied and written for other players</li>
 *   <li>a player with writes in flight waits: its later inputs join the first batch after its own
 *       is released, in arrival order, applied to the state that batch committed</li>
 *   <li>a batch's state commit is sent only after its keyed rows are written</li>
 *   <li>batches may be released out of order; each acks only its own inputs</li>
 *   <li>a failed batch fails its player's waiting inputs through the gate; the replays give the
 *       same profile as a clean run</li>
 * </ul>
 */
class PipelinedBatchesTest {
    private static final HandlerSet SHIPPED = HandlerSet.compile(HandlerDirectory.read(RepoPaths.handlers())).set();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    /** An in-memory store whose writes take effect and answer when the test says so (reads answer at once). */
    static final class HeldStore implements ProfileStore {
        final InMemoryProfileStore data = new InMemoryProfileStore();
        final List<String> calls = new ArrayList<>();
        private final List<Runnable> writes = new ArrayList<>();
        private final List<CompletableFuture<Void>> answers = new ArrayList<>();

        private Map<String, CompletableFuture<Void>> held(String call, Collection<String> players, Runnable write) {
            Map<String, CompletableFuture<Void>> out = new LinkedHashMap<>();
            for (String player : players) {
                calls.add(call + " " + player);
                CompletableFuture<Void> answer = new CompletableFuture<>();
                answers.add(answer);
                out.put(player, answer);
            }
            writes.add(write);
            return out;
        }

        @Override
        public Map<String, CompletableFuture<PlayerState>> loadAll(Collection<String> playerIds) {
            playerIds.forEach(p -> calls.add("load " + p));
            return data.loadAll(playerIds);
        }

        @Override
        public Map<String, CompletableFuture<Void>> writeRows(Map<String, PlayerRows> rowsByPlayer) {
            Map<String, PlayerRows> rows = Map.copyOf(rowsByPlayer);
            return held("rows", rowsByPlayer.keySet(), () -> data.writeRows(rows));
        }

        @Override
        public CompletableFuture<Map<String, String>> loadTriggers(String playerId, Collection<String> triggerIds) {
            return data.loadTriggers(playerId, triggerIds);
        }

        @Override
        public Map<String, CompletableFuture<Void>> saveAll(Collection<PlayerState> states, Instant updatedAt) {
            List<PlayerState> copies = List.copyOf(states); // not changed before the release: their players wait
            return held("state", states.stream().map(PlayerState::playerId).toList(),
                    () -> data.saveAll(copies, updatedAt));
        }

        /** The writes sent so far take effect and answer. */
        void answer() {
            writes.forEach(Runnable::run);
            answers.forEach(a -> a.complete(null));
            writes.clear();
            answers.clear();
        }

        /** The writes sent so far fail. */
        void fail() {
            answers.forEach(a -> a.completeExceptionally(new RuntimeException("Cassandra is down")));
            writes.clear();
            answers.clear();
        }
    }

    private final HeldStore store = new HeldStore();
    private long nanos;

    private BatchProcessor<CrmEvent> processor(long ioTimeoutMillis) {
        CampaignGuard guard = new CampaignGuard(1, CLOCK::millis, () -> CampaignControl.NONE, (c, r) -> { });
        CrmCore core = new CrmCore(() -> SHIPPED, InvocationPolicy.UNGUARDED, guard,
                new Triggers(SchemaCatalog.fromClasspath()), CLOCK, DailyMetrics.of("lost_streak", 20));
        return new BatchProcessor<>(store, core, new BatchProcessor.Settings(100, ioTimeoutMillis, 100, 800, 1000),
                CLOCK, () -> nanos, new BatchProcessor.Listener() {
                    @Override
                    public void storeFailed(String what, Throwable error, long backoffMillis) {
                    }

                    @Override
                    public void storeRecovered(long downMillis) {
                    }
                });
    }

    /** Offers the inputs, starts the next batch and takes its steps up to its first I/O in flight. */
    private static GroupCommit.Pending<CrmEvent> started(BatchProcessor<CrmEvent> p, CrmEvent... inputs) {
        for (CrmEvent e : inputs) {
            assertThat(p.offer(e, e)).isTrue();
        }
        GroupCommit.Pending<CrmEvent> run = p.start();
        assertThat(drive(run)).as("its writes are in flight").isNull();
        return run;
    }

    private static List<CrmEvent> acked(BatchProcessor.Flushed<CrmEvent> f) {
        return f.acked().stream().map(BatchProcessor.Acked::handle).toList();
    }

    private Map<String, Object> profile(InMemoryProfileStore data, String player) {
        return Json.readObject(data.state(player).profileJson());
    }

    @Test
    void whileABatchsWritesAreInFlightTheNextIsAppliedAndWrittenForOtherPlayers() {
        BatchProcessor<CrmEvent> p = processor(3_600_000);
        started(p, Events.login("bob", 1, 0, 0));
        started(p, Events.login("ann", 1, 1, 0));

        assertThat(store.calls).containsExactly("load bob", "rows bob", "load ann", "rows ann");
    }

    @Test
    void aStateIsCommittedOnlyAfterItsRowsAreWritten() {
        BatchProcessor<CrmEvent> p = processor(3_600_000);
        CrmEvent bob1 = Events.login("bob", 1, 0, 0);
        GroupCommit.Pending<CrmEvent> run = started(p, bob1);
        assertThat(store.calls).containsExactly("load bob", "rows bob");

        store.answer();
        assertThat(drive(run)).isNull();
        assertThat(store.calls).containsExactly("load bob", "rows bob", "state bob");
        assertThat(store.data.state("bob").isNew()).as("not committed before the state write answers").isTrue();

        store.answer();
        assertThat(acked(drive(run))).containsExactly(bob1);
        assertThat(store.data.state("bob").version()).isEqualTo(1);
    }

    @Test
    void aPlayerWithWritesInFlightWaitsAndItsInputsFollowInArrivalOrder() {
        BatchProcessor<CrmEvent> p = processor(3_600_000);
        CrmEvent bob1 = Events.fight("bob", 1, "lost", 0, 0);
        CrmEvent bob2 = Events.fight("bob", 2, "lost", 0, 1);
        CrmEvent ann1 = Events.login("ann", 1, 1, 0);
        CrmEvent bob3 = Events.fight("bob", 3, "lost", 0, 2);
        GroupCommit.Pending<CrmEvent> first = started(p, bob1);

        for (CrmEvent e : List.of(bob2, ann1, bob3)) {
            p.offer(e, e);
        }
        assertThat(p.pending()).as("only ann's input is ready; bob's wait for his batch").isEqualTo(1);
        GroupCommit.Pending<CrmEvent> second = p.start();
        drive(second);
        store.answer(); // bob's and ann's rows
        assertThat(drive(second)).isNull();
        assertThat(drive(first)).isNull();
        store.answer(); // ann's and bob's states
        BatchProcessor.Flushed<CrmEvent> annDone = drive(second); // released before bob's batch
        BatchProcessor.Flushed<CrmEvent> bobDone = drive(first);

        assertThat(acked(annDone)).containsExactly(ann1);
        assertThat(acked(bobDone)).containsExactly(bob1);
        assertThat(p.pending()).isEqualTo(2);
        BatchProcessor.Flushed<CrmEvent> last = answered(started(p));
        assertThat(acked(last)).containsExactly(bob2, bob3);
        assertThat(last.acked().get(1).result().triggers()).as("the third loss in a row fires").hasSize(1);
        assertThat(profile(store.data, "bob")).containsEntry("fights", 3).containsEntry("lost_streak", 3);
    }

    @Test
    void aFailedBatchFailsItsPlayersWaitingInputsAndTheReplaysGiveTheCleanResult() {
        BatchProcessor<CrmEvent> p = processor(3_600_000);
        CrmEvent bob1 = Events.fight("bob", 1, "lost", 0, 0);
        CrmEvent bob2 = Events.fight("bob", 2, "lost", 0, 1);
        CrmEvent bob3 = Events.fight("bob", 3, "lost", 0, 2);
        GroupCommit.Pending<CrmEvent> first = started(p, bob1);
        p.offer(bob2, bob2);
        p.offer(bob3, bob3);
        store.fail(); // bob's rows
        BatchProcessor.Flushed<CrmEvent> failed = drive(first);
        assertThat(failed.failed()).containsExactly(bob1);

        GroupCommit.Pending<CrmEvent> waiting = p.start();
        assertThat(drive(waiting).failed()).as("later offsets wait for the replay").containsExactly(bob2, bob3);

        nanos += 1_000_000_000L; // after the back-off, the spout replays 0..2
        BatchProcessor.Flushed<CrmEvent> done = answered(started(p, bob1, bob2, bob3));

        assertThat(acked(done)).containsExactly(bob1, bob2, bob3);
        assertThat(done.acked().get(2).result().triggers()).as("the offer fires once, on the replayed third loss").hasSize(1);
        assertThat(profile(store.data, "bob")).isEqualTo(new PipelinedBatchesTest().cleanRun(List.of(bob1, bob2, bob3)));
    }

    private Map<String, Object> cleanRun(List<CrmEvent> events) {
        assertThat(answered(started(processor(3_600_000), events.toArray(new CrmEvent[0]))).failed()).isEmpty();
        return profile(store.data, "bob");
    }

    /** The store answers the batch's rows, then its states: its outcome. */
    private BatchProcessor.Flushed<CrmEvent> answered(GroupCommit.Pending<CrmEvent> run) {
        store.answer();
        assertThat(drive(run)).as("the states are in flight").isNull();
        store.answer();
        return drive(run);
    }
}
