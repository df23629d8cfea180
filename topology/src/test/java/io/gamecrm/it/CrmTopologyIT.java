package io.gamecrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.gamecrm.json.Json;
import io.gamecrm.local.storm.LocalFluxTopology;
import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a real Kafka broker, a real Cassandra node and a Storm LocalCluster running
 * the production Flux file (flux/crm-topology.yaml with flux/local.properties, pointed at this run's
 * topics and keyspace): Bob's story, a player whose losses are not consecutive, one invalid event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmTopologyIT {
    private static final SchemaCatalog SCHEMAS = SchemaCatalog.fromClasspath();
    private final ItEnv.Run run = ItEnv.Run.create("e2e");
    private LocalFluxTopology topology;
    private CqlSession cql;

    private final Instant t0 = Instant.parse("2026-11-26T10:00:00Z");

    @BeforeAll
    void startTopologyAndSendTheStory(@TempDir Path temp) throws Exception {
        topology = ItEnv.startShippedTopology(run, temp, 2);
        cql = ItEnv.cql();

        try (KafkaProducer<String, byte[]> producer = ItEnv.producer()) {
            String[] bob = {"won", "won", "lost", "lost", "lost"};
            for (int i = 0; i < bob.length; i++) {
                ItEnv.send(producer, run.raw(), "bob", Events.fightJson(Events.id("bob", i), "bob", bob[i], t0.plusSeconds(i)));
            }
            ItEnv.send(producer, run.raw(), "bob", Events.loginJson(Events.id("bob", 5), "bob", t0.plusSeconds(5)));
            String[] carol = {"lost", "lost", "won", "lost", "lost"};
            for (int i = 0; i < carol.length; i++) {
                ItEnv.send(producer, run.raw(), "carol",
                        Events.fightJson(Events.id("carol", i), "carol", carol[i], t0.plusSeconds(i)));
            }
            ItEnv.send(producer, run.raw(), "dave", Events.fightJson(Events.id("dave", 0), "dave", "won-ish", t0));
        }
        // the last event of each player is applied once its profile reaches its version
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                profileVersion("bob") == 6 && profileVersion("carol") == 5);
    }

    @AfterAll
    void stop() throws Exception {
        if (topology != null) {
            topology.close();
        }
        if (cql != null) {
            cql.close();
        }
    }

    private long profileVersion(String player) {
        Row row = cql.execute("SELECT version FROM " + run.keyspace() + ".player_profile WHERE player_id = ?", player).one();
        return row == null ? 0 : row.getLong(0);
    }

    private Map<String, Object> profile(String player) {
        Row row = cql.execute("SELECT profile FROM " + run.keyspace() + ".player_profile WHERE player_id = ?", player).one();
        return Json.readObject(row.getString(0));
    }

    @Test
    void bobGetsExactlyOneBattleTanksOfferThatMatchesTheTriggerSchema() {
        List<ConsumerRecord<String, String>> triggers = ItEnv.readUntil(run.trigger(), Duration.ofSeconds(5), r -> false);

        assertThat(triggers).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("bob");
            SCHEMAS.trigger().validate(new JSONObject(r.value()));
            Map<String, Object> t = Json.readObject(r.value());
            assertThat(t.get("campaign")).isEqualTo("battle-tanks-offer");
            assertThat(t.get("game")).as("the cause's game").isEqualTo("tank-wars");
            assertThat(t.get("params")).isEqualTo(Map.of("units", 4));
            assertThat(t.get("cause_event_id")).isEqualTo(Events.id("bob", 4));
            assertThat(t.get("trigger_id")).isEqualTo(Triggers.triggerId("battle-tanks-offer", "bob", Events.id("bob", 4)));
        });
    }

    @Test
    void theInvalidEventIsOnTheDeadLetterTopicWithItsReason() {
        List<ConsumerRecord<String, String>> dead = ItEnv.readUntil(run.deadLetter(), Duration.ofSeconds(30),
                r -> !r.isEmpty());

        assertThat(dead).singleElement().satisfies(r -> {
            SCHEMAS.deadLetter().validate(new JSONObject(r.value()));
            Map<String, Object> d = Json.readObject(r.value());
            assertThat(d.get("reason")).isEqualTo("SCHEMA_VIOLATION");
            assertThat(d.get("pointer")).isEqualTo("#/payload/result");
            assertThat(d.get("player_id")).isEqualTo("dave");
            assertThat(((String) d.get("message"))).contains("won-ish");
            @SuppressWarnings("unchecked")
            Map<String, Object> source = (Map<String, Object>) d.get("source");
            assertThat(source.get("topic")).isEqualTo(run.raw());
            assertThat(source.get("key")).isEqualTo("dave");
        });
    }

    @Test
    void bobsEventsAndProfileAreInCassandra() {
        assertThat(profile("bob")).containsEntry("lost_streak", 3).containsEntry("logins", 1)
                .containsEntry("fights", 5).containsEntry("wins", 2);
        assertThat(profile("carol")).containsEntry("lost_streak", 2).containsEntry("fights", 5);
        List<Row> events = cql.execute("SELECT event_type, source_event_id FROM " + run.keyspace()
                + ".player_events WHERE player_id = ? AND day = ?", "bob", LocalDate.of(2026, 11, 26)).all();
        assertThat(events).extracting(r -> r.getString(1))
                .containsExactly(Events.id("bob", 0), Events.id("bob", 1), Events.id("bob", 2), Events.id("bob", 3),
                        Events.id("bob", 4), Events.id("bob", 5));
        assertThat(events).extracting(r -> r.getString(0)).containsOnly("fight", "login");
    }

    @Test
    void theDailyAnalyticsCountBobAsHavingLostThreeInARowAndCarolNot() {
        List<Row> three = cql.execute("SELECT player_id FROM " + run.keyspace() + ".daily_metric_players "
                + "WHERE day = ? AND metric = 'lost_streak' AND reached = 3", LocalDate.of(2026, 11, 26)).all();
        List<Row> two = cql.execute("SELECT player_id FROM " + run.keyspace() + ".daily_metric_players "
                + "WHERE day = ? AND metric = 'lost_streak' AND reached = 2", LocalDate.of(2026, 11, 26)).all();

        assertThat(three).extracting(r -> r.getString(0)).containsExactly("bob");
        assertThat(two).extracting(r -> r.getString(0)).containsExactlyInAnyOrder("bob", "carol");
    }

    @Test
    void theCrmTasksReportTheirHandlersOnTheMaintenanceTopic() {
        List<ConsumerRecord<String, String>> maintenance = ItEnv.readUntil(run.maintenance(), Duration.ofSeconds(10),
                r -> r.stream().filter(x -> x.value().contains("\"handlers.loaded\"")).count() >= 2);

        assertThat(maintenance).filteredOn(r -> r.value().contains("\"handlers.loaded\"")).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(r -> assertThat(r.value()).contains("battle-tanks-offer.js"));
    }
}
