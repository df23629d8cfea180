package io.gamecrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.gamecrm.RepoPaths;
import io.gamecrm.local.storm.LocalFluxTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cassandra stops for about 20 s in the middle of a stream, then comes back: the CRM tasks fail
 * their inputs for replay and back off while it is down, recover by themselves when it returns,
 * and in the end no event is lost and none is applied twice: every profile, event row and trigger
 * id is what the stream implies.
 */
class CassandraOutageIT {
    @Test
    void noEventIsLostWhenCassandraStopsForTwentySecondsMidStream(@TempDir Path temp) throws Exception {
        ItEnv.Run run = ItEnv.Run.create("outage");
        ItEnv.stack();
        ItEnv.createTopics(run, 4);
        StreamOracle oracle = new StreamOracle(7, 40, 3000);
        try (TopicTail triggers = new TopicTail(ItEnv.stack().kafkaBootstrap(), run.trigger());
             TopicTail maintenance = new TopicTail(ItEnv.stack().kafkaBootstrap(), run.maintenance());
             LocalFluxTopology topology = LocalFluxTopology.start(RepoPaths.flux().resolve("crm-topology.yaml"),
                     ItEnv.fluxProperties(run, ItEnv.copyOfShippedHandlers(temp.resolve("handlers"))), Map.of());
             KafkaProducer<String, byte[]> producer = ItEnv.producer();
             CqlSession cql = ItEnv.cql()) {
            PipelineChecks checks = new PipelineChecks(cql, run);
            // the outage starts 6 s into the stream, not 6 s after the submission: on a busy machine the
            // CRM tasks may still be preparing (opening their Cassandra session) that long after it
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() ->
                    maintenance.matching(v -> v.contains("\"component.started\"") && v.contains("CRM task started"))
                            .size() >= 2);
            long t0 = System.nanoTime();
            boolean stopped = false;
            boolean restarted = false;
            long stoppedAt = 0;
            int i = 0;
            // about 100 events/s for 30 s; Cassandra is stopped from second 6 to second 26
            for (StreamOracle.Record r : oracle.records()) {
                ItEnv.send(producer, run.raw(), r.player(), r.json());
                i++;
                long due = t0 + i * 10_000_000L;
                long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
                if (!stopped && elapsedMs > 6_000) {
                    ItEnv.stopCassandra();
                    stopped = true;
                    stoppedAt = System.nanoTime();
                    System.out.println("Cassandra stopped after " + i + " events");
                }
                if (stopped && !restarted && System.nanoTime() - stoppedAt > 20_000_000_000L) {
                    ItEnv.startCassandra();
                    restarted = true;
                    System.out.println("Cassandra started again after " + i + " events");
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            if (!restarted) {
                long left = 20_000_000_000L - (System.nanoTime() - stoppedAt);
                if (left > 0) {
                    Thread.sleep(left / 1_000_000);
                }
                ItEnv.startCassandra();
            }

            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                    .until(() -> checks.allApplied(oracle));
            Thread.sleep(2000); // the last triggers leave the sink

            checks.assertMatches(oracle, triggers);
            assertThat(maintenance.matching(v -> v.contains("\"cassandra.failing\""))).isNotEmpty();
            assertThat(maintenance.matching(v -> v.contains("\"cassandra.recovered\""))).isNotEmpty();
            PipelineChecks.TriggerIds ids = checks.triggerIds(triggers.all());
            System.out.printf("outage: %d trigger messages for %d trigger ids (%d re-emitted for replayed events)%n",
                    ids.messages(), ids.distinct().size(), ids.messages() - ids.distinct().size());
        }
    }
}
