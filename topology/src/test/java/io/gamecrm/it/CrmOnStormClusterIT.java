package io.gamecrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.gamecrm.Names;
import io.gamecrm.RepoPaths;
import io.gamecrm.json.Json;
import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded topology jar on a real multi-process Storm cluster (ZooKeeper, Nimbus, a supervisor
 * and its worker JVMs, assembled from Maven Central jars), submitted exactly as the storm script
 * does: {@code java -cp lib-worker/*:crm-topology.jar:conf -Dstorm.jar=… org.apache.storm.flux.Flux
 * --remote flux/crm-topology.yaml --filter <properties>}. On a worker, Storm's lib-worker/* comes
 * before the topology jar, so this proves the jar's own libraries (relocated) do not clash.
 */
class CrmOnStormClusterIT extends OnStormCluster {
    @Test
    void bobsOfferComesFromAWorkerJvmThatLoadedTheHandlers(@TempDir Path temp) throws Exception {
        ItEnv.Run run = ItEnv.Run.create("cluster");
        ItEnv.createTopics(run, 2);
        try (TopicTail triggers = new TopicTail(ItEnv.stack().kafkaBootstrap(), run.trigger());
             TopicTail maintenance = new TopicTail(ItEnv.stack().kafkaBootstrap(), run.maintenance());
             KafkaProducer<String, byte[]> producer = ItEnv.producer()) {
            String name = storm.submitFlux(JAR, RepoPaths.flux().resolve("crm-topology.yaml"), ItEnv.fluxPropertiesFile(run, temp));
            List<Long> workers = storm.awaitWorkersUp(name, Duration.ofMinutes(3));
            await().atMost(Duration.ofMinutes(2)).until(() ->
                    maintenance.matching(v -> v.contains("\"handlers.loaded\"")).size() >= 2);
            List<Map<String, Object>> loaded = maintenance.matching(v -> v.contains("\"handlers.loaded\"")).stream()
                    .map(r -> Json.readObject(r.value())).toList();
            assertThat(loaded).allSatisfy(m -> {
                assertThat(((Number) m.get("pid")).longValue()).as("loaded in a worker JVM").isIn(workers);
                assertThat(m.get("message").toString()).contains("3 files");
            });

            String[] story = {"won", "won", "lost", "lost", "lost"};
            Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
            for (int i = 0; i < story.length; i++) {
                ItEnv.send(producer, run.raw(), "bob", Events.fightJson(Events.id("bob", i), "bob", story[i], t0.plusSeconds(i)));
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> !triggers.all().isEmpty());

            assertThat(triggers.all()).singleElement().satisfies(r -> {
                SchemaCatalog.fromClasspath().trigger().validate(new JSONObject(r.value()));
                Map<String, Object> t = Json.readObject(r.value());
                assertThat(t.get("campaign")).isEqualTo("battle-tanks-offer");
                assertThat(t.get("trigger_id")).isEqualTo(Triggers.triggerId("battle-tanks-offer", "bob", Events.id("bob", 4)));
            });
            assertThat(storm.workerPids(name)).containsExactlyElementsOf(workers);

            storm.kill(name, 0);
            storm.awaitGone(name);
            await().atMost(Duration.ofMinutes(1)).until(() -> workers.stream().noneMatch(p -> ProcessHandle.of(p).isPresent()));
            assertThat(maintenance.matching(v -> v.contains("\"component.stopped\"") && v.contains(Names.Components.CRM)))
                    .as("the CRM tasks shut down cleanly").isNotEmpty();
        }
    }

    @Test
    void aWorkerKilledMidStreamLosesNoEventAndRepeatsNothing(@TempDir Path temp) throws Exception {
        ItEnv.Run run = ItEnv.Run.create("kill9");
        ItEnv.createTopics(run, 4);
        StreamOracle oracle = new StreamOracle(23, 40, 2500);
        try (TopicTail triggers = new TopicTail(ItEnv.stack().kafkaBootstrap(), run.trigger());
             KafkaProducer<String, byte[]> producer = ItEnv.producer();
             CqlSession cql = ItEnv.cql()) {
            PipelineChecks checks = new PipelineChecks(cql, run);
            String name = storm.submitFlux(JAR, RepoPaths.flux().resolve("crm-topology.yaml"), ItEnv.fluxPropertiesFile(run, temp));
            List<Long> before = storm.awaitWorkersUp(name, Duration.ofMinutes(3));
            long t0 = System.nanoTime();
            int i = 0;
            boolean killed = false;
            for (StreamOracle.Record r : oracle.records()) {
                ItEnv.send(producer, run.raw(), r.player(), r.json());
                i++;
                if (!killed && i == 1000) {
                    before.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                    killed = true;
                    System.out.println("kill -9 of worker " + before + " after " + i + " events");
                }
                long wait = t0 + i * 10_000_000L - System.nanoTime(); // about 100 events/s
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
            }
            List<Long> after = storm.awaitWorkersUp(name, Duration.ofMinutes(3));
            assertThat(after).as("the supervisor started a new worker").doesNotContainAnyElementsOf(before);

            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                    .until(() -> checks.allApplied(oracle));
            Thread.sleep(3000); // the last triggers leave the sink

            checks.assertMatches(oracle, triggers);
            PipelineChecks.TriggerIds ids = checks.triggerIds(triggers.all());
            assertThat(ids.messages()).as("no trigger id appeared twice").isEqualTo(ids.distinct().size());
            System.out.printf("kill -9: %d events, %d trigger ids, worker %s replaced by %s%n", oracle.records().size(),
                    ids.distinct().size(), before, after);
            storm.kill(name, 0);
            storm.awaitGone(name);
        }
    }
}
