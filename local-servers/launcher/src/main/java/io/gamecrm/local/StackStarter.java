package io.gamecrm.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts servers in parallel for {@link LocalStack#ensureRunning} (the caller holds the stack lock) and
 * records each in the state file as soon as its process exists. If any server fails, every server started
 * here is stopped and removed from the state file before the error is thrown. A JVM shutdown hook covers
 * the start-up; for attached stacks it stays registered and becomes the stack's hook.
 */
final class StackStarter {

    private final StackConfig cfg;
    private final OptionalLong ownerPid;
    private final StackListener listener;
    private final Map<Server, StateFile.Entry> state;
    private final Map<Server, ChildJvm> started = new ConcurrentHashMap<>();
    private final Thread hook;

    /**
     * @param state the state file's current entries; updated (and written) as servers start
     */
    StackStarter(StackConfig cfg, boolean detached, StackListener listener, Map<Server, StateFile.Entry> state) {
        this.cfg = cfg;
        this.ownerPid = detached ? OptionalLong.empty() : OptionalLong.of(ProcessHandle.current().pid());
        this.listener = listener;
        this.state = state;
        this.hook = new Thread(() -> LocalStack.stopAndForget(cfg, snapshot(), StackListener.logging(),
                LocalStack.HOOK_LOCK_TIMEOUT), "local-stack-shutdown");
    }

    /** The shutdown hook that stops what was started here. */
    Thread hook() {
        return hook;
    }

    /**
     * Starts the nodes in parallel and waits until all are ready.
     *
     * @return the started children
     * @throws LocalStackException after stopping everything started here, if any node fails
     */
    Map<Server, ChildJvm> startAll(List<ServerNode> nodes) {
        if (nodes.isEmpty()) {
            return Map.of();
        }
        for (ServerNode node : nodes) {
            requirePortsFree(node);
        }
        Path bootstrap = ChildBootstrap.install(cfg.baseDir().resolve("bootstrap"));
        Runtime.getRuntime().addShutdownHook(hook);
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size(), daemonThreads());
        Throwable failure = null;
        try {
            CompletionService<Void> tasks = new ExecutorCompletionService<>(pool);
            for (ServerNode node : nodes) {
                tasks.submit(() -> {
                    startOne(node, bootstrap);
                    return null;
                });
            }
            for (int i = 0; i < nodes.size(); i++) {
                try {
                    tasks.take().get();
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                        pool.shutdownNow(); // interrupt the other starts: no point waiting for them
                    } else if (!(e.getCause().getCause() instanceof InterruptedException)) {
                        failure.addSuppressed(e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new LocalStackException("interrupted while starting the local servers", e);
        } finally {
            pool.shutdownNow();
        }
        if (failure != null) {
            LocalStack.stopAndForget(cfg, snapshot(), listener, LocalStack.lockTimeout(cfg));
            removeHook();
            throw failure instanceof LocalStackException ? (LocalStackException) failure
                    : new LocalStackException("starting the local servers failed: " + failure, failure);
        }
        if (ownerPid.isEmpty()) {
            removeHook();
        }
        return snapshot();
    }

    private void startOne(ServerNode node, Path bootstrap) throws IOException {
        Server server = node.server();
        listener.onProgress("starting " + server.displayName() + " on " + node.address() + " (log: "
                + node.logFile() + ")");
        long t0 = System.nanoTime();
        ChildJvm child = node.launch(ownerPid, bootstrap, listener);
        started.put(server, child);
        record(new StateFile.Entry(server, child.pid(), node.port(), Instant.now(), ownerPid));
        node.awaitReady(child);
        listener.onProgress(String.format(Locale.ROOT, "%s ready in %.1f s (pid %d)", server.displayName(),
                (System.nanoTime() - t0) / 1e9, child.pid()));
    }

    private void record(StateFile.Entry entry) {
        synchronized (state) {
            state.put(entry.server(), entry);
            StateFile.write(cfg.stateFile(), state);
        }
    }

    private void requirePortsFree(ServerNode node) {
        for (Map.Entry<String, Integer> port : node.ports().entrySet()) {
            if (!NetProbes.isPortFree(StackConfig.HOST, port.getValue())) {
                throw new LocalStackException(port.getKey() + " " + StackConfig.HOST + ":" + port.getValue()
                        + " is already in use by another process, which is not a server recorded in "
                        + cfg.stateFile() + ". Stop that process or choose other ports (system properties "
                        + "crm.local.kafka.port, crm.local.cassandra.port, ...; see StackConfig)");
            }
        }
    }

    private Map<Server, ChildJvm> snapshot() {
        Map<Server, ChildJvm> copy = new EnumMap<>(Server.class);
        copy.putAll(started);
        return copy;
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and the hook is running
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "local-stack-start-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
