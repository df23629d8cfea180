package io.gamecrm.local.storm.cluster;

import static io.gamecrm.local.storm.cluster.Waiting.seconds;

import io.gamecrm.local.LocalStackException;
import io.gamecrm.local.StackListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.storm.generated.Nimbus;
import org.apache.storm.generated.TopologyInfo;
import org.apache.storm.generated.TopologySummary;
import org.apache.storm.utils.NimbusClient;

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
 * <p>The work is done by its parts: {@link StormDaemons} (start and stop of the daemons), {@link FluxSubmitter}
 * and {@link TopologyWatcher} (what Nimbus and the worker processes show of the topologies).
 *
 * <p>Thread-safe. Each Nimbus call opens its own Thrift connection.
 */
public final class StormCluster implements AutoCloseable {

    /** A call to Nimbus through a fresh client. */
    @FunctionalInterface
    public interface NimbusCall<T> {
        T call(Nimbus.Iface nimbus) throws Exception;
    }

    private final StormClusterConfig cfg;
    private final NimbusCalls calls;
    private final StormDaemons daemons;
    private final TopologyWatcher topologies;
    private final FluxSubmitter submitter;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StormCluster(StormClusterConfig cfg, StackListener listener, NimbusCalls calls, StormDaemons daemons) {
        this.cfg = cfg;
        this.calls = calls;
        this.daemons = daemons;
        this.topologies = new TopologyWatcher(daemons.home(), listener, calls);
        this.submitter = new FluxSubmitter(cfg, daemons.home(), daemons.bootstrap(), listener, topologies);
    }

