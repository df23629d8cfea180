package io.gamecrm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.gamecrm.RepoPaths;
import io.gamecrm.json.Json;
import io.gamecrm.local.Server;
import io.gamecrm.testing.Events;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults under load on the real servers and a multi-process Storm cluster, each judged against the offline
 * reference ({@link StreamOracle}: the same handlers run by the offline runner on the same stream):
 * <ul>
 *   <li>the worker JVM killed with {@code kill -9} at random moments;</li>
 *   <li>the Kafka broker killed with {@code kill -9} and started again while events flow;</li>
 *   <li>Cassandra killed with {@code kill -9} (not stopped) and started again while events flow;</li>
 *   <li>Nimbus, then the supervisor, restarted while the topology runs.</li>
 * </ul>
 * Each must end with every event applied exactly once (each player's version and profile as the reference, one
 * event row per event), every trigger the reference implies present and no other, and a trigger repeated only as
 * itself. Each reports its recovery time per fault: from the fault until an event sent at that moment is applied
 * (printed, and written to {@code target/faults/<test>.json}).
 *
 * <p>The size comes from system properties: {@code crm.faults.events} (default 3,000), {@code crm.faults.rate}
 * (events per second, default 150; 0 sends as fast as the broker takes them) and {@code crm.faults.worker.kills}
 * (default 0: the repeated kills run with {@code mvn -Pfaults}, the single kill of the default build is
 * {@code CrmOnStormClusterIT}'s). The long runs ({@code mvn -Pfaults}, README "Faults on the multi-process
 * cluster") use 1,000,000 events and 10 kills.
 */
class ClusterFaultsIT extends OnStormCluster {
    private static final int EVENTS = Integer.getInteger("crm.faults.events", 3_000);
    private static final int RATE = Integer.getInteger("crm.faults.rate", 150);
    private static final int WORKER_KILLS = Integer.getInteger("crm.faults.worker.kills", 0);
    private static final Duration SERVER_DOWN = Duration.ofSeconds(5);

    /**
     * One fault: what it does (on the fault thread), after which event of the stream; {@code ready} (may be null)
     * waits for what the fault needs before it begins (e.g. a worker to kill).
     */
    private record Fault(String what, int afterEvent, Action ready, Action action) {
        Fault(String what, int afterEvent, Action action) {
            this(what, afterEvent, null, action);
        }
    }

    @FunctionalInterface
    private interface Action {
        void run(String topology) throws Exception;
    }

    @Test
    void workersKilledWithKill9AtRandomMomentsLoseAndRepeatNothing(@TempDir Path temp) throws Exception {
        Assumptions.assumeTrue(WORKER_KILLS > 0, "crm.faults.worker.kills is 0 (mvn -Pfaults sets 10)");
        Random random = new Random(41);
        TreeSet<Integer> moments = new TreeSet<>();
        while (moments.size() < WORKER_KILLS) {
            moments.add(EVENTS / 10 + random.nextInt(EVENTS * 8 / 10));
        }
        List<Fault> faults = new ArrayList<>();
        for (int at : moments) {
            faults.add(new Fault("kill -9 of the worker", at,
                    topology -> storm.awaitWorkersUp(topology, Duration.ofMinutes(3)),
                    topology -> storm.workerPids(topology)
                            .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly))));
        }
        run("workerkills", temp, faults);
    }

    @Test
    void theBrokerKilledWithKill9AndRestartedLosesAndRepeatsNothing(@TempDir Path temp) throws Exception {
        run("brokerkill", temp, List.of(killedAndStartedAgain(Server.KAFKA, "the Kafka broker")));
    }

    @Test
    void cassandraKilledWithKill9AndRestartedLosesAndRepeatsNothing(@TempDir Path temp) throws Exception {
        run("cassandrakill", temp, List.of(killedAndStartedAgain(Server.CASSANDRA, "Cassandra")));
    }

    /** A third into the stream: kill -9 of a local server, which is started again {@link #SERVER_DOWN} later. */
    private static Fault killedAndStartedAgain(Server server, String name) {
        return new Fault("kill -9 of " + name + ", started again after " + SERVER_DOWN.toSeconds() + " s", EVENTS / 3,
                topology -> {
                    ItEnv.kill9(server);
                    Thread.sleep(SERVER_DOWN.toMillis());
                    ItEnv.start(server);
                });
    }

    @Test
    void nimbusAndTheSupervisorRestartedLoseAndRepeatNothing(@TempDir Path temp) throws Exception {
        run("daemonrestarts", temp, List.of(
                new Fault("restart of Nimbus", EVENTS / 4, topology -> storm.restartNimbus()),
                new Fault("restart of the supervisor (its worker goes with it)", EVENTS / 2,
                        topology -> storm.restartSupervisor())));
    }

    /**
     * Plays the reference's stream at {@link #RATE} with the faults injected on a thread of their own (the stream
     * goes on meanwhile), then checks the outcome against the reference.
     */
    private void run(String name, Path temp, List<Fault> faults) throws Exception {
        ItEnv.Run run = ItEnv.Run.create(name);
        ItEnv.createTopics(run, 4);
        StreamOracle oracle = new StreamOracle(name.hashCode(), Math.max(40, EVENTS / 500), EVENTS);
        List<Map<String, Object>> recoveries = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> faultFailure = new AtomicReference<>();
        long started = System.nanoTime();
        try (TopicTail triggers = new TopicTail(ItEnv.stack().kafkaBootstrap(), run.trigger());
             KafkaProducer<String, byte[]> producer = ItEnv.producer();
             CqlSession cql = ItEnv.cql()) {
            PipelineChecks checks = new PipelineChecks(cql, run);
            String topology = storm.submitFlux(JAR, RepoPaths.flux().resolve("crm-topology.yaml"),
                    ItEnv.fluxPropertiesFile(run, temp));
            storm.awaitWorkersUp(topology, Duration.ofMinutes(3));
            List<Throwable> sendFailures = new CopyOnWriteArrayList<>();
            Thread faultThread = null;
            List<Fault> due = new ArrayList<>(faults);
            long t0 = System.nanoTime();
            int i = 0;
            for (StreamOracle.Record r : oracle.records()) {
                producer.send(new ProducerRecord<>(run.raw(), r.player(), r.json().getBytes(StandardCharsets.UTF_8)),
                        (meta, e) -> {
                            if (e != null) {
                                sendFailures.add(e);
                            }
                        });
                i++;
                if (!due.isEmpty() && i >= due.get(0).afterEvent() && (faultThread == null || !faultThread.isAlive())) {
                    int at = i;
                    Fault f = due.remove(0);
                    faultThread = started(name, () -> inject(f, at, topology, run, checks, recoveries, faultFailure));
                }
                if (RATE > 0) {
                    long wait = t0 + i * 1_000_000_000L / RATE - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
            producer.flush();
            while (faultThread != null) {
                faultThread.join();
                faultThread = null;
                if (!due.isEmpty()) { // faults whose moment came while an earlier one still ran
                    Fault f = due.remove(0);
                    faultThread = started(name, () -> inject(f, EVENTS, topology, run, checks, recoveries, faultFailure));
                }
            }
            assertThat(faultFailure.get()).as("every fault was injected").isNull();
            assertThat(sendFailures).as("the test's own producer delivered every event").isEmpty();

            long drained = System.nanoTime();
            await().atMost(Duration.ofMinutes(Math.max(5, EVENTS / 20_000))).pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptions().until(() -> checks.allApplied(oracle));
            Thread.sleep(3000); // the last triggers leave the sink

            report(name, oracle, checks, triggers.all(), recoveries, started, (System.nanoTime() - drained) / 1e9);
            checks.assertMatches(oracle, triggers);
            checks.assertRepeatsIdentical(triggers.all());
            storm.kill(topology, 0);
            storm.awaitGone(topology);
        }
    }

    /** The fault thread of a test, started. */
    private static Thread started(String test, Runnable fault) {
        Thread t = new Thread(fault, "fault-" + test);
        t.start();
        return t;
    }

    /**
     * Runs a fault and measures its recovery: from the fault's start until a login sent once the fault is done
     * (the server started again, the worker killed) is applied.
     */
    private void inject(Fault f, int at, String topology, ItEnv.Run run, PipelineChecks checks,
                        List<Map<String, Object>> recoveries, AtomicReference<Throwable> failure) {
        String probe = "probe-" + recoveries.size() + "-" + at;
        try (KafkaProducer<String, byte[]> producer = ItEnv.producer()) {
            if (f.ready() != null) {
                f.ready().run(topology);
            }
            long t0 = System.nanoTime();
            System.out.printf("fault after event %d: %s%n", at, f.what());
            f.action().run(topology);
            long done = System.nanoTime();
            producer.send(new ProducerRecord<>(run.raw(), probe, Events.loginJson(Events.id(probe, 0), probe,
                    Instant.parse("2026-11-26T08:00:00Z")).getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> checks.version(probe) == 1);
            long recovered = System.nanoTime();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fault", f.what());
            m.put("after_event", at);
            m.put("fault_seconds", Math.round((done - t0) / 1e7) / 100.0);
            m.put("recovery_seconds", Math.round((recovered - t0) / 1e7) / 100.0);
            recoveries.add(m);
            System.out.printf("  recovered %.1f s after the fault began (the fault itself took %.1f s)%n",
                    (recovered - t0) / 1e9, (done - t0) / 1e9);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    /** Prints and writes what the run found: events lost or applied twice (from the versions), triggers, faults. */
    private static void report(String name, StreamOracle oracle, PipelineChecks checks, List<TopicTail.Received> triggers,
                               List<Map<String, Object>> recoveries, long started, double drainSeconds) throws Exception {
        Map<String, Long> versions = checks.versions(oracle.eventsPerPlayer().keySet());
        long lost = 0;
        long twice = 0;
        for (Map.Entry<String, Integer> e : oracle.eventsPerPlayer().entrySet()) {
            long d = versions.get(e.getKey()) - e.getValue();
            lost += Math.max(0, -d);
            twice += Math.max(0, d);
        }
        PipelineChecks.TriggerIds ids = checks.triggerIds(triggers);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("test", name);
        out.put("events", oracle.records().size());
        out.put("players", oracle.eventsPerPlayer().size());
        out.put("rate_events_per_second", RATE);
        out.put("events_not_applied", lost);
        out.put("events_applied_twice", twice);
        out.put("trigger_ids_expected", oracle.triggerIds().size());
        out.put("trigger_ids", ids.distinct().size());
        out.put("trigger_messages", ids.messages());
        out.put("faults", recoveries);
        out.put("drain_after_stream_seconds", Math.round(drainSeconds * 10) / 10.0);
        out.put("wall_seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        Path dir = RepoPaths.root().resolve("topology/target/faults");
        Files.createDirectories(dir);
        String json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        Files.writeString(dir.resolve(name + ".json"), json);
        System.out.println(json);
    }
}
