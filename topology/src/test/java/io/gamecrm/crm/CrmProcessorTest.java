package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.json.Json;
import io.gamecrm.profile.InMemoryProfileStore;
import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CRM logic with the shipped handlers (handlers-js/) and an in-memory profile store. */
class CrmProcessorTest {
    private static final HandlerSet SHIPPED = HandlerSet.compile(HandlerDirectory.read(RepoPaths.handlers())).set();
    private InMemoryProfileStore store;
    private CrmProcessor processor;
    private long offset;

    @BeforeEach
    void setUp() {
        store = new InMemoryProfileStore();
        processor = new CrmProcessor(store, () -> SHIPPED, new Triggers(SchemaCatalog.fromClasspath()),
                Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC));
    }

    private CrmResult run(CrmEvent e) {
        return processor.process(e).toCompletableFuture().join();
    }

    private List<Triggers.Trigger> fights(String player, String... results) {
        List<Triggers.Trigger> out = new ArrayList<>();
        int seq = 0;
        for (String r : results) {
            out.addAll(run(Events.fight(player, seq++, r, 0, offset++)).triggers());
        }
        return out;
    }

    @Test
    void thirdLostFightInARowTriggersFourBattleTanks() {
        List<Triggers.Trigger> triggers = fights("bob", "won", "won", "lost", "lost", "lost");

        assertThat(triggers).singleElement().satisfies(t -> {
            Map<String, Object> m = Json.readObject(t.json());
            assertThat(m.get("campaign")).isEqualTo("battle-tanks-offer");
            assertThat(m.get("player_id")).isEqualTo("bob");
            assertThat(m.get("params")).isEqualTo(Map.of("units", 4));
            assertThat(m.get("cause_event_id")).isEqualTo(Events.id("bob", 4));
            assertThat(m.get("handler")).isEqualTo("tanks-after-three-losses");
            assertThat(m.get("trigger_id")).isEqualTo(Triggers.triggerId("battle-tanks-offer", "bob", Events.id("bob", 4)));
        });
        assertThat(Json.readObject(store.profile("bob").json()))
                .containsEntry("lost_streak", 3).containsEntry("fights", 5).containsEntry("wins", 2);
    }

    @Test
    void lossesThatAreNotConsecutiveTriggerNothing() {
        assertThat(fights("carol", "lost", "lost", "won", "lost", "draw", "lost")).isEmpty();
    }

    @Test
    void aFourthLossDoesNotTriggerAgain() {
        assertThat(fights("bob", "lost", "lost", "lost", "lost")).hasSize(1);
    }

    @Test
    void aReplayedEventIsNotAppliedTwice() {
        CrmEvent login = Events.login("bob", 0, 3, 100);
        run(login);

        CrmResult again = run(login);

        assertThat(again.duplicate()).isTrue();
        assertThat(Json.readObject(store.profile("bob").json())).containsEntry("logins", 1);
        assertThat(store.profile("bob").appliedOffset()).isEqualTo(100);
        assertThat(store.eventIds("bob")).hasSize(1);
    }

    @Test
    void eventsAreLoggedAndProfilesVersioned() {
        run(Events.login("bob", 0, 1, 7));
        run(Events.login("bob", 1, 1, 8));

        assertThat(store.profile("bob").version()).isEqualTo(2);
        assertThat(store.profile("bob").appliedPartition()).isEqualTo(1);
        assertThat(store.eventIds("bob")).containsExactly(Events.id("bob", 0), Events.id("bob", 1));
    }
}
