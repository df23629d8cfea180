package io.gamecrm.handlers;

import java.util.concurrent.TimeUnit;
import org.openjdk.nashorn.api.scripting.AbstractJSObject;

/**
 * Measures handler calls on the thread that runs them, for the script guard (a Java function each
 * file's runtime calls, never reachable by file code) and for the per-file and per-event budgets.
 *
 * <p>CPU time is read only when needed: a thread cannot use more CPU than wall time passes, so the
 * CPU time at any wall instant is bounded from above by the last exact reading plus the wall time
 * since. A call is stopped only when a lower bound of its CPU time reaches its budget, so a busy
 * machine or a garbage-collection pause never stops a correct handler; the hard wall-clock deadline
 * is the watchdog's ({@link Watchdog}).
 *
 * <p>The guard calls {@code meter(0)} every 256 guard calls (memory, stop; CPU every 16th time) and
 * {@code meter(1)} when its wall-clock deadline passes (also CPU); a script catch block that receives
 * a Java error calls {@code meter(2)} before it rethrows it. Answers: 1 time spent, 2 memory spent, 3 stopped by the
 * watchdog; zero or less: go on, for at least minus that many milliseconds before asking again.
 *
 * <p>One per {@link HandlerSet}; used by one thread at a time.
 */
final class CallMeter extends AbstractJSObject {
    static final int TIME = 1;
    static final int MEMORY = 2;
    static final int STOPPED = 3;
    /** Exact CPU readings older than this are refreshed at the next call's start. */
    private static final long STALE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ThreadClock clock;
    private long knownCpu;
    private long knownWall;
    private boolean known;
    private long callCpuUpper;
    private long budgetNanos;
    private long allocStart;
    private long memoryLimit;
    private CallWatch watch;

    CallMeter(ThreadClock clock) {
        this.clock = clock;
    }

    ThreadClock clock() {
        return clock;
    }

    /** An upper bound of the thread's CPU time at wall time w (at or after the last reading). */
    long cpuUpperAt(long wall) {
        if (!known || wall - knownWall > STALE_NANOS) {
            readCpu();
            return knownCpu;
        }
        return knownCpu + Math.max(0, wall - knownWall);
    }

    /** Reads the CPU clock now (and keeps the reading for later bounds). */
    long readCpu() {
        knownCpu = clock.cpuNanos();
        knownWall = clock.wallNanos();
        known = true;
        return knownCpu;
    }

    /** Starts measuring a call: its CPU budget, the bytes it may allocate, its watchdog registration. */
    void arm(long budgetNanos, long memoryLimit, CallWatch watch) {
        this.tickChecks = 0;
        this.callCpuUpper = cpuUpperAt(clock.wallNanos());
        this.budgetNanos = budgetNanos;
        this.memoryLimit = memoryLimit;
        this.watch = watch;
        this.allocStart = clock.allocatedBytes();
    }

    /** Bytes allocated since the call started. */
    long allocated() {
        return clock.allocatedBytes() - allocStart;
    }

    /** A lower bound of the CPU time the current call has used, reading the CPU clock. */
    long callCpuLower() {
        return readCpu() - callCpuUpper;
    }

    @Override
    public boolean isFunction() {
        return true;
    }

    @Override
    public Object call(Object thiz, Object... args) {
        int mode = args.length > 0 && args[0] instanceof Number n ? n.intValue() : 0;
        if (mode == 2) {
            // a script catch block received a Java error: it goes on as itself (a script throw would wrap it)
            if (watch != null) {
                watch.javaSeen = true;
            }
            if (args.length > 1 && args[1] instanceof Error error) {
                throw error;
            }
            if (args.length > 1 && args[1] instanceof RuntimeException runtime) {
                throw runtime;
            }
            return 0;
        }
        if (mode == 0) {
            clock.ticked();
            // CPU too (a costly read) every 16th time: every 4096 guard calls
            return check(++tickChecks % 16 == 0);
        }
        return check(true);
    }

    private int tickChecks;

    int check(boolean deadlinePassed) {
        if (watch != null && watch.stopping()) {
            return STOPPED;
        }
        if (allocated() > memoryLimit) {
            return MEMORY;
        }
        if (!deadlinePassed) {
            return 0;
        }
        long used = callCpuLower();
        if (used >= budgetNanos) {
            return TIME;
        }
        return -(int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(budgetNanos - used));
    }
}
