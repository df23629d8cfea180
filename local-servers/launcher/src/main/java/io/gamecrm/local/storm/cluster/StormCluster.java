package io.gamecrm.local.storm.cluster;

import io.gamecrm.local.ChildJvm;
import io.gamecrm.local.LocalStackException;
import io.gamecrm.local.NetProbes;
import io.gamecrm.local.StackListener;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.storm.Config;
import org.apache.storm.generated.ClusterSummary;
import org.apache.storm.generated.ExecutorStats;
import org.apache.storm.generated.ExecutorSummary;
import org.apache.storm.generated.GlobalStreamId;
import org.apache.storm.generated.KillOptions;
import org.apache.storm.generated.Nimbus;
import org.apache.storm.generated.NotAliveException;
import org.apache.storm.generated.SupervisorSummary;
import org.apache.storm.generated.TopologyInfo;
import org.apache.storm.generated.TopologySummary;
import org.apache.storm.utils.NimbusClient;
import org.apache.storm.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local multi-process Storm cluster: a dev ZooKeeper, Nimbus and one supervisor, each a child JVM started from a
 * Storm home assembled from Maven artifacts ({@link StormHome}), exactly as the {@code storm} script starts them.
 * The supervisor starts real worker JVMs with {@code lib-worker/*}, {@code extlib/*} and {@code conf} ahead of the
 * topology jar, so classpath problems that an in-process {@code LocalCluster} hides show up here as they would on a
 * production cluster. Topologies are submitted the way {@code storm jar <jar> org.apache.storm.flux.Flux --remote
 * <yaml> --filter <properties>} does it ({@link #submitFlux}).
 *
 * <p>Every start is a fresh cluster: ZooKeeper's data and storm.local.dir are wiped. The daemons run behind
 * {@code ParentWatch}, so they exit when the JVM that started them dies, even by {@code kill -9}; the supervisor
 * then takes its workers down with it ({@link WorkerReaper}). {@link #close()} stops the supervisor (and with it the
 * workers), any worker left, Nimbus and ZooKeeper.
 *
 * <p>Files: {@link #homeDir()} (see {@link StormHome}); logs in {@link #logDir()}: {@code nimbus.log},
 * {@code supervisor.log}, {@code dev-zookeeper.log}, each daemon's stdout/stderr in {@code <name>.out}, each
 * submission's output in {@code submit-<flux file>-<time>.out}, and each worker's log in
 * {@code workers-artifacts/<topology-id>/<port>/worker.log} ({@code .err}: its stdout and stderr).
 *
 * <p>Thread-safe. Each Nimbus call opens its own Thrift connection.
 */
public final class StormCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StormCluster.class);

    static final String ZOOKEEPER_MAIN = "org.apache.storm.command.DevZookeeper";
    static final String NIMBUS_MAIN = "org.apache.storm.daemon.nimbus.Nimbus";
    static final String SUPERVISOR_MAIN = "org.apache.storm.daemon.supervisor.Supervisor";
    static final String FLUX_MAIN = "org.apache.storm.flux.Flux";
    /** Flux prints this (to stdout) before it submits. */
    static final Pattern FLUX_TOPOLOGY_NAME = Pattern.compile("(?m)^Topology Name: (.+?)\\s*$");
    private static final String ALL_TIME = ":all-time";
    private static final int NIMBUS_CALL_TIMEOUT_MILLIS = 10_000;
    private static final long POLL_MILLIS = 200;
    private static final int OUTPUT_LINES = 200;
    private static final Duration DEFAULT_GONE_TIMEOUT = Duration.ofMinutes(2);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT);

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

    /** A call to Nimbus through a fresh client. */
    @FunctionalInterface
    public interface NimbusCall<T> {
        T call(Nimbus.Iface nimbus) throws Exception;
    }

    private final StormClusterConfig cfg;
    private final StormHome home;
    private final StackListener listener;
    private final Map<String, Object> clientConf;
    private final Map<Daemon, ChildJvm> daemons = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> topologyIds = new ConcurrentHashMap<>();
    private final Set<String> loadedWorkers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private StormCluster(StormClusterConfig cfg, StormHome home, StackListener listener) {
        this.cfg = cfg;
        this.home = home;
        this.listener = listener;
        this.clientConf = clientConf(cfg);
    }

    /**
     * Assembles the Storm home, starts ZooKeeper, then Nimbus and the supervisor, and returns once Nimbus is the
     * leader and the supervisor has registered with all its slots.
     *
     * @throws LocalStackException if a port is taken, a daemon exits or is not ready within
     *                             {@link StormClusterConfig#startupTimeout()} (with the end of its logs); whatever
     *                             was started is stopped again
     */
    public static StormCluster start(StormClusterConfig cfg, StackListener listener) {
        Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(listener, "listener");
        long t0 = System.nanoTime();
        requirePortsFree(cfg, false);
        // nothing of ours is running (its daemon ports are free): workers left by an aborted run can go
        killStaleWorkers(cfg, listener);
        requirePortsFree(cfg, true);
        StormHome home = StormHome.assemble(cfg);
        resetState(cfg, home);
        StormBootstrap bootstrap = StormBootstrap.install(cfg.bootstrapDir(), cfg.javaHome());
        StormCluster cluster = new StormCluster(cfg, home, listener);
        try {
            cluster.startDaemons(bootstrap);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        listener.onProgress(String.format(Locale.ROOT, "Storm cluster ready in %.1f s (Nimbus 127.0.0.1:%d, slots %s, home %s)",
                seconds(t0), cfg.nimbusPort(), cfg.slotPorts(), home.dir()));
        return cluster;
    }

    private void startDaemons(StormBootstrap bootstrap) {
        long deadline = System.nanoTime() + cfg.startupTimeout().toNanos();
        ChildJvm zookeeper = startDaemon(bootstrap, Daemon.ZOOKEEPER, List.of(Daemon.ZOOKEEPER.mainClass),
                cfg.zookeeperHeap(), "port " + cfg.zookeeperPort());
        long zkStart = System.nanoTime();
        awaitReady(zookeeper, () -> isPortOpen(cfg.zookeeperPort()), deadline, zkStart);

        ChildJvm nimbus = startDaemon(bootstrap, Daemon.NIMBUS, List.of(Daemon.NIMBUS.mainClass), cfg.nimbusHeap(),
                "thrift port " + cfg.nimbusPort());
        long nimbusStart = System.nanoTime();
        ChildJvm supervisor = startDaemon(bootstrap, Daemon.SUPERVISOR,
                List.of(WorkerReaper.class.getName(), Daemon.SUPERVISOR.mainClass), cfg.supervisorHeap(),
                "slots " + cfg.slotPorts());
        long supervisorStart = System.nanoTime();
        awaitReady(nimbus, () -> isPortOpen(cfg.nimbusPort()) && nimbusIsLeader(), deadline, nimbusStart);
        awaitReady(supervisor, () -> isPortOpen(cfg.supervisorPort()) && supervisorRegistered(), deadline,
                supervisorStart);
    }

    private ChildJvm startDaemon(StormBootstrap bootstrap, Daemon daemon, List<String> mainAndArgs, String heap,
                                 String what) {
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
        ClusterSummary info = withNimbus(Nimbus.Iface::getClusterInfo);
        return info.get_nimbuses().stream().anyMatch(n -> n.is_isLeader());
    }

    private boolean supervisorRegistered() {
        ClusterSummary info = withNimbus(Nimbus.Iface::getClusterInfo);
        return info.get_supervisors().stream().mapToInt(SupervisorSummary::get_num_workers).sum() >= cfg.slots();
    }

    // ---------------------------------------------------------------------------------------------------------
    // submitting and inspecting topologies

    /**
     * Submits a Flux topology as {@code storm jar <topologyJar> org.apache.storm.flux.Flux --remote <fluxYaml>
     * --filter <propertiesFile>} does: a client JVM with {@code lib-worker/*}, {@code extlib/*}, the topology jar and
     * {@code conf} on its classpath and {@code -Dstorm.jar=<topologyJar>}, which uploads the jar to Nimbus. The
     * topology jar must contain Flux (flux-core) and the topology's code, but not Storm itself (storm-client is
     * {@code provided}).
     *
     * @param propertiesFile for Flux's {@code --filter} (substitutes {@code ${key}} in the YAML), or null for none
     * @return the topology's name (as the Flux file, after substitution, gives it)
     * @throws LocalStackException if the submitter exits with an error (the message holds its output) or does not
     *                             finish within {@link StormClusterConfig#submitTimeout()}
     */
    public String submitFlux(Path topologyJar, Path fluxYaml, Path propertiesFile) {
        requireOpen();
        Path jar = requireFile(topologyJar, "topology jar");
        Path yaml = requireFile(fluxYaml, "Flux file");
        Path properties = propertiesFile == null ? null : requireFile(propertiesFile, "properties file");
        Set<String> before = topologyNames();
        List<String> command = submitCommand(cfg, home, jar, yaml, properties);
        String stem = yaml.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path out = home.logDir().resolve("submit-" + stem + "-" + LocalDateTime.now().format(FILE_TIME) + ".out");
        long t0 = System.nanoTime();
        listener.onProgress("submitting " + yaml.getFileName() + " with " + jar.getFileName() + " (output: " + out + ")");
        String output = runSubmitter(command, out);
        Matcher m = FLUX_TOPOLOGY_NAME.matcher(output);
        String name;
        if (m.find()) {
            name = m.group(1);
        } else {
            Set<String> added = new HashSet<>(topologyNames());
            added.removeAll(before);
            if (added.size() != 1) {
                throw new LocalStackException("submitted " + yaml + " but cannot tell the topology's name (new topologies: "
                        + added + "); submitter output (" + out + "):\n" + lastLines(output, OUTPUT_LINES));
            }
            name = added.iterator().next();
        }
        String id = topologyId(name).orElseThrow(() -> new LocalStackException("the submitter of " + yaml
                + " succeeded but Nimbus has no topology named " + name + "; output (" + out + "):\n"
                + lastLines(output, OUTPUT_LINES)));
        listener.onProgress(String.format(Locale.ROOT, "submitted topology %s (%s) in %.1f s", name, id, seconds(t0)));
        return name;
    }

    /** The submitter's command line: the storm script's {@code storm jar} for Flux. */
    static List<String> submitCommand(StormClusterConfig cfg, StormHome home, Path jar, Path yaml, Path properties) {
        List<String> cmd = new ArrayList<>(List.of(cfg.javaExecutable().toString(), "-client",
                "-Ddaemon.name=",
                "-Dstorm.options=",
                "-Dstorm.home=" + home.dir(),
                "-Dstorm.log.dir=" + home.logDir(),
                "-Dstorm.conf.file=",
                "-cp", home.submitClasspath(jar).stream().map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator)),
                "-Dstorm.jar=" + jar,
                "-Dstorm.dependency.jars=",
                "-Dstorm.dependency.artifacts={}",
                FLUX_MAIN, "--remote", yaml.toString()));
        if (properties != null) {
            cmd.add("--filter");
            cmd.add(properties.toString());
        }
        return cmd;
    }

    private String runSubmitter(List<String> command, Path out) {
        try {
            Files.writeString(out, "=== " + Instant.now() + " " + String.join(" ", command) + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = ChildJvm.processBuilder(command, home.dir(), out);
            pb.environment().put("JAVA_HOME", cfg.javaHome().toString());
            Process p = pb.start();
            boolean done;
            try {
                done = p.waitFor(cfg.submitTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while submitting a topology", e);
            }
            if (!done) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new LocalStackException("the topology submitter (pid " + p.pid() + ") did not finish within "
                        + cfg.submitTimeout().toSeconds() + " s and was killed; output (" + out + "):\n"
                        + lastLines(read(out), OUTPUT_LINES));
            }
            String output = read(out);
            if (p.exitValue() != 0) {
                throw new LocalStackException("the topology submitter failed (exit code " + p.exitValue()
                        + "); output (" + out + "):\n" + lastLines(output, OUTPUT_LINES));
            }
            return output;
        } catch (IOException e) {
            throw new LocalStackException("cannot run the topology submitter: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while submitting a topology", e);
        }
    }

    /** Names of every topology Nimbus knows (any status). */
    public Set<String> topologyNames() {
        return withNimbus(n -> n.getTopologySummaries().stream().map(TopologySummary::get_name)
                .collect(Collectors.toCollection(HashSet::new)));
    }

    /** The topology's summary, empty if Nimbus does not know it (never submitted, or killed and removed). */
    public Optional<TopologySummary> topologySummary(String name) {
        Optional<TopologySummary> summary = withNimbus(n -> {
            try {
                return Optional.of(n.getTopologySummaryByName(name));
            } catch (NotAliveException e) {
                return Optional.empty();
            }
        });
        summary.ifPresent(s -> topologyIds.put(name, s.get_id()));
        return summary;
    }

    /** The topology's id, e.g. {@code smoke-1-1718000000}; empty if Nimbus does not know it. */
    public Optional<String> topologyId(String name) {
        return topologySummary(name).map(TopologySummary::get_id);
    }

    /** The topology's status (ACTIVE, INACTIVE, KILLED, REBALANCING); empty if Nimbus does not know it. */
    public Optional<String> topologyStatus(String name) {
        return topologySummary(name).map(TopologySummary::get_status);
    }

    /** True if Nimbus has the topology and it is ACTIVE (not killed, not deactivated). */
    public boolean topologyRunning(String name) {
        return topologyStatus(name).map("ACTIVE"::equals).orElse(false);
    }

    /** Nimbus' view of the topology's executors and their stats (as last reported by the workers). */
    public TopologyInfo topologyInfo(String name) {
        String id = requireId(name);
        return withNimbus(n -> n.getTopologyInfo(id));
    }

    /**
     * Tuples the component's executors emitted on non-system streams since their worker started, as last reported
     * to Nimbus (every few seconds; Storm samples 5 % of tuples by default, so it grows in steps of 20). Restarts
     * at 0 when a worker restarts.
     */
    public long emitted(String name, String componentId) {
        long sum = 0;
        for (ExecutorSummary e : topologyInfo(name).get_executors()) {
            if (e.get_component_id().equals(componentId) && e.is_set_stats()) {
                Map<String, Long> byStream = e.get_stats().get_emitted().get(ALL_TIME);
                if (byStream != null) {
                    sum += byStream.entrySet().stream().filter(s -> !Utils.isSystemId(s.getKey()))
                            .mapToLong(Map.Entry::getValue).sum();
                }
            }
        }
        return sum;
    }

    /** Like {@link #emitted} for the tuples a bolt executed (from non-system streams). */
    public long executed(String name, String componentId) {
        long sum = 0;
        for (ExecutorSummary e : topologyInfo(name).get_executors()) {
            ExecutorStats stats = e.get_stats();
            if (e.get_component_id().equals(componentId) && e.is_set_stats() && stats.get_specific().is_set_bolt()) {
                Map<GlobalStreamId, Long> byStream = stats.get_specific().get_bolt().get_executed().get(ALL_TIME);
                if (byStream != null) {
                    sum += byStream.entrySet().stream().filter(s -> !Utils.isSystemId(s.getKey().get_streamId()))
                            .mapToLong(Map.Entry::getValue).sum();
                }
            }
        }
        return sum;
    }

    /**
     * Waits until {@link #emitted} of the component reaches {@code atLeast}.
     *
     * @return the time waited
     * @throws LocalStackException on timeout
     */
    public Duration awaitEmitted(String name, String componentId, long atLeast, Duration timeout) {
        long t0 = System.nanoTime();
        long[] last = {0};
        poll(timeout, () -> (last[0] = emitted(name, componentId)) >= atLeast,
                () -> componentId + " of topology " + name + " emitted " + last[0] + " tuples, not " + atLeast);
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * Pids of the topology's worker JVMs (not the LogWriter JVMs in front of them) that are running now, found by
     * their command lines; empty if there are none.
     */
    public List<Long> workerPids(String name) {
        String id = knownId(name);
        if (id == null) {
            return List.of();
        }
        return StormProcesses.workers(home.dir(), id).stream().map(StormProcesses.WorkerProcess::pid).sorted()
                .collect(Collectors.toList());
    }

    /**
     * Waits until the topology has as many worker JVMs as Nimbus assigned it and each of them has finished loading
     * (logged "Worker ... has finished loading" to its worker.log): its executors exist and spouts are about to be
     * activated. After a worker was killed it waits for the replacement.
     *
     * @return the worker pids
     * @throws LocalStackException if Nimbus does not know the topology, or on timeout (with the supervisor's and the
     *                             workers' log tails)
     */
    public List<Long> awaitWorkersUp(String name, Duration timeout) {
        requireOpen();
        long t0 = System.nanoTime();
        String id = requireId(name);
        AtomicReference<List<Long>> pids = new AtomicReference<>(List.of());
        int[] assigned = {0};
        poll(timeout, () -> {
            TopologySummary s = topologySummary(name).orElseThrow(() ->
                    new LocalStackException("topology " + name + " is not running (Nimbus does not know it)"));
            assigned[0] = s.get_num_workers();
            List<StormProcesses.WorkerProcess> workers = StormProcesses.workers(home.dir(), id);
            pids.set(workers.stream().map(StormProcesses.WorkerProcess::pid).sorted().collect(Collectors.toList()));
            return assigned[0] > 0 && workers.size() >= assigned[0] && workers.stream().allMatch(this::finishedLoading);
        }, () -> "the workers of topology " + name + " (" + id + ") are not up: Nimbus assigned " + assigned[0]
                + " worker(s), running worker JVMs " + pids.get() + "; see " + workerLogDiagnostics(id));
        log.debug("workers of {} up in {} ms: {}", name, (System.nanoTime() - t0) / 1_000_000, pids.get());
        return pids.get();
    }

    private boolean finishedLoading(StormProcesses.WorkerProcess w) {
        if (loadedWorkers.contains(w.workerId())) {
            return true;
        }
        Path workerLog = workerLog(w.topologyId(), w.port());
        try {
            if (Files.isRegularFile(workerLog)
                    && Files.readString(workerLog, StandardCharsets.ISO_8859_1).contains("Worker " + w.workerId() + " for storm")) {
                loadedWorkers.add(w.workerId());
                return true;
            }
        } catch (IOException | UncheckedIOException e) {
            // being rolled over: try again
        }
        return false;
    }

    /** {@code <logDir>/workers-artifacts/<topology-id>/<port>/worker.log}. */
    Path workerLog(String topologyId, int port) {
        return home.workersArtifactsDir().resolve(topologyId).resolve(Integer.toString(port)).resolve("worker.log");
    }

    /** The worker.log files of the topology, one per slot it ran in (existing ones only). */
    public List<Path> workerLogs(String name) {
        String id = knownId(name);
        Path dir = id == null ? null : home.workersArtifactsDir().resolve(id);
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> ports = Files.list(dir)) {
            return ports.map(p -> p.resolve("worker.log")).filter(Files::isRegularFile).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Kills the topology as {@code storm kill <name> -w <waitSecs>} does: Nimbus deactivates its spouts, waits
     * {@code waitSecs}, then the supervisor stops its workers. Returns at once; see {@link #awaitGone}.
     *
     * @throws LocalStackException if no such topology is alive
     */
    public void kill(String name, int waitSecs) {
        requireOpen();
        topologyId(name); // remember the id for workerPids/awaitGone
        withNimbus(n -> {
            KillOptions opts = new KillOptions();
            opts.set_wait_secs(waitSecs);
            try {
                n.killTopologyWithOpts(name, opts);
            } catch (NotAliveException e) {
                throw new LocalStackException("cannot kill topology " + name + ": it is not alive", e);
            }
            return null;
        });
        listener.onProgress("killing topology " + name + " (wait " + waitSecs + " s)");
    }

    /** {@link #awaitGone(String, Duration)} with a two-minute timeout. */
    public Duration awaitGone(String name) {
        return awaitGone(name, DEFAULT_GONE_TIMEOUT);
    }

    /**
     * Waits until Nimbus no longer knows the topology and none of its worker (or LogWriter) processes is left.
     *
     * @return the time waited
     * @throws LocalStackException on timeout
     */
    public Duration awaitGone(String name, Duration timeout) {
        long t0 = System.nanoTime();
        String id = knownId(name);
        poll(timeout, () -> topologySummary(name).isEmpty() && (id == null
                        || StormProcesses.find(home.dir()).stream().noneMatch(p -> p.topologyId().equals(id))),
                () -> "topology " + name + " is still there (status " + topologyStatus(name).orElse("gone")
                        + ", worker pids " + workerPids(name) + ")");
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    // ---------------------------------------------------------------------------------------------------------
    // the cluster

    public StormClusterConfig config() {
        return cfg;
    }

    public StormHome home() {
        return home;
    }

    /** The Storm home ({@code lib/}, {@code lib-worker/}, {@code conf/storm.yaml}, {@code logs/} ...). */
    public Path homeDir() {
        return home.dir();
    }

    /**
     * storm.log.dir: the daemons' logs, and the workers' in {@code workers-artifacts/<topology-id>/<port>/worker.log}.
     */
    public Path logDir() {
        return home.logDir();
    }

    /** Pids of the running daemons by name: "zookeeper", "nimbus", "supervisor". */
    public Map<String, Long> daemonPids() {
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

    /** A Storm client configuration for this cluster (e.g. for {@code NimbusClient}); a copy. */
    public Map<String, Object> clientConfig() {
        return new HashMap<>(clientConf);
    }

    /**
     * Calls Nimbus through a fresh {@link NimbusClient}.
     *
     * @throws LocalStackException wrapping whatever the call throws (a {@link LocalStackException} thrown by
     *                             {@code call} passes as is)
     */
    public <T> T withNimbus(NimbusCall<T> call) {
        try (NimbusClient client = NimbusClient.Builder.withConf(clientConf).withTimeout(NIMBUS_CALL_TIMEOUT_MILLIS)
                .buildWithNimbusHostPort(StormClusterConfig.HOST, cfg.nimbusPort())) {
            return call.call(client.getClient());
        } catch (LocalStackException e) {
            throw e;
        } catch (Exception e) {
            throw new NimbusCallException("Nimbus call failed (127.0.0.1:" + cfg.nimbusPort() + "): " + e, e);
        }
    }

    /**
     * Stops the supervisor (its workers go with it), any worker process left, Nimbus and ZooKeeper: SIGTERM, then
     * SIGKILL after {@link StormClusterConfig#stopTimeout()}. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        stopDaemon(Daemon.SUPERVISOR);
        List<StormProcesses.WorkerProcess> left = StormProcesses.find(home.dir());
        if (!left.isEmpty()) {
            log.warn("stopping {} worker process(es) left after the supervisor: {}", left.size(), left);
            stopProcesses(left.stream().map(StormProcesses.WorkerProcess::pid).collect(Collectors.toList()),
                    cfg.stopTimeout());
        }
        stopDaemon(Daemon.NIMBUS);
        stopDaemon(Daemon.ZOOKEEPER);
        listener.onProgress(String.format(Locale.ROOT, "Storm cluster stopped in %.1f s", seconds(t0)));
    }

    private void stopDaemon(Daemon daemon) {
        ChildJvm jvm = daemons.get(daemon);
        if (jvm != null && jvm.isAlive()) {
            long t0 = System.nanoTime();
            boolean clean = jvm.stop(cfg.stopTimeout());
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

    @Override
    public String toString() {
        return "StormCluster{" + home.dir() + ", nimbus 127.0.0.1:" + cfg.nimbusPort() + ", daemons " + daemonPids()
                + (closed.get() ? ", closed" : "") + "}";
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    static Map<String, Object> clientConf(StormClusterConfig cfg) {
        Map<String, Object> conf = new HashMap<>(Utils.readDefaultConfig());
        conf.put(Config.NIMBUS_SEEDS, List.of(StormClusterConfig.HOST));
        conf.put(Config.NIMBUS_THRIFT_PORT, cfg.nimbusPort());
        conf.put(Config.STORM_ZOOKEEPER_SERVERS, List.of(StormClusterConfig.HOST));
        conf.put(Config.STORM_ZOOKEEPER_PORT, cfg.zookeeperPort());
        // fail fast: callers poll, and the default retries a refused connection for many seconds
        conf.put(Config.STORM_NIMBUS_RETRY_TIMES, 0);
        return conf;
    }

    /** Refuses to start when one of the cluster's ports is taken (daemon ports, or slots too). */
    private static void requirePortsFree(StormClusterConfig cfg, boolean slots) {
        for (Map.Entry<String, Integer> e : cfg.portsToCheck().entrySet()) {
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

    /** Polls {@code done} until true; Nimbus calls that fail count as "not yet", other exceptions end the wait. */
    private void poll(Duration timeout, BooleanSupplier done, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = "";
        while (true) {
            try {
                if (done.getAsBoolean()) {
                    return;
                }
            } catch (NimbusCallException e) {
                lastError = " (last Nimbus error: " + e.getMessage() + ")";
            }
            if (System.nanoTime() - deadline > 0) {
                throw new LocalStackException(failure.get() + " after " + timeout.toSeconds() + " s" + lastError);
            }
            sleep(POLL_MILLIS);
        }
    }

    /** A call to Nimbus failed (connection refused, timeout, Thrift error). */
    static final class NimbusCallException extends LocalStackException {
        private static final long serialVersionUID = 1L;

        NimbusCallException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private String workerLogDiagnostics(String id) {
        StringBuilder sb = new StringBuilder(home.logDir().resolve("supervisor.log").toString());
        Path dir = home.workersArtifactsDir().resolve(id);
        List<Path> logs = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir, 2)) {
                files.filter(p -> p.getFileName().toString().startsWith("worker.log")).sorted().forEach(logs::add);
            } catch (IOException e) {
                // none
            }
        }
        logs.forEach(p -> sb.append(" and ").append(p));
        appendTail(sb, home.logDir().resolve("supervisor.log"), 20);
        logs.forEach(p -> appendTail(sb, p, 30));
        return sb.toString();
    }

    private static void appendTail(StringBuilder sb, Path file, int lines) {
        List<String> last = ChildJvm.tail(file, lines);
        if (!last.isEmpty()) {
            sb.append(System.lineSeparator()).append("--- end of ").append(file).append(" ---")
                    .append(System.lineSeparator()).append(String.join(System.lineSeparator(), last));
        }
    }

    private String requireId(String name) {
        return topologyId(name).orElseThrow(() ->
                new LocalStackException("topology " + name + " is not running (Nimbus does not know it)"));
    }

    /** The id Nimbus has for the name, else the last one seen (the topology may be gone by now). */
    private String knownId(String name) {
        try {
            Optional<String> id = topologyId(name);
            if (id.isPresent()) {
                return id.get();
            }
        } catch (LocalStackException e) {
            // Nimbus unreachable: use what we know
        }
        return topologyIds.get(name);
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the Storm cluster is closed");
        }
    }

    private static Path requireFile(Path file, String what) {
        Objects.requireNonNull(file, what);
        Path p = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no " + what + " at " + p);
        }
        return p;
    }

    static boolean isPortOpen(int port) {
        return NetProbes.isPortOpen(StormClusterConfig.HOST, port);
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static String lastLines(String text, int n) {
        List<String> lines = text.lines().collect(Collectors.toList());
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted", e);
        }
    }
}
