package io.gamecrm.crm;

import static io.gamecrm.crm.BatchStepsFixtures.applied;
import static io.gamecrm.crm.BatchStepsFixtures.replay;
import static io.gamecrm.crm.BatchStepsFixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.testing.Events;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Phase A's rows: per player in arrival order, none for a replay or a failed player, triggers in the outbox. */
class KeyedRowsTest {
    @Test
    void groupsEachPlayersEventRowsInArrivalOrder() {
        CrmEvent b1 = Events.login("bob", 1, 0, 10);
        CrmEvent a1 = Events.login("ann", 1, 1, 5);
        CrmEvent b2 = Events.fight("bob", 2, "lost", 0, 11);

        Map<String, ProfileStore.PlayerRows> rows = KeyedRows.of(List.of(applied(b1), applied(a1), applied(b2)), p -> false);

        assertThat(rows.keySet()).containsExactly("bob", "ann");
        assertThat(rows.get("bob").events()).extracting(ProfileStore.EventRow::eventId)
                .containsExactly(b1.eventId(), b2.eventId());
        assertThat(rows.get("ann").events()).singleElement().satisfies(r -> {
            assertThat(r.eventType()).isEqualTo("login");
            assertThat(r.json()).isEqualTo(a1.json());
        });
    }

    @Test
    void aReplayAndAFailedPlayerWriteNoRows() {
        CrmEvent bob = Events.login("bob", 1, 0, 10);
        CrmEvent ann = Events.login("ann", 1, 1, 5);

        Map<String, ProfileStore.PlayerRows> rows = KeyedRows.of(List.of(replay(bob, List.of(), List.of()),
                applied(ann)), "ann"::equals);

        assertThat(rows).isEmpty();
    }

    @Test
    void triggersGoToTheOutboxWithTheirCausesPosition() {
        CrmEvent third = Events.fight("bob", 3, "lost", 2, 42);

        ProfileStore.PlayerRows rows = KeyedRows.of(List.of(applied(third, trigger("t-1", "bob"))), p -> false).get("bob");

        assertThat(rows.triggers()).containsExactly(new ProfileStore.OutboxRow("bob", "t-1", 2, 42,
                trigger("t-1", "bob").json()));
    }
}
