package io.gamecrm.local.storm.cluster;

import static io.gamecrm.local.storm.cluster.Waiting.sleep;

import io.gamecrm.local.ChildJvm;
import io.gamecrm.local.LocalStackException;
import io.gamecrm.local.StackListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.storm.generated.ExecutorStats;
import org.apache.storm.generated.ExecutorSummary;
import org.apache.storm.generated.GlobalStreamId;
import org.apache.storm.generated.KillOptions;
import org.apache.storm.generated.NotAliveException;
import org.apache.storm.generated.TopologyInfo;
import org.apache.storm.generated.TopologySummary;
import org.apache.storm.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topologies of a {@link StormCluster} as Nimbus and the worker processes show them: names, ids, status,
 * executor stats, worker pids and logs; waits for workers to be up, for tuples to be emitted and for a killed
 * topology to be gone. Remembers each topology's last id, so a topology Nimbus has forgotten can still be
 * waited for. Thread-safe.
 */
final class TopologyWatcher {

    /** Logs under StormCluster's name, as before the split, so logging configurations keep working. */
    private static final Logger log = LoggerFactory.getLogger(StormCluster.class);
    private static final String ALL_TIME = ":all-time";
    private static final long POLL_MILLIS = 200;
    private static final Duration DEFAULT_GONE_TIMEOUT = Duration.ofMinutes(2);

    private final StormHome home;
    private final StackListener listener;
    private final NimbusCalls calls;
    private final Map<String, String> topologyIds = new ConcurrentHashMap<>();
    private final Set<String> loadedWorkers = ConcurrentHashMap.newKeySet();

    TopologyWatcher(StormHome home, StackListener listener, NimbusCalls calls) {
        this.home = home;
        this.listener = listener;
        this.calls = calls;
    }

    /** Names of every topology Nimbus knows (any status). */
    Set<String> topologyNames() {
        return calls.call(n -> n.getTopologySummaries().stream().map(TopologySummary::get_name)
                .collect(Collectors.toCollection(HashSet::new)));
    }

    /** The topology's summary, empty if Nimbus does not know it (never submitted, or killed and removed). */
    Optional<TopologySummary> topologySummary(String name) {
        Optional<TopologySummary> summary = calls.call(n -> {
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
    Optional<String> topologyId(String name) {
        return topologySummary(name).map(TopologySummary::get_id);
    }

    /** The topology's status (ACTIVE, INACTIVE, KILLED, REBALANCING); empty if Nimbus does not know it. */
    Optional<String> topologyStatus(String name) {
        return topologySummary(name).map(TopologySummary::get_status);
    }

    /** True if Nimbus has the topology and it is ACTIVE (not killed, not deactivated). */
    boolean topologyRunning(String name) {
        return topologyStatus(name).map("ACTIVE"::equals).orElse(false);
    }

    /** Nimbus' view of the topology's executors and their stats (as last reported by the workers). */
    TopologyInfo topologyInfo(String name) {
        String id = requireId(name);
        return calls.call(n -> n.getTopologyInfo(id));
    }

    /**
     * Tuples the component's executors emitted on non-system streams since their worker started, as last reported
     * to Nimbus (every few seconds; Storm samples 5 % of tuples by default, so it grows in steps of 20). Restarts
     * at 0 when a worker restarts.
     */
    long emitted(String name, String componentId) {
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
    long executed(String name, String componentId) {
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
    Duration awaitEmitted(String name, String componentId, long atLeast, Duration timeout) {
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
    List<Long> workerPids(String name) {
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
    List<Long> awaitWorkersUp(String name, Duration timeout) {
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
    List<Path> workerLogs(String name) {
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
    void kill(String name, int waitSecs) {
        topologyId(name); // remember the id for workerPids/awaitGone
        calls.call(n -> {
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
    Duration awaitGone(String name) {
        return awaitGone(name, DEFAULT_GONE_TIMEOUT);
    }

    /**
     * Waits until Nimbus no longer knows the topology and none of its worker (or LogWriter) processes is left.
     *
     * @return the time waited
     * @throws LocalStackException on timeout
     */
    Duration awaitGone(String name, Duration timeout) {
        long t0 = System.nanoTime();
        String id = knownId(name);
        poll(timeout, () -> topologySummary(name).isEmpty() && (id == null
                        || StormProcesses.find(home.dir()).stream().noneMatch(p -> p.topologyId().equals(id))),
                () -> "topology " + name + " is still there (status " + topologyStatus(name).orElse("gone")
                        + ", worker pids " + workerPids(name) + ")");
        return Duration.ofNanos(System.nanoTime() - t0);
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
            } catch (NimbusCalls.NimbusCallException e) {
                lastError = " (last Nimbus error: " + e.getMessage() + ")";
            }
            if (System.nanoTime() - deadline > 0) {
                throw new LocalStackException(failure.get() + " after " + timeout.toSeconds() + " s" + lastError);
            }
            sleep(POLL_MILLIS);
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
}
