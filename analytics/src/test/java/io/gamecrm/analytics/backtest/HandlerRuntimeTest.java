package io.gamecrm.analytics.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.analytics.history.GameHistory;
import io.gamecrm.json.Json;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The adapter runs the shipped handlers as the topology does: Bob's story, the cap, a seeded start. */
class HandlerRuntimeTest {
    static final Path HANDLERS = io.gamecrm.analytics.TestRepo.root().resolve("handlers-js");

    static List<GameHistory.Event> bob() {
        return GameHistory.generate(1, 0, LocalDate.parse("2026-11-20"), 2);
    }

    @Test
    void bobsThirdLossInARowFiresOnceAndTheCapSuppressesTheNext() throws Exception {
        HandlerRuntime runtime = HandlerRuntime.start(HandlerRuntime.Source.read(HANDLERS), 1);
        assertThat(runtime.problems()).isEmpty();
        List<String> outcomes = new ArrayList<>();
        for (GameHistory.Event e : bob()) {
            HandlerRuntime.Step step = runtime.apply(e.json());
            assertThat(step.invalidReason()).isNull();
            step.offers().forEach(o -> outcomes.add(e.time().toString().substring(0, 10) + " " + o.outcome()));
            if (!step.triggers().isEmpty()) {
                assertThat(Json.readObject(step.triggers().get(0)).get("campaign")).isEqualTo("battle-tanks-offer");
            }
        }
        assertThat(outcomes).containsExactly("2026-11-21 FIRED", "2026-11-21 CAP_PER_DAY");
        Map<String, Object> profile = Json.readObject(runtime.profiles().get(GameHistory.BOB));
        assertThat(profile).containsEntry("fights", 9).containsEntry("wins", 2).containsEntry("lost_streak", 3)
                .containsEntry("logins", 2);
    }

    @Test
    void theGlobalHoldoutHoldsOutItsPlayersAsTheTopologyDoes() throws Exception {
        // Bob is in the first half of tank-wars's players (SHA-256 "holdout-global:tank-wars:bob": 0.449)
        assertThat(io.gamecrm.campaign.Holdout.heldOutGlobally(GameHistory.GAME, GameHistory.BOB, 0.5)).isTrue();
        HandlerRuntime runtime = HandlerRuntime.start(HandlerRuntime.Source.read(HANDLERS), 1, 0.5);
        List<String> outcomes = new ArrayList<>();
        for (GameHistory.Event e : bob()) {
            HandlerRuntime.Step step = runtime.apply(e.json());
            assertThat(step.triggers()).isEmpty();
            step.offers().forEach(o -> outcomes.add(o.outcome()));
        }
        // counted against the daily cap like a fired offer
        assertThat(outcomes).containsExactly("HOLDOUT_GLOBAL", "CAP_PER_DAY");
    }

    @Test
    void aSeededPlayerStartsFromItsProfile() throws Exception {
        HandlerRuntime runtime = HandlerRuntime.start(HandlerRuntime.Source.read(HANDLERS), 1);
        runtime.seed(GameHistory.BOB, "{\"lost_streak\":2,\"fights\":40}", null);
        GameHistory.Event thirdLoss = bob().stream().filter(e -> "lost".equals(e.result())).findFirst().orElseThrow();
        HandlerRuntime.Step step = runtime.apply(thirdLoss.json());
        assertThat(step.offers()).extracting(HandlerRuntime.Offer::outcome).containsExactly("FIRED");
        assertThat(Json.readObject(runtime.profiles().get(GameHistory.BOB))).containsEntry("fights", 41);
    }

    @Test
    void anInvalidEventHasItsReasonAndNoEffect() throws Exception {
        HandlerRuntime runtime = HandlerRuntime.start(HandlerRuntime.Source.read(HANDLERS), 1);
        HandlerRuntime.Step step = runtime.apply("{\"event_type\":\"fight\"}");
        assertThat(step.invalidReason()).startsWith("SCHEMA_VIOLATION");
        assertThat(runtime.profiles()).isEmpty();
    }

    @Test
    void aFileThatDoesNotCompileIsAProblem() {
        HandlerRuntime runtime = HandlerRuntime.start(new HandlerRuntime.Source(
                Map.of("broken.js", "crm.handler({ name: 'x', on: ['fight'], update: function( { });"), null), 1);
        assertThat(runtime.problems()).extracting(HandlerRuntime.Problem::file).containsExactly("broken.js");
    }
}
