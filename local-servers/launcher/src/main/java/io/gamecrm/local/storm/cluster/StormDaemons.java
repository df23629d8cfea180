package io.gamecrm.local.storm.cluster;

import static io.gamecrm.local.storm.cluster.Waiting.seconds;
import static io.gamecrm.local.storm.cluster.Waiting.sleep;

import io.gamecrm.local.ChildJvm;
import io.gamecrm.local.LocalStackException;
import io.gamecrm.local.NetProbes;
import io.gamecrm.local.StackListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.storm.generated.ClusterSummary;
import org.apache.storm.generated.Nimbus;
import org.apache.storm.generated.SupervisorSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemons of a {@link StormCluster}: a dev ZooKeeper, Nimbus and one supervisor as child JVMs, started on a
 * fresh state (after checking the ports and stopping workers an aborted run left) and stopped again (supervisor,
 * any worker left, Nimbus, ZooKeeper). Thread-safe.
 */
final class StormDaemons {

    /** Logs under StormCluster's name, as before the split, so logging configurations keep working. */
    private static final Logger log = LoggerFactory.getLogger(StormCluster.class);

    static final String ZOOKEEPER_MAIN = "org.apache.storm.command.DevZookeeper";
    static final String NIMBUS_MAIN = "org.apache.storm.daemon.nimbus.Nimbus";
    static final String SUPERVISOR_MAIN = "org.apache.storm.daemon.supervisor.Supervisor";

    /** A daemon of the cluster: key (log file name), display name, storm script's daemon.name, main class. */
    private enum Daemon {
        ZOOKEEPER("dev-zookeeper", "ZooKeeper", "dev_zookeeper", ZOOKEEPER_MAIN),
        NIMBUS("nimbus", "Nimbus", "nimbus", NIMBUS_MAIN),
        SUPERVISOR("supervisor", "Supervisor", "supervisor", SUPERVISOR_MAIN);

        final String key;
        final String displayName;
        final String daemonName;
        final String mainClass;

        Daemon(String key, String displayName, String daemonName, String mainClass) {
            this.key = key;
            this.displayName = displayName;
            this.daemonName = daemonName;
            this.mainClass = mainClass;
        }
    }

    private final StormClusterConfig cfg;
    private final StormHome home;
    private final StormBootstrap bootstrap;
    private final StackListener listener;
    private final NimbusCalls calls;
    private final Map<Daemon, ChildJvm> daemons = Collections.synchronizedMap(new LinkedHashMap<>());

    private StormDaemons(StormClusterConfig cfg, StormHome home, StormBootstrap bootstrap, StackListener listener,
                         NimbusCalls calls) {
        this.cfg = cfg;
        this.home = home;
        this.bootstrap = bootstrap;
        this.listener = listener;
        this.calls = calls;
    }

    /**
     * Assembles the Storm home, starts ZooKeeper, then Nimbus and the supervisor, and returns once Nimbus is the
     * leader and the supervisor has registered with all its slots.
     *
     * @throws LocalStackException if a port is taken, a daemon exits or is not ready within
     *                             {@link StormClusterConfig.Timeouts#startup()} (with the end of its logs); whatever
     *                             was started is stopped again
     */
    static StormDaemons start(StormClusterConfig cfg, StackListener listener, NimbusCalls calls) {
        requirePortsFree(cfg, false);
        // nothing of ours is running (its daemon ports are free): workers left by an aborted run can go
        killStaleWorkers(cfg, listener);
        requirePortsFree(cfg, true);
        StormHome home = StormHome.assemble(cfg);
        resetState(cfg, home);
        StormBootstrap bootstrap = StormBootstrap.install(cfg.bootstrapDir(), cfg.javaHome());
        StormDaemons daemons = new StormDaemons(cfg, home, bootstrap, listener, calls);
        try {
            daemons.startDaemons();
        } catch (RuntimeException | Error e) {
            daemons.stop();
            throw e;
        }
        return daemons;
    }

    StormHome home() {
        return home;
    }

    /** What the daemons started with; the Flux submitter starts with it too. */
    StormBootstrap bootstrap() {
        return bootstrap;
    }

