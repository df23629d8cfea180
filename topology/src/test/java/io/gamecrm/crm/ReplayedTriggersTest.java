package io.gamecrm.crm;

import static io.gamecrm.crm.BatchStepsFixtures.applied;
import static io.gamecrm.crm.BatchStepsFixtures.replay;
import static io.gamecrm.crm.BatchStepsFixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A replay's triggers known only by id are read back from the outbox and sent with the same ids. */
class ReplayedTriggersTest {
    private final CrmEvent third = Events.fight("bob", 3, "lost", 0, 2);

    @Test
    void onlyAReplayWithIdsLeftUnresolvedNeedsALookup() {
        assertThat(ReplayedTriggers.needsLookup(replay(third, List.of(), List.of("t-1")))).isTrue();
        assertThat(ReplayedTriggers.needsLookup(replay(third, List.of(trigger("t-1", "bob")), List.of()))).isFalse();
        assertThat(ReplayedTriggers.needsLookup(applied(third, trigger("t-1", "bob")))).isFalse();
    }

    @Test
    void theOutboxTriggersJoinTheKnownOnesWithTheirIdsAndNothingIsLeftUnresolved() {
        BatchProcessor.Acked<CrmEvent> a = replay(third, List.of(trigger("t-1", "bob")), List.of("t-2"));

        BatchProcessor.Acked<CrmEvent> resolved = ReplayedTriggers.withOutbox(a, Map.of("t-2", "{\"trigger_id\":\"t-2\"}"));

        assertThat(resolved.handle()).isSameAs(third);
        assertThat(resolved.result().duplicate()).isTrue();
        assertThat(resolved.result().unresolved()).isEmpty();
        assertThat(resolved.result().triggers()).extracting(Triggers.Trigger::id).containsExactly("t-1", "t-2");
        assertThat(resolved.result().triggers().get(1)).satisfies(t -> {
            assertThat(t.playerId()).isEqualTo("bob");
            assertThat(t.json()).isEqualTo("{\"trigger_id\":\"t-2\"}");
        });
    }
}
