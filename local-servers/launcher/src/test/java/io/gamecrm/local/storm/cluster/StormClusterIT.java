package io.gamecrm.local.storm.cluster;

import static io.gamecrm.local.ItReport.rssMb;
import static io.gamecrm.local.ItReport.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.local.ItReport;
import io.gamecrm.local.LocalStackException;
import io.gamecrm.local.StackListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.storm.flux.Flux;
import org.apache.storm.generated.ExecutorSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starts a multi-process Storm cluster (dev ZooKeeper, Nimbus, one supervisor), submits a Flux topology the way
 * {@code storm jar ... org.apache.storm.flux.Flux --remote} does, watches a real worker JVM process tuples, kills it
 * with SIGKILL and watches the supervisor replace it, kills the topology and stops the cluster.
 *
 * <p>The topology jar is Storm's own flux-core jar (shaded: it contains Flux) and the topology uses Storm's built-in
 * test spout and bolt, so this test needs nothing from the CRM topology. Runs in its own base dir
 * ({@code target/storm-cluster-it} of this module) and on its own ports, so it does not disturb a cluster started
 * with the defaults.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class StormClusterIT {
    private static final ItReport REPORT = new ItReport(StormClusterIT.class);

    private static final Duration WORKER_TIMEOUT = Duration.ofSeconds(120);

    private final StormClusterConfig cfg = StormClusterConfig.fromSystemProperties()
            .withBaseDir(Path.of("target", "storm-cluster-it").toAbsolutePath())
            .withPorts(new StormClusterConfig.Ports(12281, 16727, 16728, 16800, 2, 16180, 16100, 16872, 16799));

    @Test
    void runsAFluxTopologyOnWorkerJvmsAndSurvivesAKilledWorker() throws Exception {
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        StackListener listener = ((StackListener) progress::add).andThen(StackListener.logging());
        Path fluxJar = Path.of(Flux.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path yaml = Path.of(getClass().getResource("/storm-cluster/smoke-topology.yaml").toURI());
        String name = "smoke-" + System.currentTimeMillis();
        Path properties = cfg.baseDir().resolve("smoke.properties");
        Files.createDirectories(properties.getParent());
        Files.writeString(properties, "smoke.topology.name=" + name + "\n", StandardCharsets.UTF_8);

        Map<String, Long> daemons;
        long t0 = System.nanoTime();
        try (StormCluster cluster = StormCluster.start(cfg, listener)) {
            REPORT.line("daemons ready in %.1f s", seconds(t0));
            daemons = cluster.daemonPids();
            assertThat(daemons).containsOnlyKeys("zookeeper", "nimbus", "supervisor");
            daemons.forEach((d, pid) -> assertThat(ProcessHandle.of(pid)).as(d).isPresent());
            REPORT.line("resident memory: ZooKeeper %d MB, Nimbus %d MB, Supervisor %d MB", rssMb(daemons.get("zookeeper")),
                    rssMb(daemons.get("nimbus")), rssMb(daemons.get("supervisor")));
            assertThat(progress).anyMatch(m -> m.startsWith("Storm ZooKeeper ready in "))
                    .anyMatch(m -> m.startsWith("Storm Nimbus ready in "))
                    .anyMatch(m -> m.startsWith("Storm Supervisor ready in "));
            assertHomeLayout(cluster.home());

            // submit as `storm jar flux-core.jar org.apache.storm.flux.Flux --remote smoke.yaml --filter smoke.properties`
            long tSubmit = System.nanoTime();
            assertThat(cluster.submitFlux(fluxJar, yaml, properties)).isEqualTo(name);
            REPORT.line("submitted in %.1f s", seconds(tSubmit));
            assertThat(cluster.topologyRunning(name)).isTrue();
            String id = cluster.topologyId(name).orElseThrow();

            List<Long> workers = cluster.awaitWorkersUp(name, WORKER_TIMEOUT);
            REPORT.line("worker up %.1f s after submitting (pid %s)", seconds(tSubmit), workers);
            assertThat(workers).hasSize(1);
            long worker = workers.get(0);
            cluster.awaitEmitted(name, "words", 1, WORKER_TIMEOUT);
            REPORT.line("first tuples reported by Nimbus %.1f s after submitting", seconds(tSubmit));
            awaitExecuted(cluster, name, "counter", 1);
            REPORT.line("resident memory: worker %d MB", rssMb(worker));

            // the worker runs the way a production supervisor runs it: lib-worker/* ahead of the topology jar
            List<String> cmdline = commandLine(worker);
            String classpath = cmdline.get(cmdline.indexOf("-cp") + 1);
            assertThat(classpath).startsWith(cluster.homeDir().resolve("lib-worker") + "/*:"
                    + cluster.homeDir().resolve("extlib") + "/*:");
            assertThat(classpath).endsWith("/stormjar.jar");
            assertThat(cmdline).contains("-Xmx768m", "-Dstorm.home=" + cluster.homeDir(),
                    StormProcesses.WORKER_MAIN, id);
            assertThat(Path.of(cmdline.get(0))).isEqualTo(cfg.javaExecutable());
            Path workerLog = cluster.logDir().resolve("workers-artifacts").resolve(id).resolve("16800")
                    .resolve("worker.log");
            assertThat(cluster.workerLogs(name)).containsExactly(workerLog);
            assertThat(workerLog).content().contains("has finished loading");

            // kill -9 the worker: the supervisor notices and starts a new one in the same slot
            long oldUptime = awaitUptime(cluster, name, "words", 15);
            long tKill = System.nanoTime();
            assertThat(ProcessHandle.of(worker).orElseThrow().destroyForcibly()).isTrue();
            List<Long> replaced = awaitReplaced(cluster, name, worker);
            REPORT.line("worker pid %d killed; replacement pid %s running after %.1f s", worker, replaced, seconds(tKill));
            List<Long> restarted = cluster.awaitWorkersUp(name, WORKER_TIMEOUT);
            REPORT.line("replacement worker loaded %.1f s after kill -9", seconds(tKill));
            assertThat(restarted).hasSize(1).doesNotContain(worker);
            awaitFreshEmits(cluster, name, "words", oldUptime);
            REPORT.line("tuples flowing again (reported by the new worker) %.1f s after kill -9", seconds(tKill));
            assertThat(cluster.topologyRunning(name)).isTrue();
            assertThat(ProcessHandle.of(worker)).isEmpty();

            // kill the topology: its worker goes away and Nimbus forgets it
            long tTopologyKill = System.nanoTime();
            cluster.kill(name, 0);
            cluster.awaitGone(name, WORKER_TIMEOUT);
            REPORT.line("topology killed and gone in %.1f s", seconds(tTopologyKill));
            assertThat(cluster.workerPids(name)).isEmpty();
            assertThat(cluster.topologyRunning(name)).isFalse();
            assertThat(cluster.topologyNames()).doesNotContain(name);
            restarted.forEach(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
            assertThat(StormProcesses.find(cluster.homeDir())).isEmpty();
        }

        // closed: every daemon is gone and the ports are free again
        daemons.forEach((d, pid) -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as(d).isEmpty());
        cfg.ports().toCheck().forEach((key, port) -> assertThat(StormDaemons.isPortOpen(port)).as(key).isFalse());
        assertThat(progress).anyMatch(m -> m.startsWith("Storm cluster stopped in "));
    }

    private static void assertHomeLayout(StormHome home) throws IOException {
        assertThat(home.libDir().resolve("storm-server-2.8.3.jar")).isSymbolicLink();
        assertThat(home.libDir().resolve("storm-core-2.8.3.jar")).isSymbolicLink();
        assertThat(home.libWorkerDir().resolve("storm-client-2.8.3.jar")).isSymbolicLink();
        assertThat(home.libWorkerDir().resolve("storm-server-2.8.3.jar")).doesNotExist();
        assertThat(home.extlibDir()).isEmptyDirectory();
        assertThat(home.extlibDaemonDir()).isEmptyDirectory();
        assertThat(home.stormYaml()).content().contains("nimbus.thrift.port: 16727", "storm.zookeeper.port: 12281",
                "supervisor.slots.ports: [16800, 16801]", "worker.childopts: \"-Xmx768m\"");
        assertThat(home.clusterXml()).isRegularFile();
        assertThat(home.workerXml()).isRegularFile();
    }

    /** Waits until the topology's worker JVMs are new ones (none of them is {@code killed}). */
    private static List<Long> awaitReplaced(StormCluster cluster, String name, long killed) throws InterruptedException {
        long deadline = System.nanoTime() + WORKER_TIMEOUT.toNanos();
        while (true) {
            List<Long> pids = cluster.workerPids(name);
            if (!pids.isEmpty() && !pids.contains(killed)) {
                return pids;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no replacement for worker " + killed + " after " + WORKER_TIMEOUT);
            }
            Thread.sleep(100);
        }
    }

    private static void awaitExecuted(StormCluster cluster, String name, String bolt, long atLeast)
            throws InterruptedException {
        long deadline = System.nanoTime() + WORKER_TIMEOUT.toNanos();
        while (cluster.executed(name, bolt) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(bolt + " executed no tuples within " + WORKER_TIMEOUT);
            }
            Thread.sleep(200);
        }
    }

    /**
     * Waits until every executor of the component reports an uptime of at least {@code seconds} and returns the
     * largest: the heartbeats of a replacement worker are recognisable by a smaller uptime.
     */
    private static long awaitUptime(StormCluster cluster, String name, String component, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + WORKER_TIMEOUT.toNanos();
        while (true) {
            List<ExecutorSummary> executors = executors(cluster, name, component);
            if (!executors.isEmpty() && executors.stream().allMatch(e -> e.get_uptime_secs() >= seconds)) {
                return executors.stream().mapToLong(ExecutorSummary::get_uptime_secs).max().orElseThrow();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(component + " did not run for " + seconds + " s within " + WORKER_TIMEOUT);
            }
            Thread.sleep(500);
        }
    }

    /**
     * Waits until Nimbus has heartbeats from the replacement worker (every executor of the component reports an
     * uptime below {@code oldUptime}, which the killed worker's last heartbeats had reached) showing emitted tuples.
     */
    private static void awaitFreshEmits(StormCluster cluster, String name, String component, long oldUptime)
            throws InterruptedException {
        long deadline = System.nanoTime() + WORKER_TIMEOUT.toNanos();
        while (true) {
            List<ExecutorSummary> executors = executors(cluster, name, component);
            boolean fresh = !executors.isEmpty() && executors.stream().allMatch(e -> e.get_uptime_secs() < oldUptime);
            long emitted = executors.stream().filter(ExecutorSummary::is_set_stats)
                    .mapToLong(e -> e.get_stats().get_emitted().getOrDefault(":all-time", Map.of())
                            .getOrDefault("default", 0L)).sum();
            if (fresh && emitted > 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no emits from a restarted " + component + " within " + WORKER_TIMEOUT);
            }
            Thread.sleep(200);
        }
    }

    private static List<ExecutorSummary> executors(StormCluster cluster, String name, String component) {
        List<ExecutorSummary> executors = new ArrayList<>();
        try {
            cluster.topologyInfo(name).get_executors().stream()
                    .filter(e -> e.get_component_id().equals(component)).forEach(executors::add);
        } catch (LocalStackException e) {
            // Nimbus busy: try again
        }
        return executors;
    }

    private static List<String> commandLine(long pid) throws IOException {
        String text = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
        return Arrays.asList(text.split("\0"));
    }
}
