package io.gamecrm.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server running in a child JVM, either started here ({@link #start(Spec)}) or found again by pid
 * ({@link #attach}).
 *
 * <p>A started child runs {@code java <jvmOptions> -cp <bootstrap>:<classpath> io.gamecrm.local.ParentWatch
 * <parentPid|-> <mainClass> <args>}; with an {@link Spec.Builder#argFile argument file} the JVM options and
 * the classpath go into that file ({@code java @file ...}), which keeps the process's command line short
 * (the JDK and {@code ps} truncate long ones). Its stdout and stderr are appended to {@link #outFile()}, and
 * its stdin reads from /dev/null. Children get a session of their own ({@code setsid}) so terminal signals
 * of the launching shell (Ctrl-C) do not reach them: the launcher decides in which order things stop.
 */
public final class ChildJvm {

    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
    private static final long POLL_MILLIS = 100;
    private static final int TAIL_LINES = 40;
    private static final int MAX_LINE = 500;
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final ProcessHandle handle;
    private final Process process;
    private final Path outFile;
    private final List<Path> diagnosticLogs;

    private ChildJvm(String name, ProcessHandle handle, Process process, Path outFile, List<Path> diagnosticLogs) {
        this.name = name;
        this.handle = handle;
        this.process = process;
        this.outFile = outFile;
        this.diagnosticLogs = List.copyOf(diagnosticLogs);
    }

    /** Starts the child; returns as soon as the process exists (see {@link #awaitReady}). */
    public static ChildJvm start(Spec spec) throws IOException {
        List<String> command = spec.command();
        Files.createDirectories(spec.outFile.getParent());
        Files.createDirectories(spec.workDir);
        if (spec.argFile != null) {
            Files.createDirectories(spec.argFile.getParent());
            Files.writeString(spec.argFile, spec.argFileText(), StandardCharsets.UTF_8);
        }
        Files.writeString(spec.outFile, "\n=== " + Instant.now() + " starting " + spec.name + ": "
                        + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = processBuilder(command, spec.workDir, spec.outFile);
        pb.environment().putAll(spec.environment);
        Process process = pb.start();
        log.debug("started {} (pid {}): {}", spec.name, process.pid(), command);
        return new ChildJvm(spec.name, process.toHandle(), process, spec.outFile, spec.diagnosticLogs);
    }

    /**
     * A process set up as every child of the launcher is: running in {@code workDir}, stdout and stderr appended to
     * {@code outFile}, stdin from /dev/null, and no {@code CLASSPATH}, {@code JAVA_TOOL_OPTIONS} or
     * {@code JDK_JAVA_OPTIONS} inherited from the caller's environment.
     */
    private static ProcessBuilder processBuilder(List<String> command, Path workDir, Path outFile) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outFile.toFile()));
        File devNull = new File("/dev/null");
        if (devNull.exists()) {
            pb.redirectInput(ProcessBuilder.Redirect.from(devNull));
        }
        pb.environment().remove("CLASSPATH");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        return pb;
    }

    /** Finds a running process by pid; empty if there is none. */
    public static Optional<ChildJvm> attach(String name, long pid, Path outFile, List<Path> diagnosticLogs) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> new ChildJvm(name, h, null, outFile, diagnosticLogs));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return handle.pid();
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** File receiving the child's stdout and stderr. */
    public Path outFile() {
        return outFile;
    }

    /**
     * Polls {@code ready} (every 100 ms) until it returns true and returns the time waited. A check that
     * throws counts as "not ready".
     *
     * @throws LocalStackException if the process exits first or {@code timeout} passes; the message quotes
     *                             the last 40 lines of the child's log files
     */
    public Duration awaitReady(BooleanSupplier ready, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            if (check(ready)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (!isAlive()) {
                String code = process == null ? "" : " with code " + exitCode();
                throw new LocalStackException(name + " (pid " + pid() + ") exited" + code
                        + " while starting; see " + logFiles() + tails());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new LocalStackException(name + " (pid " + pid() + ") was not ready after "
                        + timeout.toSeconds() + " s; see " + logFiles() + tails());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while waiting for " + name, e);
            }
        }
    }

    /**
     * Waits for a short-lived child (a tool, not a server) to exit and returns its exit code.
     *
     * @throws LocalStackException if it is still running after {@code timeout} (it is killed then)
     */
    public int awaitExit(Duration timeout) {
        if (!waitForExit(timeout)) {
            handle.destroyForcibly();
            waitForExit(KILL_WAIT);
            throw new LocalStackException(name + " (pid " + pid() + ") did not finish within "
                    + timeout.toSeconds() + " s and was killed; see " + logFiles() + tails());
        }
        return process == null ? 0 : exitCode();
    }

    /** The end of the child's log files, for error messages. */
    public String describeLogs() {
        return logFiles() + tails();
    }

    /**
     * Sends SIGTERM and waits up to {@code timeout} for the process to exit; kills it (SIGKILL) after that.
     *
     * @return true if it exited after SIGTERM (or was not running), false if it had to be killed
     */
    public boolean stop(Duration timeout) {
        if (!isAlive()) {
            return true;
        }
        handle.destroy();
        if (waitForExit(timeout)) {
            return true;
        }
        log.warn("{} (pid {}) did not exit within {} ms of SIGTERM; killing it", name, pid(), timeout.toMillis());
        handle.destroyForcibly();
        if (!waitForExit(KILL_WAIT)) {
            log.error("{} (pid {}) is still alive after SIGKILL", name, pid());
        }
        return false;
    }

    private boolean waitForExit(Duration timeout) {
        try {
            if (process != null) {
                return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !isAlive();
        } catch (ExecutionException e) {
            return !isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !isAlive();
        }
    }

    private int exitCode() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static boolean check(BooleanSupplier ready) {
        try {
            return ready.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String logFiles() {
        List<String> files = new ArrayList<>();
        diagnosticLogs.forEach(p -> files.add(p.toString()));
        files.add(outFile.toString());
        return String.join(" and ", files);
    }

    private String tails() {
        StringBuilder sb = new StringBuilder();
        for (Path p : diagnosticLogs) {
            appendTail(sb, p);
        }
        appendTail(sb, outFile);
        return sb.toString();
    }

    private static void appendTail(StringBuilder sb, Path file) {
        List<String> lines = tail(file, TAIL_LINES);
        if (!lines.isEmpty()) {
            sb.append(System.lineSeparator()).append("--- last ").append(lines.size()).append(" lines of ")
                    .append(file).append(" ---");
            for (String line : lines) {
                // some lines are huge (Cassandra logs its whole configuration in one line)
                sb.append(System.lineSeparator()).append(line.length() <= MAX_LINE ? line
                        : line.substring(0, MAX_LINE) + " [" + (line.length() - MAX_LINE) + " more characters]");
            }
        }
    }

    /** The last {@code n} lines of a text file (ISO-8859-1); empty if it does not exist. */
    public static List<String> tail(Path file, int n) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Deque<String> last = new ArrayDeque<>(n);
        try (var lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            lines.forEach(line -> {
                if (last.size() == n) {
                    last.removeFirst();
                }
                last.addLast(line);
            });
        } catch (IOException | UncheckedIOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
        return new ArrayList<>(last);
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }

    /** What to run in a child JVM; build with {@link #builder(String, String)}. */
    public static final class Spec {
        private static final Path SETSID = findSetsid();

        private final String name;
        private final Path java;
        private final List<String> jvmOptions;
        private final Path bootstrapDir;
        private final List<Path> classpath;
        private final String mainClass;
        private final List<String> args;
        private final Path outFile;
        private final Path workDir;
        private final OptionalLong parentPid;
        private final List<Path> diagnosticLogs;
        private final Path argFile;
        private final Map<String, String> environment;

        private Spec(Builder b) {
            this.name = b.name;
            this.java = Objects.requireNonNull(b.java, "java");
            this.jvmOptions = List.copyOf(b.jvmOptions);
            this.bootstrapDir = Objects.requireNonNull(b.bootstrapDir, "bootstrapDir");
            this.classpath = List.copyOf(b.classpath);
            this.mainClass = b.mainClass;
            this.args = List.copyOf(b.args);
            this.outFile = Objects.requireNonNull(b.outFile, "outFile");
            this.workDir = Objects.requireNonNull(b.workDir, "workDir");
            this.parentPid = b.parentPid;
            this.diagnosticLogs = List.copyOf(b.diagnosticLogs);
            this.argFile = b.argFile;
            this.environment = Map.copyOf(b.environment);
        }

        /** A builder for a child named {@code name} (used in messages) running {@code mainClass}. */
        public static Builder builder(String name, String mainClass) {
            return new Builder(name, mainClass);
        }

        /** The full command line. */
        List<String> command() {
            List<String> cmd = new ArrayList<>();
            // every child gets a session of its own: a Ctrl-C in the launching terminal goes to the
            // launcher only, which stops its users (e.g. a topology) before the servers they need;
            // attached children still end with the launcher (ParentWatch)
            if (SETSID != null) {
                cmd.add(SETSID.toString());
            }
            cmd.add(java.toString());
            if (argFile != null) {
                cmd.add("@" + argFile);
            } else {
                cmd.addAll(jvmArguments());
            }
            cmd.add(ParentWatch.class.getName());
            cmd.add(parentPid.isPresent() ? Long.toString(parentPid.getAsLong()) : "-");
            cmd.add(mainClass);
            cmd.addAll(args);
            return cmd;
        }

        /** JVM options followed by {@code -cp <bootstrap>:<classpath>}. */
        List<String> jvmArguments() {
            List<String> a = new ArrayList<>(jvmOptions);
            a.add("-cp");
            List<Path> cp = new ArrayList<>();
            cp.add(bootstrapDir);
            cp.addAll(classpath);
            a.add(cp.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
            return a;
        }

        /** {@link #jvmArguments()} in java's argument-file syntax: one per line, quoted when needed. */
        String argFileText() {
            StringBuilder sb = new StringBuilder();
            for (String arg : jvmArguments()) {
                boolean plain = !arg.isEmpty() && arg.chars().noneMatch(c -> Character.isWhitespace(c)
                        || c == '"' || c == '\'' || c == '\\' || c == '#');
                sb.append(plain ? arg : '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"').append('\n');
            }
            return sb.toString();
        }

        private static Path findSetsid() {
            for (String candidate : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
                Path p = Path.of(candidate);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
            return null;
        }

        /** Builder of {@link Spec}. */
        public static final class Builder {
            private final String name;
            private final String mainClass;
            private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            private final List<String> jvmOptions = new ArrayList<>();
            private Path bootstrapDir;
            private final List<Path> classpath = new ArrayList<>();
            private final List<String> args = new ArrayList<>();
            private Path outFile;
            private Path workDir;
            private OptionalLong parentPid = OptionalLong.of(ProcessHandle.current().pid());
            private final List<Path> diagnosticLogs = new ArrayList<>();
            private Path argFile;
            private final Map<String, String> environment = new java.util.LinkedHashMap<>();

            private Builder(String name, String mainClass) {
                this.name = Objects.requireNonNull(name, "name");
                this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
            }

            /** The java executable; default: the running JVM's. */
            public Builder java(Path javaExecutable) {
                this.java = javaExecutable;
                return this;
            }

            public Builder jvmOptions(List<String> options) {
                this.jvmOptions.addAll(options);
                return this;
            }

            /** Directory holding {@link ParentWatch} (see {@code ChildBootstrap}); goes first on the classpath. */
            public Builder bootstrapDir(Path dir) {
                this.bootstrapDir = dir;
                return this;
            }

            public Builder classpath(List<Path> entries) {
                this.classpath.addAll(entries);
                return this;
            }

            public Builder args(List<String> arguments) {
                this.args.addAll(arguments);
                return this;
            }

            /** File receiving stdout and stderr (appended). */
            public Builder outFile(Path file) {
                this.outFile = file;
                return this;
            }

            public Builder workDir(Path dir) {
                this.workDir = dir;
                return this;
            }

            /** The process whose death ends the child; default: this JVM. */
            public Builder parentPid(long pid) {
                this.parentPid = OptionalLong.of(pid);
                return this;
            }

            /** The child outlives this JVM (no parent watch, own session). */
            public Builder detached() {
                this.parentPid = OptionalLong.empty();
                return this;
            }

            /** Server log files quoted (tail) in start-up errors, besides the out file. */
            public Builder diagnosticLogs(List<Path> files) {
                this.diagnosticLogs.addAll(files);
                return this;
            }

            /**
             * Write the JVM options and classpath to this file and start {@code java @file ...}: keeps the
             * command line short, which the pid-reuse check relies on. Default: everything on the command line.
             */
            public Builder argFile(Path file) {
                this.argFile = file;
                return this;
            }

            /**
             * Environment variables the child gets besides the caller's (e.g. secrets, which stay off the command
             * line and out of the argument file).
             */
            public Builder environment(Map<String, String> variables) {
                this.environment.putAll(variables);
                return this;
            }

            public Spec build() {
                return new Spec(this);
            }
        }
    }
}