    private void startDaemons() {
        long deadline = System.nanoTime() + cfg.timeouts().startup().toNanos();
        ChildJvm zookeeper = startDaemon(Daemon.ZOOKEEPER, List.of(Daemon.ZOOKEEPER.mainClass),
                cfg.heaps().zookeeper(), "port " + cfg.ports().zookeeper());
        long zkStart = System.nanoTime();
        awaitReady(zookeeper, () -> isPortOpen(cfg.ports().zookeeper()), deadline, zkStart);

        ChildJvm nimbus = startDaemon(Daemon.NIMBUS, List.of(Daemon.NIMBUS.mainClass), cfg.heaps().nimbus(),
                "thrift port " + cfg.ports().nimbus());
        long nimbusStart = System.nanoTime();
        ChildJvm supervisor = startDaemon(Daemon.SUPERVISOR,
                List.of(WorkerReaper.class.getName(), Daemon.SUPERVISOR.mainClass), cfg.heaps().supervisor(),
                "slots " + cfg.ports().slotPorts());
        long supervisorStart = System.nanoTime();
        awaitReady(nimbus, () -> isPortOpen(cfg.ports().nimbus()) && nimbusIsLeader(), deadline, nimbusStart);
        awaitReady(supervisor, () -> isPortOpen(cfg.ports().supervisor()) && supervisorRegistered(), deadline,
                supervisorStart);
    }

    /**
     * Stops Nimbus (SIGTERM, then SIGKILL after {@link StormClusterConfig.Timeouts#stop()}) and starts it again on the
     * same state (ZooKeeper, storm.local.dir), as an operator's restart does; returns once it is the leader again.
     */
    void restartNimbus() {
        stopDaemon(Daemon.NIMBUS);
        long deadline = System.nanoTime() + cfg.timeouts().startup().toNanos();
        ChildJvm nimbus = startDaemon(Daemon.NIMBUS, List.of(Daemon.NIMBUS.mainClass), cfg.heaps().nimbus(),
                "thrift port " + cfg.ports().nimbus());
        awaitReady(nimbus, () -> isPortOpen(cfg.ports().nimbus()) && nimbusIsLeader(), deadline, System.nanoTime());
    }

    /**
     * Stops the supervisor and starts it again on the same storm.local.dir; returns once it has registered its slots.
     * Here the supervisor's workers stop with it ({@link WorkerReaper}), so the new supervisor starts them again.
     */
    void restartSupervisor() {
        stopDaemon(Daemon.SUPERVISOR);
        long deadline = System.nanoTime() + cfg.timeouts().startup().toNanos();
        ChildJvm supervisor = startDaemon(Daemon.SUPERVISOR,
                List.of(WorkerReaper.class.getName(), Daemon.SUPERVISOR.mainClass), cfg.heaps().supervisor(),
                "slots " + cfg.ports().slotPorts());
        awaitReady(supervisor, () -> isPortOpen(cfg.ports().supervisor()) && supervisorRegistered(), deadline,
                System.nanoTime());
    }

    private ChildJvm startDaemon(Daemon daemon, List<String> mainAndArgs, String heap, String what) {
        Path logFile = home.logDir().resolve(daemon.key + ".log");
        listener.onProgress("starting Storm " + daemon.displayName + " (" + what + ", log: " + logFile + ")");
        ChildJvm.Spec spec = ChildJvm.Spec.builder(daemon.displayName, mainAndArgs.get(0))
                .java(bootstrap.javaScript())
                .jvmOptions(daemonJvmOptions(home, daemon.key, daemon.daemonName, heap))
                .bootstrapDir(bootstrap.classesDir())
                .classpath(home.daemonClasspath())
                .args(mainAndArgs.subList(1, mainAndArgs.size()))
                .outFile(home.logDir().resolve(daemon.key + ".out"))
                .diagnosticLogs(List.of(logFile))
                .argFile(cfg.bootstrapDir().resolve(daemon.key + ".jvm.args"))
                .workDir(home.dir())
                .build();
        try {
            ChildJvm jvm = ChildJvm.start(spec);
            daemons.put(daemon, jvm);
            return jvm;
        } catch (IOException e) {
            throw new LocalStackException("cannot start Storm " + daemon.displayName + ": " + e.getMessage(), e);
        }
    }

    /**
     * JVM options of a daemon, as the storm script passes them ({@code storm nimbus} etc.), with {@code -Xmx heap}
     * for the {@code <daemon>.childopts}.
     */
    static List<String> daemonJvmOptions(StormHome home, String logName, String daemonName, String heap) {
        return List.of("-server", "-Xmx" + heap,
                "-Ddaemon.name=" + daemonName,
                "-Dstorm.options=",
                "-Dstorm.home=" + home.dir(),
                "-Dstorm.log.dir=" + home.logDir(),
                "-Dstorm.conf.file=",
                "-Djava.deserialization.disabled=true",
                "-Dlogfile.name=" + logName + ".log",
                "-Dlog4j.configurationFile=" + home.clusterXml());
    }

