package io.gamecrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.gamecrm.json.Json;
import io.gamecrm.local.storm.LocalFluxTopology;
import io.gamecrm.testing.Events;
import io.gamecrm.validation.MalformedCorpus;
import io.gamecrm.validation.SchemaCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The malformed corpus (topology/src/test/resources/malformed, 78 bad records and 5 good ones, each
 * with its expected outcome) sent with its Kafka keys through the real topology, on a real broker
 * and Cassandra node: each bad record is on the dead-letter topic exactly once with its reason (none
 * with INTERNAL_ERROR), each good one is in the player's history and on no dead letter, and the
 * topology stays up (a player's event sent after the corpus is processed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRecordsIT {
    private static final SchemaCatalog SCHEMAS = SchemaCatalog.fromClasspath();
    private final ItEnv.Run run = ItEnv.Run.create("malformed");
    private final List<MalformedCorpus.Entry> corpus = MalformedCorpus.entries();
    private final Map<String, MalformedCorpus.Entry> bySource = new HashMap<>();
    private LocalFluxTopology topology;
    private CqlSession cql;

    @BeforeAll
    void startTopologyAndSendTheCorpus(@TempDir Path temp) throws Exception {
        topology = ItEnv.startShippedTopology(run, temp, 2);
        cql = ItEnv.cql();
        try (KafkaProducer<String, byte[]> producer = ItEnv.producer()) {
            for (MalformedCorpus.Entry e : corpus) {
                RecordMetadata md = producer.send(new ProducerRecord<>(run.raw(), e.key(), e.value())).get();
                bySource.put(md.partition() + "/" + md.offset(), e);
            }
            ItEnv.send(producer, run.raw(), "after", Events.loginJson(Events.id("after", 0), "after", Instant.now()));
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                cql.execute("SELECT version FROM " + run.keyspace() + ".player_profile WHERE player_id = ?", "after")
                        .one() != null);
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

    @Test
    void everyBadRecordIsOneDeadLetterWithItsReasonAndEveryGoodOneIsProcessed() {
        long bad = corpus.stream().filter(e -> !e.valid()).count();
        List<ConsumerRecord<String, String>> dead = ItEnv.readUntil(run.deadLetter(), Duration.ofSeconds(60),
                r -> r.size() >= bad);

        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, String> r : dead) {
            SCHEMAS.deadLetter().validate(new JSONObject(r.value()));
            Map<String, Object> d = Json.readObject(r.value());
            @SuppressWarnings("unchecked")
            Map<String, Object> source = (Map<String, Object>) d.get("source");
            String at = source.get("partition") + "/" + source.get("offset");
            assertThat(bySource).as("a dead letter of a record that was sent").containsKey(at);
            assertThat(reasons.put(bySource.get(at).name(), (String) d.get("reason")))
                    .as("one dead letter per record: " + bySource.get(at).name()).isNull();
        }
        Map<String, String> expected = new HashMap<>();
        corpus.stream().filter(e -> !e.valid()).forEach(e -> expected.put(e.name(), e.expect()));
        assertThat(reasons).isEqualTo(expected);
        assertThat(reasons).doesNotContainValue("INTERNAL_ERROR");

        List<String> valid = corpus.stream().filter(MalformedCorpus.Entry::valid)
                .map(e -> (String) Json.readObject(new String(e.value(), StandardCharsets.UTF_8))
                        .get("event_id")).toList();
        List<Row> history = cql.execute("SELECT source_event_id FROM " + run.keyspace()
                + ".player_events WHERE player_id = ? AND day = ?", "bob", LocalDate.of(2026, 11, 26)).all();
        assertThat(history).extracting(r -> r.getString(0)).containsExactlyInAnyOrderElementsOf(valid);
    }
}
