package io.gamecrm.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Kafka broker and/or Cassandra node, each a child JVM built from Maven Central jars, sharing one
 * base dir ({@link StackConfig#baseDir()}).
 *
 * <p>{@link #ensureRunning} reuses servers that are already running from the same base dir (recorded in
 * {@code <base>/stack.properties}, process alive and port answering), from this or another JVM, and starts
 * the others in parallel. Starts and stops are serialized across JVMs by a file lock.
 *
 * <p>Ownership: a stack started <em>attached</em> ({@code detached == false}) belongs to the JVM that started
 * it: {@link #close()} or that JVM's exit (shutdown hook; and even {@code kill -9}, through
 * {@link ParentWatch} in the children) stops it, also for other JVMs that reuse it. A <em>detached</em> stack
 * keeps running until {@link #stopFromStateFile} (e.g. {@code crm servers stop}). {@link #close()} only ever
 * stops servers this instance started attached.
 *
 * <p>Instances are thread-safe.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    static final Duration HOOK_LOCK_TIMEOUT = Duration.ofSeconds(2);

    private final StackConfig cfg;
    private final Map<Server, StateFile.Entry> entries;
    private final Map<Server, ChildJvm> started;
    private final boolean detached;
    private final StackListener listener;
    private final Thread shutdownHook;
    /** False once the owner took over stopping at exit ({@link #stopWithOwner()}). */
    private volatile boolean hookInstalled;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalStack(StackConfig cfg, Map<Server, StateFile.Entry> entries, Map<Server, ChildJvm> started,
                       boolean detached, StackListener listener, Thread shutdownHook) {
        this.cfg = cfg;
        this.entries = Collections.unmodifiableMap(new EnumMap<>(entries));
        this.started = started.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(started));
        this.detached = detached;
        this.listener = listener;
        this.shutdownHook = shutdownHook;
        this.hookInstalled = shutdownHook != null;
    }

    /** Both servers, attached to this JVM, progress logged through SLF4J. */
    public static LocalStack ensureRunning(StackConfig cfg) {
        return ensureRunning(cfg, EnumSet.allOf(Server.class), false);
    }

    /** Like {@link #ensureRunning(StackConfig, Set, boolean, StackListener)}, progress logged through SLF4J. */
    public static LocalStack ensureRunning(StackConfig cfg, Set<Server> which, boolean detached) {
        return ensureRunning(cfg, which, detached, StackListener.logging());
    }

    /**
     * Makes sure the servers in {@code which} are running and ready; returns when clients can connect.
     *
     * @param which    servers to run (not empty)
     * @param detached false: servers this call starts stop with this JVM (or at {@link #close()});
     *                 true: they keep running until {@link #stopFromStateFile}
     * @param listener receives progress messages
     * @throws LocalStackException if a server cannot be started (everything started by this call is stopped
     *                             again) or a port is taken by another program; the message names the log file
     */
    public static LocalStack ensureRunning(StackConfig cfg, Set<Server> which, boolean detached,
                                           StackListener listener) {
        if (which.isEmpty()) {
            throw new IllegalArgumentException("no servers requested");
        }
        createDirectories(cfg.logDir());
        try (StackLock lock = StackLock.acquire(cfg.lockFile(), lockTimeout(cfg), listener)) {
            Map<Server, StateFile.Entry> state = StateFile.read(cfg.stateFile());
            List<ServerNode> toStart = new ArrayList<>();
            for (Server server : EnumSet.copyOf(which)) {
                StateFile.Entry entry = state.get(server);
                if (entry == null || !reusable(cfg, entry, listener)) {
                    state.remove(server);
                    toStart.add(ServerNode.of(server, cfg));
                }
            }
            StateFile.write(cfg.stateFile(), state);
            StackStarter starter = new StackStarter(cfg, detached, listener, state);
            Map<Server, ChildJvm> started = starter.startAll(toStart);
            Map<Server, StateFile.Entry> mine = new EnumMap<>(Server.class);
            synchronized (state) {
                which.forEach(s -> mine.put(s, state.get(s)));
            }
            Thread hook = started.isEmpty() || detached ? null : starter.hook();
            return new LocalStack(cfg, mine, started, detached, listener, hook);
        }
    }

    /** Decides about a server found in the state file; stops it if it is ours but does not answer. */
    private static boolean reusable(StackConfig cfg, StateFile.Entry e, StackListener listener) {
        String name = e.server().displayName();
        switch (Liveness.assess(e, Liveness.SYSTEM)) {
            case RUNNING:
                int port = cfg.clientPort(e.server());
                if (e.port() != port) {
                    throw new LocalStackException(name + " from " + cfg.baseDir() + " is already running on port "
                            + e.port() + " (pid " + e.pid() + "), not on the configured port " + port
                            + "; stop it first (crm servers stop)");
                }
                listener.onProgress(name + " already running on " + StackConfig.HOST + ":" + e.port() + " (pid "
                        + e.pid() + ", " + ownerText(e) + "): reusing it");
                return true;
            case NOT_SERVING:
                listener.onProgress(name + " (pid " + e.pid() + ") is running but does not answer on port "
                        + e.port() + "; stopping it to start it again");
                ChildJvm.attach(name, e.pid(), logFile(cfg, e.server(), "out"), List.of())
                        .ifPresent(c -> c.stop(cfg.timeouts().stop()));
                return false;
            case FOREIGN:
                listener.onProgress("ignoring stale " + name + " entry in " + cfg.stateFile() + ": pid " + e.pid()
                        + " now belongs to another program");
                return false;
            case GONE:
            default:
                listener.onProgress("ignoring stale " + name + " entry in " + cfg.stateFile() + ": pid " + e.pid()
                        + " is gone");
                return false;
        }
    }

    private static String ownerText(StateFile.Entry e) {
        if (e.detached()) {
            return "detached";
        }
        long owner = e.ownerPid().getAsLong();
        return owner == ProcessHandle.current().pid() ? "started by this JVM"
                : "owned by pid " + owner + ", it stops when that process exits";
    }

    /**
     * Stops every server recorded in {@code <base>/stack.properties}, detached or not (used by
     * {@code crm servers stop}), and removes the state file. Stale entries are just dropped.
     */
    public static void stopFromStateFile(StackConfig cfg) {
        stopFromStateFile(cfg, StackListener.logging());
    }

    /** Like {@link #stopFromStateFile(StackConfig)}, reporting progress to {@code listener}. */
    public static void stopFromStateFile(StackConfig cfg, StackListener listener) {
        if (!Files.isDirectory(cfg.baseDir())) {
            listener.onProgress("no local servers: " + cfg.baseDir() + " does not exist");
            return;
        }
        try (StackLock lock = StackLock.acquire(cfg.lockFile(), lockTimeout(cfg), listener)) {
            Map<Server, StateFile.Entry> state = StateFile.read(cfg.stateFile());
            if (state.isEmpty()) {
                listener.onProgress("no local servers recorded in " + cfg.stateFile());
                return;
            }
            Map<Server, ChildJvm> running = new EnumMap<>(Server.class);
            for (StateFile.Entry e : state.values()) {
                Liveness.State s = Liveness.assess(e, Liveness.SYSTEM);
                Optional<ChildJvm> child = s == Liveness.State.GONE || s == Liveness.State.FOREIGN ? Optional.empty()
                        : ChildJvm.attach(e.server().displayName(), e.pid(), logFile(cfg, e.server(), "out"),
                        List.of());
                child.ifPresentOrElse(c -> running.put(e.server(), c), () -> listener.onProgress(
                        e.server().displayName() + " was not running (stale entry for pid " + e.pid() + ")"));
            }
            stopInParallel(running, cfg.timeouts().stop(), listener);
            state.values().removeIf(e -> running.get(e.server()) == null || !running.get(e.server()).isAlive());
            StateFile.write(cfg.stateFile(), state);
        }
    }

    /** What runs from {@code cfg}'s base dir, one status per {@link Server}; takes no lock, starts nothing. */
    public static List<ServerStatus> status(StackConfig cfg) {
        Map<Server, StateFile.Entry> state = StateFile.read(cfg.stateFile());
        List<ServerStatus> result = new ArrayList<>();
        for (Server server : Server.values()) {
            String address = StackConfig.HOST + ":" + cfg.clientPort(server);
            StateFile.Entry e = state.get(server);
            if (e == null) {
                result.add(new ServerStatus(server, false, OptionalLong.empty(), address, Optional.empty(),
                        OptionalLong.empty(), "not started"));
                continue;
            }
            Liveness.State s = Liveness.assess(e, Liveness.SYSTEM);
            String detail;
            switch (s) {
                case RUNNING:
                    detail = "running, " + ownerText(e);
                    break;
                case NOT_SERVING:
                    detail = "process alive but port " + e.port() + " does not answer";
                    break;
                case FOREIGN:
                    detail = "not running (pid " + e.pid() + " belongs to another program now)";
                    break;
                default:
                    detail = "not running (pid " + e.pid() + " is gone)";
            }
            result.add(new ServerStatus(server, s == Liveness.State.RUNNING, OptionalLong.of(e.pid()),
                    StackConfig.HOST + ":" + e.port(), Optional.of(e.startedAt()), e.ownerPid(), detail));
        }
        return result;
    }

    /** The configuration this stack runs with. */
    public StackConfig config() {
        return cfg;
    }

    /** The servers this instance gives access to (those passed to {@code ensureRunning}). */
    public Set<Server> servers() {
        return EnumSet.copyOf(entries.keySet());
    }

    /** True if this instance started at least one server (false when everything was reused). */
    public boolean owned() {
        return !started.isEmpty();
    }

    /** True if this instance started {@code server} (false if it reused it). */
    public boolean owned(Server server) {
        return started.containsKey(server);
    }

    /** True if the servers this instance started outlive it (see {@link #stopFromStateFile}). */
    public boolean detached() {
        return detached;
    }

    /** The process id of a server's JVM. */
    public long pid(Server server) {
        return entry(server).pid();
    }

    /** Kafka's {@code bootstrap.servers}, e.g. "127.0.0.1:19092". */
    public String kafkaBootstrap() {
        return StackConfig.HOST + ":" + entry(Server.KAFKA).port();
    }

    /** Cassandra's CQL contact point, e.g. 127.0.0.1:19042. */
    public InetSocketAddress cassandraContactPoint() {
        return new InetSocketAddress(StackConfig.HOST, entry(Server.CASSANDRA).port());
    }

    /** The local datacenter to give the Cassandra driver: "datacenter1". */
    public String cassandraDatacenter() {
        entry(Server.CASSANDRA);
        return StackConfig.DATACENTER;
    }

    /** Directory of the servers' logs: {@code kafka.log}, {@code cassandra.log} and their {@code .out} files. */
    public Path logDir() {
        return cfg.logDir();
    }

    /**
     * Stops the servers this instance started, unless detached; reused servers are left alone. Idempotent.
     * Waits for each process to exit (Cassandra drains in a few seconds).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!removeHook()) {
            return; // the JVM is shutting down: the hook is stopping the servers
        }
        if (!detached) {
            stopAndForget(cfg, started, listener, lockTimeout(cfg));
        }
    }

    /**
     * For an owner that stops things in order in its own shutdown hook (a topology before the servers
     * it uses): removes this stack's shutdown hook, which would otherwise stop the servers at exit in
     * parallel with the owner's hook. The owner must then call {@link #close()}, also while the JVM
     * shuts down; if it never does, the servers still end with this JVM ({@link ParentWatch}).
     *
     * @return this stack
     */
    public LocalStack stopWithOwner() {
        removeHook(); // when already shutting down, the hook stops the servers
        return this;
    }

    /** Removes the shutdown hook if installed; false when it cannot, the JVM being already shutting down. */
    private boolean removeHook() {
        if (hookInstalled) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
                hookInstalled = false;
            } catch (IllegalStateException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("LocalStack{");
        entries.values().forEach(e -> sb.append(e.server().key()).append('=').append(StackConfig.HOST).append(':')
                .append(e.port()).append(" pid ").append(e.pid()).append(owned(e.server()) ? " (owned)" : "")
                .append(", "));
        return sb.append("detached=").append(detached).append(", baseDir=").append(cfg.baseDir()).append('}')
                .toString();
    }

    private StateFile.Entry entry(Server server) {
        StateFile.Entry e = entries.get(server);
        if (e == null) {
            throw new IllegalStateException(server.displayName() + " is not part of this stack: " + servers());
        }
        return e;
    }

    // ---- shared with StackStarter ----

    /** How long to wait for another JVM's start or stop. */
    static Duration lockTimeout(StackConfig cfg) {
        StackConfig.Timeouts t = cfg.timeouts();
        return t.kafkaStartup().plus(t.cassandraStartup()).plus(t.stop().multipliedBy(2)).plusSeconds(60);
    }

    /**
     * Stops the children in parallel and removes their entries from the state file. If the lock cannot be had
     * within {@code lockTimeout} the servers are stopped anyway and the entries left (they are stale then).
     */
    static void stopAndForget(StackConfig cfg, Map<Server, ChildJvm> children, StackListener listener,
                              Duration lockTimeout) {
        if (children.isEmpty()) {
            return;
        }
        StackLock lock = null;
        try {
            lock = StackLock.acquire(cfg.lockFile(), lockTimeout, StackListener.NONE);
        } catch (RuntimeException e) {
            log.debug("stopping without the stack lock: {}", e.toString());
        }
        try {
            stopInParallel(children, cfg.timeouts().stop(), listener);
            if (lock != null) {
                Map<Server, StateFile.Entry> state = StateFile.read(cfg.stateFile());
                state.values().removeIf(e -> children.containsKey(e.server())
                        && children.get(e.server()).pid() == e.pid() && !children.get(e.server()).isAlive());
                StateFile.write(cfg.stateFile(), state);
            }
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    /** SIGTERM to every child at once, then waits (each up to {@code timeout}, then SIGKILL). */
    static void stopInParallel(Map<Server, ChildJvm> children, Duration timeout, StackListener listener) {
        List<Thread> threads = new ArrayList<>();
        for (ChildJvm child : children.values()) {
            Thread t = new Thread(() -> {
                listener.onProgress("stopping " + child);
                long t0 = System.nanoTime();
                boolean graceful = child.stop(timeout);
                listener.onProgress(String.format(Locale.ROOT, "%s stopped in %.1f s%s", child.name(),
                        (System.nanoTime() - t0) / 1e9, graceful ? "" : " (killed: it ignored SIGTERM)"));
            }, "local-stack-stop-" + child.name());
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Path logFile(StackConfig cfg, Server server, String suffix) {
        return cfg.logDir().resolve(server.key() + "." + suffix);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
