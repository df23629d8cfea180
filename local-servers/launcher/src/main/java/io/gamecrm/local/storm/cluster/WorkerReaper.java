package io.gamecrm.local.storm.cluster;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Internal: main class of the local cluster's supervisor JVM, {@code WorkerReaper <realMainClass> [args...]}, run
 * behind {@code io.gamecrm.local.ParentWatch}. It adds a shutdown hook that takes down every process the supervisor
 * started (each worker and its LogWriter), then runs the real main class.
 *
 * <p>A production supervisor leaves its workers running when it stops (they are meant to survive a supervisor
 * restart). In a cluster that exists for one test run that means leftovers: when the launching JVM dies,
 * ParentWatch exits the supervisor, and this hook makes its workers follow. They get SIGTERM, then SIGKILL after
 * {@value #GRACE_MILLIS} ms: the supervisor's own shutdown hook halts the JVM one second after shutdown starts.
 *
 * <p>Copied into the cluster's bootstrap directory and put on the supervisor's classpath only, so it must use
 * nothing but the JDK and stay a single class file (no nested or anonymous classes; lambdas are fine).
 */
public final class WorkerReaper {

    static final long GRACE_MILLIS = 600;

    private WorkerReaper() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: WorkerReaper <mainClass> [args...]");
            System.exit(2);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(WorkerReaper::killDescendants, "worker-reaper"));
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static void killDescendants() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().collect(Collectors.toList());
        if (children.isEmpty()) {
            return;
        }
        System.err.println(Instant.now() + " WorkerReaper: supervisor exiting, stopping the processes it started: "
                + children.stream().map(h -> Long.toString(h.pid())).collect(Collectors.joining(" ")));
        children.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + GRACE_MILLIS * 1_000_000L;
        while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                break;
            }
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
