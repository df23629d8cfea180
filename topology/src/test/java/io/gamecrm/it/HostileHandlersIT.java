package io.gamecrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamecrm.RepoPaths;
import io.gamecrm.json.Json;
import io.gamecrm.testing.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile handler files dropped into the live topology's watched folder, one at a time, while
 * traffic flows (real Kafka, Cassandra, Storm LocalCluster, flux/crm-topology.yaml): each is
 * rejected with its reason or contained (its handler fails, typed, and is reported), the worker
 * lives (a worker that died would take this JVM with it), a new Bob still gets his four tanks once,
 * and the folder's later good changes still publish.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileHandlersIT {
    private static final Duration STEP = Duration.ofSeconds(90);

    private LiveTopology live;
    private TopicTail triggers;
    private Path handlers;
    private final AtomicInteger bobs = new AtomicInteger();

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        live = LiveTopology.start("hostile", temp, STEP);
        triggers = live.triggers;
        handlers = live.handlers;
        live.background(i -> {
            String p = "bg-" + (i % 40);
            String id = UUID.randomUUID().toString();
            return new String[] {p, i % 2 == 0 ? Events.loginJson(id, p, Instant.now())
                    : Events.fightJson(id, p, i % 3 == 0 ? "lost" : "won", Instant.now())};
        }, 25);
    }

    @AfterAll
    void stop() throws Exception {
        if (live != null) {
            live.close();
        }
    }

    private List<Map<String, Object>> maintenanceOf(String type) {
        return live.maintenanceOf(type);
    }

    private long manifestOnAllTasks() {
        return live.manifestOnAllTasks();
    }

    /** A new Bob (one the campaign's holdout does not hold out) loses three fights in a row: he gets four tanks, once. */
    private void aNewBobStillGetsHisTanks() throws Exception {
        String next;
        do {
            next = "bob-" + bobs.incrementAndGet();
        } while (!ItEnv.tanksOfferedTo(next));
        String bob = next;
        String[] results = {"won", "lost", "lost", "lost"};
        for (int i = 0; i < results.length; i++) {
            ItEnv.send(live.producer, live.run.raw(), bob, Events.fightJson(Events.id(bob, i), bob, results[i], Instant.now()));
        }
        await().atMost(STEP).until(() -> !triggers.matching(v -> v.contains("\"player_id\":\"" + bob + "\"")).isEmpty());
        Thread.sleep(1000); // a second offer, if there were one, would be right behind the first
        assertThat(triggers.matching(v -> v.contains("\"player_id\":\"" + bob + "\"")))
                .singleElement().satisfies(r -> {
                    Map<String, Object> t = Json.readObject(r.value());
                    assertThat(t.get("campaign")).isEqualTo("battle-tanks-offer");
                    assertThat(t.get("params")).isEqualTo(Map.of("units", 4));
                    assertThat(t.get("cause_event_id")).isEqualTo(Events.id(bob, 3));
                });
    }

    @ParameterizedTest(name = "{0}")
    @Order(1)
    @CsvSource({
        // file, what the topology must say about it
        "escape-wrapper.js, rejected, does not compile",
        "regex-at-load.js, rejected, stopped by the watchdog",
        "aaa-steal-campaign.js, rejected, already declared by battle-tanks-offer.js",
        "hijack-trigger.js, failure, unknown campaign",
        // on a real CPU clock an allocation bomb meets its memory or its time budget first: both are bounds
        "allocation-bomb.js, failure, (memory)|(timeout)",
        "regex-catastrophic.js, failure, (stopped)",
        "stack-overflow-caught.js, failure, stack overflow",
    })
    void aHostileFileIsRejectedOrContainedAndBobStillGetsHisTanks(String file, String outcome, String text)
            throws Exception {
        String source = Files.readString(RepoPaths.root().resolve("topology/src/test/resources/hostile").resolve(file));
        int rejectedBefore = maintenanceOf("handlers.rejected").size();
        int errorsBefore = maintenanceOf("handler.error").size();
        long manifestBefore = manifestOnAllTasks();

        Files.writeString(handlers.resolve(file), source);

        if (outcome.equals("rejected")) {
            await().atMost(STEP).until(() -> maintenanceOf("handlers.rejected").stream().skip(rejectedBefore)
                    .anyMatch(m -> ((String) m.get("message")).contains(file) && ((String) m.get("message")).contains(text)));
            aNewBobStillGetsHisTanks();
        } else {
            await().atMost(STEP).until(() -> manifestOnAllTasks() > manifestBefore);
            aNewBobStillGetsHisTanks();
            await().atMost(STEP).until(() -> maintenanceOf("handler.error").stream().skip(errorsBefore)
                    .anyMatch(m -> ((String) m.get("message")).contains(file) && java.util.Arrays.stream(text.split("\\|"))
                            .anyMatch(((String) m.get("message"))::contains)));
            aNewBobStillGetsHisTanks();
        }
        long before = manifestOnAllTasks();
        Files.delete(handlers.resolve(file));
        if (!outcome.equals("rejected")) {
            await().atMost(STEP).until(() -> manifestOnAllTasks() > before);
        }
    }

    @ParameterizedTest(name = "then a good change still publishes")
    @Order(2)
    @CsvSource("welcome.js")
    void afterwardsAGoodChangeStillPublishes(String file) throws Exception {
        String welcome = "crm.campaign({id: 'welcome-gift', caps: {perPlayerPerDay: 10, budget: {max: 10000, per: '1m'}}});\n"
                + "crm.handler({name: 'welcome', on: ['login'], campaign: function (e, p, ctx) {\n"
                + "  if (e.player_id === 'newcomer') { ctx.trigger('welcome-gift', {gems: 5}); } }});\n";
        long before = manifestOnAllTasks();

        Files.writeString(handlers.resolve(file), welcome);
        await().atMost(STEP).until(() -> manifestOnAllTasks() > before);
        ItEnv.send(live.producer, live.run.raw(), "newcomer", Events.loginJson(UUID.randomUUID().toString(), "newcomer",
                Instant.now()));

        await().atMost(STEP).until(() -> !triggers.matching(v -> v.contains("\"welcome-gift\"")).isEmpty());
        aNewBobStillGetsHisTanks();
    }
}