    private void awaitReady(ChildJvm jvm, BooleanSupplier ready, long deadline, long started) {
        Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L));
        jvm.awaitReady(ready, left);
        listener.onProgress(String.format(Locale.ROOT, "Storm %s ready in %.1f s (pid %d)", jvm.name(),
                seconds(started), jvm.pid()));
    }

    private boolean nimbusIsLeader() {
        ClusterSummary info = calls.call(Nimbus.Iface::getClusterInfo);
        return info.get_nimbuses().stream().anyMatch(n -> n.is_isLeader());
    }

    private boolean supervisorRegistered() {
        ClusterSummary info = calls.call(Nimbus.Iface::getClusterInfo);
        return info.get_supervisors().stream().mapToInt(SupervisorSummary::get_num_workers).sum() >= cfg.ports().slots();
    }

    /** Pids of the running daemons by name: "zookeeper", "nimbus", "supervisor". */
    Map<String, Long> daemonPids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        synchronized (daemons) {
            daemons.forEach((d, jvm) -> {
                if (jvm.isAlive()) {
                    pids.put(d == Daemon.ZOOKEEPER ? "zookeeper" : d.key, jvm.pid());
                }
            });
        }
        return pids;
    }

    /**
     * Stops the supervisor (its workers go with it), any worker process left, Nimbus and ZooKeeper: SIGTERM, then
     * SIGKILL after {@link StormClusterConfig.Timeouts#stop()}.
     */
    void stop() {
        long t0 = System.nanoTime();
        stopDaemon(Daemon.SUPERVISOR);
        List<StormProcesses.WorkerProcess> left = StormProcesses.find(home.dir());
        if (!left.isEmpty()) {
            log.warn("stopping {} worker process(es) left after the supervisor: {}", left.size(), left);
            stopProcesses(left.stream().map(StormProcesses.WorkerProcess::pid).collect(Collectors.toList()),
                    cfg.timeouts().stop());
        }
        stopDaemon(Daemon.NIMBUS);
        stopDaemon(Daemon.ZOOKEEPER);
        listener.onProgress(String.format(Locale.ROOT, "Storm cluster stopped in %.1f s", seconds(t0)));
    }

    private void stopDaemon(Daemon daemon) {
        ChildJvm jvm = daemons.get(daemon);
        if (jvm != null && jvm.isAlive()) {
            long t0 = System.nanoTime();
            boolean clean = jvm.stop(cfg.timeouts().stop());
            listener.onProgress(String.format(Locale.ROOT, "Storm %s stopped in %.1f s (pid %d%s)", jvm.name(),
                    seconds(t0), jvm.pid(), clean ? "" : ", killed"));
        }
    }

    /** SIGTERM, wait up to {@code timeout}, SIGKILL. */
    static void stopProcesses(List<Long> pids, Duration timeout) {
        List<ProcessHandle> handles = pids.stream().map(ProcessHandle::of).flatMap(Optional::stream)
                .collect(Collectors.toList());
        handles.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handles.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() - deadline < 0) {
            sleep(100);
        }
        handles.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handles.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() - killDeadline < 0) {
            sleep(100);
        }
    }

    /** Refuses to start when one of the cluster's ports is taken (daemon ports, or slots too). */
    private static void requirePortsFree(StormClusterConfig cfg, boolean slots) {
        for (Map.Entry<String, Integer> e : cfg.ports().toCheck().entrySet()) {
            boolean isSlot = e.getKey().startsWith("supervisor.slots.ports");
            if (isSlot == slots && isPortOpen(e.getValue())) {
                throw new LocalStackException("cannot start the Storm cluster: port " + e.getValue() + " (" + e.getKey()
                        + ") is in use on 127.0.0.1. Is a Storm cluster with home " + cfg.homeDir()
                        + " already running (e.g. in another JVM)? Otherwise choose other ports with the "
                        + "crm.local.storm.* system properties (see StormClusterConfig).");
            }
        }
    }

    private static void killStaleWorkers(StormClusterConfig cfg, StackListener listener) {
        List<StormProcesses.WorkerProcess> stale = StormProcesses.find(cfg.homeDir());
        if (!stale.isEmpty()) {
            listener.onProgress("stopping " + stale.size() + " worker process(es) left by an earlier Storm cluster in "
                    + cfg.homeDir() + ": " + stale.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(" ")));
            stopProcesses(stale.stream().map(StormProcesses.WorkerProcess::pid).collect(Collectors.toList()),
                    Duration.ofSeconds(5));
        }
    }

    /** A fresh cluster: no ZooKeeper data, no storm.local.dir, no worker logs of earlier clusters' topologies. */
    private static void resetState(StormClusterConfig cfg, StormHome home) {
        try {
            deleteRecursively(cfg.dataDir());
            deleteRecursively(home.workersArtifactsDir());
            Files.createDirectories(cfg.localDir());
            Files.createDirectories(cfg.zookeeperDataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the Storm cluster state in " + cfg.dataDir(), e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    static boolean isPortOpen(int port) {
        return NetProbes.isPortOpen(StormClusterConfig.HOST, port);
    }
}