    /**
     * Assembles the Storm home, starts ZooKeeper, then Nimbus and the supervisor, and returns once Nimbus is the
     * leader and the supervisor has registered with all its slots.
     *
     * @throws LocalStackException if a port is taken, a daemon exits or is not ready within
     *                             {@link StormClusterConfig.Timeouts#startup()} (with the end of its logs); whatever
     *                             was started is stopped again
     */
    public static StormCluster start(StormClusterConfig cfg, StackListener listener) {
        Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(listener, "listener");
        long t0 = System.nanoTime();
        NimbusCalls calls = new NimbusCalls(cfg);
        StormCluster cluster = new StormCluster(cfg, listener, calls, StormDaemons.start(cfg, listener, calls));
        listener.onProgress(String.format(Locale.ROOT, "Storm cluster ready in %.1f s (Nimbus 127.0.0.1:%d, slots %s, home %s)",
                seconds(t0), cfg.ports().nimbus(), cfg.ports().slotPorts(), cluster.homeDir()));
        return cluster;
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
     *                             finish within {@link StormClusterConfig.Timeouts#submit()}
     */
    public String submitFlux(Path topologyJar, Path fluxYaml, Path propertiesFile) {
        requireOpen();
        return submitter.submit(topologyJar, fluxYaml, propertiesFile);
    }

    /** Names of every topology Nimbus knows (any status). */
    public Set<String> topologyNames() {
        return topologies.topologyNames();
    }

    /** The topology's summary, empty if Nimbus does not know it (never submitted, or killed and removed). */
    public Optional<TopologySummary> topologySummary(String name) {
        return topologies.topologySummary(name);
    }

    /** The topology's id, e.g. {@code smoke-1-1718000000}; empty if Nimbus does not know it. */
    public Optional<String> topologyId(String name) {
        return topologies.topologyId(name);
    }

    /** The topology's status (ACTIVE, INACTIVE, KILLED, REBALANCING); empty if Nimbus does not know it. */
    public Optional<String> topologyStatus(String name) {
        return topologies.topologyStatus(name);
    }

    /** True if Nimbus has the topology and it is ACTIVE (not killed, not deactivated). */
    public boolean topologyRunning(String name) {
        return topologies.topologyRunning(name);
    }

    /** Nimbus' view of the topology's executors and their stats (as last reported by the workers). */
    public TopologyInfo topologyInfo(String name) {
        return topologies.topologyInfo(name);
    }

    /**
     * Tuples the component's executors emitted on non-system streams since their worker started, as last reported
     * to Nimbus (every few seconds; Storm samples 5 % of tuples by default, so it grows in steps of 20). Restarts
     * at 0 when a worker restarts.
     */
    public long emitted(String name, String componentId) {
        return topologies.emitted(name, componentId);
    }

    /** Like {@link #emitted} for the tuples a bolt executed (from non-system streams). */
    public long executed(String name, String componentId) {
        return topologies.executed(name, componentId);
    }

    /**
     * Waits until {@link #emitted} of the component reaches {@code atLeast}.
     *
     * @return the time waited
     * @throws LocalStackException on timeout
     */
    public Duration awaitEmitted(String name, String componentId, long atLeast, Duration timeout) {
        return topologies.awaitEmitted(name, componentId, atLeast, timeout);
    }

    /**
     * Pids of the topology's worker JVMs (not the LogWriter JVMs in front of them) that are running now, found by
     * their command lines; empty if there are none.
     */
    public List<Long> workerPids(String name) {
        return topologies.workerPids(name);
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
        return topologies.awaitWorkersUp(name, timeout);
    }

    /** The worker.log files of the topology, one per slot it ran in (existing ones only). */
    public List<Path> workerLogs(String name) {
        return topologies.workerLogs(name);
    }

    /**
     * Kills the topology as {@code storm kill <name> -w <waitSecs>} does: Nimbus deactivates its spouts, waits
     * {@code waitSecs}, then the supervisor stops its workers. Returns at once; see {@link #awaitGone}.
     *
     * @throws LocalStackException if no such topology is alive
     */
    public void kill(String name, int waitSecs) {
        requireOpen();
        topologies.kill(name, waitSecs);
    }

    /** {@link #awaitGone(String, Duration)} with a two-minute timeout. */
    public Duration awaitGone(String name) {
        return topologies.awaitGone(name);
    }

    /**
     * Waits until Nimbus no longer knows the topology and none of its worker (or LogWriter) processes is left.
     *
     * @return the time waited
     * @throws LocalStackException on timeout
     */
    public Duration awaitGone(String name, Duration timeout) {
        return topologies.awaitGone(name, timeout);
    }

    // ---------------------------------------------------------------------------------------------------------
    // the cluster

    public StormClusterConfig config() {
        return cfg;
    }

    public StormHome home() {
        return daemons.home();
    }

    /** The Storm home ({@code lib/}, {@code lib-worker/}, {@code conf/storm.yaml}, {@code logs/} ...). */
    public Path homeDir() {
        return daemons.home().dir();
    }

    /**
     * storm.log.dir: the daemons' logs, and the workers' in {@code workers-artifacts/<topology-id>/<port>/worker.log}.
     */
    public Path logDir() {
        return daemons.home().logDir();
    }

    /** Pids of the running daemons by name: "zookeeper", "nimbus", "supervisor". */
    public Map<String, Long> daemonPids() {
        return daemons.daemonPids();
    }

    /** Restarts Nimbus on the cluster's state while topologies run; returns once it leads again. */
    public void restartNimbus() {
        requireOpen();
        daemons.restartNimbus();
    }

    /**
     * Restarts the supervisor while topologies run; returns once it has registered its slots. Its workers stop with
     * it and are started again by the new supervisor (see {@link #awaitWorkersUp}).
     */
    public void restartSupervisor() {
        requireOpen();
        daemons.restartSupervisor();
    }

    /** A Storm client configuration for this cluster (e.g. for {@code NimbusClient}); a copy. */
    public Map<String, Object> clientConfig() {
        return calls.clientConfig();
    }

    /**
     * Calls Nimbus through a fresh {@link NimbusClient}.
     *
     * @throws LocalStackException wrapping whatever the call throws (a {@link LocalStackException} thrown by
     *                             {@code call} passes as is)
     */
    public <T> T withNimbus(NimbusCall<T> call) {
        return calls.call(call);
    }

    /**
     * Stops the supervisor (its workers go with it), any worker process left, Nimbus and ZooKeeper: SIGTERM, then
     * SIGKILL after {@link StormClusterConfig.Timeouts#stop()}. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            daemons.stop();
        }
    }

    @Override
    public String toString() {
        return "StormCluster{" + homeDir() + ", nimbus 127.0.0.1:" + cfg.ports().nimbus() + ", daemons " + daemonPids()
                + (closed.get() ? ", closed" : "") + "}";
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the Storm cluster is closed");
        }
    }
}
