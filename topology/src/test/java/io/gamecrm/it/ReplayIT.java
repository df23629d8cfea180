package io.gamecrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.gamecrm.RepoPaths;
import io.gamecrm.local.storm.LocalFluxTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once effects: a stream is processed; then the topology is stopped, its consumer group is
 * moved back to the start of the raw topic, and it runs again over the same range. Every profile,
 * version and event row is unchanged, no new trigger id appears, and no trigger is sent twice
 * (a replayed event finds its triggers on the trigger topic and does not send them again).
 */
class ReplayIT {
    @Test
    void replayingTheRawTopicChangesNoProfileAndEmitsNoNewTriggerId(@TempDir Path temp) throws Exception {
        ItEnv.Run run = ItEnv.Run.create("replay");
        ItEnv.stack();
        ItEnv.createTopics(run, 4);
        StreamOracle oracle = new StreamOracle(11, 30, 1500);
        Properties props = ItEnv.fluxProperties(run, ItEnv.copyOfShippedHandlers(temp.resolve("handlers")));
        Path flux = RepoPaths.flux().resolve("crm-topology.yaml");
        try (TopicTail triggers = new TopicTail(ItEnv.stack().kafkaBootstrap(), run.trigger());
             KafkaProducer<String, byte[]> producer = ItEnv.producer();
             CqlSession cql = ItEnv.cql()) {
            PipelineChecks checks = new PipelineChecks(cql, run);
            Set<String> players = oracle.eventsPerPlayer().keySet();

            try (LocalFluxTopology first = LocalFluxTopology.start(flux, props, Map.of())) {
                for (StreamOracle.Record r : oracle.records()) {
                    ItEnv.send(producer, run.raw(), r.player(), r.json());
                }
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .until(() -> checks.allApplied(oracle) && ItEnv.caughtUp(run.group(), run.raw()));
                Thread.sleep(2000);
            }
            checks.assertMatches(oracle, triggers);
            Map<String, Map<String, Object>> profiles = checks.profiles(players);
            Map<String, Long> versions = checks.versions(players);
            PipelineChecks.TriggerIds before = checks.triggerIds(triggers.all());

            ItEnv.resetGroupToEarliest(run.group(), run.raw());
            assertThat(ItEnv.caughtUp(run.group(), run.raw())).isFalse();
            try (LocalFluxTopology again = LocalFluxTopology.start(flux, props, Map.of())) {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .until(() -> ItEnv.caughtUp(run.group(), run.raw()));
                Thread.sleep(2000);
            }

            PipelineChecks.TriggerIds after = checks.triggerIds(triggers.all());
            assertThat(checks.profiles(players)).isEqualTo(profiles);
            assertThat(checks.versions(players)).isEqualTo(versions);
            assertThat(after.distinct()).as("no new trigger id").isEqualTo(before.distinct());
            assertThat(after.messages()).as("replayed events found their triggers on the topic and sent none again")
                    .isEqualTo(before.messages());
            checks.assertMatches(oracle, triggers);
            System.out.printf("replay: %d trigger ids; %d messages before the replay, %d after%n",
                    after.distinct().size(), before.messages(), after.messages());
        }
    }
}
