package io.gamecrm.local;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Main class of every server child JVM: {@code ParentWatch <parentPid|-> <realMainClass> [args...]}.
 *
 * <p>With a parent pid it starts a daemon thread that checks every 500 ms whether that process is still alive
 * and calls {@code System.exit(0)} as soon as it is gone, so the server's own shutdown hooks run and a
 * {@code kill -9} of the launching JVM never leaves servers behind. With {@code -} (detached) nothing is
 * watched. Then it invokes {@code realMainClass.main(args)}.
 *
 * <p>This class is copied into {@code <base>/bootstrap} and put first on the child's classpath, so it must
 * use nothing but the JDK and must stay a single class file (no nested or anonymous classes).
 */
public final class ParentWatch {

    static final long POLL_MILLIS = 500;

    private ParentWatch() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: ParentWatch <parentPid|-> <mainClass> [args...]");
            System.exit(2);
        }
        if (!"-".equals(args[0])) {
            watch(Long.parseLong(args[0]));
        }
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watch(long parentPid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            exitBecauseParentIsGone(parentPid);
        }
        ProcessHandle handle = parent.get();
        Thread watcher = new Thread(() -> {
            // ProcessHandle.isAlive also compares the start time, so a recycled pid does not count as alive
            while (handle.isAlive()) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            exitBecauseParentIsGone(parentPid);
        }, "parent-watch-" + parentPid);
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void exitBecauseParentIsGone(long parentPid) {
        System.err.println(Instant.now() + " ParentWatch: parent process " + parentPid
                + " is gone, shutting this server down");
        System.exit(0);
    }
}
