package io.gamecrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.gamecrm.RepoPaths;
import io.gamecrm.handlers.HandlerFile;
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
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload on the real servers, while background traffic flows: a handler file is added,
 * changed, broken and deleted, a campaign is paused by the kill switch, and a runaway handler is
 * stopped and disabled. Each step shows its effect on crm-trigger and on the maintenance topic, and
 * that both CRM tasks converge on the same handler set. Steps run in order on one topology.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HandlerHotReloadIT {
    private static final String PLAYER = "zoe";
    private static final Duration STEP = Duration.ofSeconds(60);

    private LiveTopology live;
    private ItEnv.Run run;
    private Path handlers;
    private TopicTail triggers;
    private KafkaProducer<String, byte[]> producer;
    private CqlSession cql;
    private final AtomicInteger seq = new AtomicInteger(1000);

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        live = LiveTopology.start("reload", temp, STEP);
        run = live.run;
        handlers = live.handlers;
        triggers = live.triggers;
        producer = live.producer;
        cql = ItEnv.cql();
        live.background(i -> {
            String p = "bg-" + (i % 50);
            return new String[] {p, Events.loginJson(UUID.randomUUID().toString(), p, Instant.now())};
        }, 20);
    }

    @AfterAll
    void stop() throws Exception {
        if (live != null) {
            live.close();
        }
        if (cql != null) {
            cql.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    private List<Map<String, Object>> maintenanceOf(String type) {
        return live.maintenanceOf(type);
    }

    private long manifestOnAllTasks() {
        return live.manifestOnAllTasks();
    }

    /** Writes (or deletes, for null) a handler file and waits until every CRM task runs the new set; returns the latency. */
    private long writeAndAwaitConvergence(String file, String source) throws Exception {
        long before = manifestOnAllTasks();
        long t0 = System.currentTimeMillis();
        if (source == null) {
            Files.delete(handlers.resolve(file));
        } else {
            Files.writeString(handlers.resolve(file), source);
        }
        await().atMost(STEP).until(() -> manifestOnAllTasks() > before);
        long latency = System.currentTimeMillis() - t0;
        System.out.printf("change of %s took effect in every CRM task after %d ms%n", file, latency);
        return latency;
    }

    /** Sends a login of the test player and waits until it was applied; returns the triggers it caused. */
    private List<Map<String, Object>> loginAndCollect() throws Exception {
        int n = seq.incrementAndGet();
        String id = Events.id(PLAYER, n);
        long version = profileVersion();
        ItEnv.send(producer, run.raw(), PLAYER, Events.loginJson(id, PLAYER, Instant.now()));
        await().atMost(STEP).until(() -> profileVersion() > version);
        Thread.sleep(500); // a trigger is emitted right after its profile write: give the sink a moment
        return triggers.matching(v -> v.contains(id)).stream().map(r -> Json.readObject(r.value())).toList();
    }

    private long profileVersion() {
        Row r = cql.execute("SELECT version FROM " + run.keyspace() + ".player_profile WHERE player_id = ?", PLAYER).one();
        return r == null ? 0 : r.getLong(0);
    }

    private static String welcome(int gems) {
        return "crm.campaign({id: 'welcome-gift', caps: {perPlayerPerDay: 1000, budget: {max: 100000, per: '1m'}}});\n"
                + "crm.handler({name: 'welcome-gift-on-login', on: ['login'],\n"
                + "  campaign: function (event, profile, ctx) {\n"
                + "    if (event.player_id === 'zoe') { ctx.trigger('welcome-gift', {gems: " + gems + "}); }\n"
                + "  }});\n";
    }

    // ---------------------------------------------------------------- the steps

    @Test
    @Order(1)
    void anAddedFileTakesEffectInEveryTask() throws Exception {
        assertThat(loginAndCollect()).as("no welcome-gift before the file exists").isEmpty();

        writeAndAwaitConvergence("welcome.js", welcome(10));

        assertThat(maintenanceOf("handlers.published")).anySatisfy(m ->
                assertThat((String) m.get("message")).contains("welcome.js added"));
        assertThat(loginAndCollect()).singleElement().satisfies(t -> {
            assertThat(t.get("campaign")).isEqualTo("welcome-gift");
            assertThat(t.get("params")).isEqualTo(Map.of("gems", 10));
            assertThat(t.get("handler_version")).isEqualTo(HandlerFile.versionOf(welcome(10)));
        });
    }

    @Test
    @Order(2)
    void aChangedFileReplacesTheOldVersion() throws Exception {
        writeAndAwaitConvergence("welcome.js", welcome(50));

        assertThat(loginAndCollect()).singleElement().satisfies(t -> {
            assertThat(t.get("params")).isEqualTo(Map.of("gems", 50));
            assertThat(t.get("handler_version")).isEqualTo(HandlerFile.versionOf(welcome(50)));
        });
    }

    @Test
    @Order(3)
    void aBrokenFileKeepsTheLastGoodVersionRunningAndSaysWhy() throws Exception {
        int rejectedBefore = maintenanceOf("handlers.rejected").size();
        Files.writeString(handlers.resolve("welcome.js"), welcome(1000).replace("ctx.trigger(", "ctx.trigger(("));

        await().atMost(STEP).until(() -> maintenanceOf("handlers.rejected").size() > rejectedBefore);
        Map<String, Object> rejected = maintenanceOf("handlers.rejected").get(rejectedBefore);
        assertThat((String) rejected.get("message")).contains("welcome.js").contains("does not compile")
                .contains("keeping version " + HandlerFile.versionOf(welcome(50)));
        assertThat(loginAndCollect()).singleElement()
                .satisfies(t -> assertThat(t.get("params")).as("still the last good version").isEqualTo(Map.of("gems", 50)));
    }

    @Test
    @Order(4)
    void theKillSwitchPausesACampaignWithoutTouchingItsCode() throws Exception {
        writeAndAwaitConvergence("welcome.js", welcome(50).replace("50", "51")); // a good version again
        Files.writeString(handlers.resolve("control.json"), "{\"paused\": {\"welcome-gift\": \"IT: too generous\"}}");
        await().atMost(STEP).until(() -> maintenanceOf("handlers.published").stream()
                .anyMatch(m -> ((String) m.get("message")).contains("control.json")));
        await().atMost(STEP).until(() -> loginAndCollect().isEmpty());

        List<Row> decisions = cql.execute("SELECT outcome, reason FROM " + run.keyspace()
                + ".campaign_decisions WHERE player_id = ? LIMIT 1", PLAYER).all();
        assertThat(decisions).singleElement().satisfies(r -> {
            assertThat(r.getString(0)).isEqualTo("PAUSED");
            assertThat(r.getString(1)).isEqualTo("kill switch: IT: too generous");
        });

        Files.delete(handlers.resolve("control.json"));
        await().atMost(STEP).until(() -> loginAndCollect().size() == 1);
    }

    @Test
    @Order(5)
    void aRunawayHandlerIsStoppedDisabledAndReportedWhileTheOthersKeepRunning() throws Exception {
        writeAndAwaitConvergence("runaway.js", "crm.handler({name: 'runaway', on: ['login'], writes: ['r'],\n"
                + "  update: function (event, profile) { if (event.player_id === 'zoe') { while (true) {} } }});\n");
        for (int i = 0; i < 8; i++) {
            loginAndCollect();
        }

        await().atMost(STEP).until(() -> !maintenanceOf("handler.disabled").isEmpty());
        assertThat((String) maintenanceOf("handler.disabled").get(0).get("message")).contains("runaway")
                .contains("timeouts");
        assertThat(maintenanceOf("handler.error")).anySatisfy(m ->
                assertThat((String) m.get("message")).contains("runaway").contains("CPU budget"));
        Row profile = cql.execute("SELECT profile FROM " + run.keyspace() + ".player_profile WHERE player_id = ?",
                PLAYER).one();
        assertThat(Json.readObject(profile.getString(0)).get("logins")).as("count-logins kept counting")
                .isEqualTo(seq.get() - 1000);
        assertThat(loginAndCollect()).as("the campaign handler still fires").hasSize(1);
    }

    @Test
    @Order(6)
    void aDeletedFileStopsItsHandlers() throws Exception {
        writeAndAwaitConvergence("runaway.js", null);
        writeAndAwaitConvergence("welcome.js", null);

        assertThat(maintenanceOf("handlers.published")).anySatisfy(m ->
                assertThat((String) m.get("message")).contains("welcome.js deleted"));
        assertThat(loginAndCollect()).isEmpty();
        assertThat(triggers.all().stream().map(r -> Json.readObject(r.value()).get("trigger_id"))
                .collect(Collectors.toList())).doesNotHaveDuplicates();
    }
}
