package io.gamecrm.local.storm.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the worker processes a supervisor of a given Storm home started, by their command lines: a worker JVM runs
 * {@code org.apache.storm.daemon.worker.Worker <topology-id> <supervisor-id> [<supervisor-port>] <port> <worker-id>}
 * with {@code -Dstorm.home=<home>}; in front of each the supervisor starts a LogWriter JVM
 * ({@code org.apache.storm.LogWriter java ... Worker ...}) that forwards the worker's stdout and stderr to its log.
 * Reads {@code /proc/<pid>/cmdline} on Linux (never truncated), else {@link ProcessHandle.Info#arguments()}.
 */
final class StormProcesses {

    static final String WORKER_MAIN = "org.apache.storm.daemon.worker.Worker";
    static final String LOG_WRITER_MAIN = "org.apache.storm.LogWriter";
    private static final Path PROC = Path.of("/proc");

    private StormProcesses() {
    }

    /** A worker JVM or the LogWriter JVM in front of it. */
    record WorkerProcess(long pid, boolean logWriter, String topologyId, int port, String workerId) {
    }

    /** Every worker and LogWriter process of the cluster whose storm.home is {@code home}. */
    static List<WorkerProcess> find(Path home) {
        String homeArg = "-Dstorm.home=" + home.toAbsolutePath().normalize();
        List<WorkerProcess> found = new ArrayList<>();
        if (Files.isDirectory(PROC.resolve("self"))) {
            try (Stream<Path> dirs = Files.list(PROC)) {
                dirs.map(p -> p.getFileName().toString()).filter(StormProcesses::isNumber).forEach(pid ->
                        commandLine(PROC.resolve(pid).resolve("cmdline"))
                                .flatMap(args -> parse(Long.parseLong(pid), args, homeArg))
                                .ifPresent(found::add));
            } catch (IOException e) {
                // fall through: nothing found
            }
        } else {
            ProcessHandle.allProcesses().forEach(h -> h.info().arguments().ifPresent(args -> {
                List<String> all = new ArrayList<>();
                h.info().command().ifPresent(all::add);
                all.addAll(Arrays.asList(args));
                parse(h.pid(), all, homeArg).ifPresent(found::add);
            }));
        }
        return found;
    }

    /** The worker JVMs (not LogWriters) of one topology. */
    static List<WorkerProcess> workers(Path home, String topologyId) {
        List<WorkerProcess> workers = new ArrayList<>();
        for (WorkerProcess p : find(home)) {
            if (!p.logWriter() && p.topologyId().equals(topologyId)) {
                workers.add(p);
            }
        }
        return workers;
    }

    /** Parses a command line; empty if it is not a worker or LogWriter of the home given by {@code homeArg}. */
    static Optional<WorkerProcess> parse(long pid, List<String> args, String homeArg) {
        if (!args.contains(homeArg)) {
            return Optional.empty();
        }
        boolean logWriter = args.contains(LOG_WRITER_MAIN);
        int main = args.lastIndexOf(WORKER_MAIN);
        // topology-id supervisor-id [supervisor-port] port worker-id
        if (main < 0 || args.size() - main < 5) {
            return Optional.empty();
        }
        String topologyId = args.get(main + 1);
        String workerId = args.get(args.size() - 1);
        int port;
        try {
            port = Integer.parseInt(args.get(args.size() - 2));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(new WorkerProcess(pid, logWriter, topologyId, port, workerId));
    }

    private static Optional<List<String>> commandLine(Path cmdline) {
        try {
            byte[] bytes = Files.readAllBytes(cmdline);
            if (bytes.length == 0) {
                return Optional.empty(); // kernel thread or zombie
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (text.endsWith("\0")) {
                text = text.substring(0, text.length() - 1);
            }
            return Optional.of(Arrays.asList(text.split("\0", -1)));
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // gone meanwhile, or not ours to read
        }
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }
}
