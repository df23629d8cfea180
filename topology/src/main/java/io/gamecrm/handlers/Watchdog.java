package io.gamecrm.handlers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops script calls that pass their deadline, also inside a built-in that the script guard cannot
 * see (a catastrophic regular expression, a native loop over a huge array). One daemon thread per
 * watchdog polls the registered threads. A call is past its deadline when the thread has used that
 * much CPU time since the call started (a wedged built-in burns CPU; a thread that a busy machine
 * gives no CPU is not wedged), or when ten times that much wall-clock time has passed, whatever the
 * thread did. A call past its deadline is claimed and its thread stopped with {@code Thread.stop()},
 * which throws a ThreadDeath at the thread's next safepoint, also inside a native loop. The runtime
 * receives it (script catch blocks rethrow it), reports the call as stopped, disables the handler and
 * rebuilds the script global the call ran in.
 *
 * <p>{@code Thread.stop()} works on Java 17, the runtime this project runs on. On a JVM where it is
 * unsupported (Java 20 and later), the claim alone still stops script code at its next guard; a
 * built-in then runs to its end, and the stop is logged as incomplete.
 */
public final class Watchdog {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    /** Wall-clock time a call may take, as a multiple of its CPU deadline, whatever the thread does. */
    static final int WALL_FACTOR = 10;
    private static final Watchdog SHARED = new Watchdog(Clock.SYSTEM, 5, WALL_FACTOR);
    private static volatile boolean stopUnsupported;

    /** The watchdog's view of time: wall time, and the CPU time of a thread (tests drive their own). */
    public interface Clock {
        long wallNanos();

        long cpuNanos(Thread thread);

        /** Bytes the thread allocated so far (monotonic), or -1 when the JVM cannot say. */
        default long allocatedBytes(Thread thread) {
            return -1;
        }

        Clock SYSTEM = new Clock() {
            private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            private final com.sun.management.ThreadMXBean sun =
                    threads instanceof com.sun.management.ThreadMXBean s && s.isThreadAllocatedMemorySupported() ? s : null;

            @Override
            public long wallNanos() {
                return System.nanoTime();
            }

            @Override
            public long cpuNanos(Thread thread) {
                long t = threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(thread.getId()) : -1;
                return t < 0 ? System.nanoTime() : t;
            }

            @Override
            public long allocatedBytes(Thread thread) {
                return sun == null ? -1 : sun.getThreadAllocatedBytes(thread.getId());
            }
        };
    }

    private final Clock clock;
    private final long pollMillis;
    private final int wallFactor;
    private final List<CallWatch> watches = new CopyOnWriteArrayList<>();
    private final ThreadLocal<CallWatch> current;
    private final AtomicLong stops = new AtomicLong();
    private volatile Thread thread;

    /**
     * @param clock      the clocks of the deadlines
     * @param pollMillis how often the registered calls are looked at
     * @param wallFactor the wall-clock time a call may take, as a multiple of its CPU deadline
     */
    public Watchdog(Clock clock, long pollMillis, int wallFactor) {
        this.clock = clock;
        this.pollMillis = pollMillis;
        this.wallFactor = wallFactor;
        this.current = ThreadLocal.withInitial(this::register);
    }

    /** The JVM's watchdog, on the system clocks. */
    public static Watchdog shared() {
        return SHARED;
    }

    /** Whether this JVM can stop a thread inside a built-in. */
    static boolean canStop() {
        return !stopUnsupported;
    }

    /** The current thread's registration. */
    CallWatch watch() {
        return current.get();
    }

    /** Calls stopped so far. */
    public long stops() {
        return stops.get();
    }

    private CallWatch register() {
        CallWatch w = new CallWatch(Thread.currentThread());
        watches.add(w);
        ensureRunning();
        return w;
    }

    private synchronized void ensureRunning() {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(this::run, "crm-handler-watchdog");
        t.setDaemon(true);
        t.start();
        thread = t;
    }

    private void run() {
        while (true) {
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
            for (CallWatch w : watches) {
                if (!w.thread.isAlive()) {
                    watches.remove(w);
                } else if (w.inCall()) {
                    int why = overdue(w);
                    if (why != GO_ON && w.claim(why == OVER_MEMORY)) {
                        stop(w, why);
                    }
                }
            }
        }
    }

    private static final int GO_ON = 0;
    private static final int OVER_DEADLINE = 1;
    private static final int OVER_MEMORY = 2;

    /**
     * Whether the call the thread is in has used up its deadline or allocated more than its memory
     * limit; the first look starts its clocks, so what it counts is a lower bound of the call's use.
     */
    private int overdue(CallWatch w) {
        long seq = w.seq();
        long wall = clock.wallNanos();
        long cpu = clock.cpuNanos(w.thread);
        long allocated = clock.allocatedBytes(w.thread);
        if (seq != w.seenSeq) {
            w.seenSeq = seq;
            w.seenWall = wall;
            w.seenCpu = cpu;
            w.seenAllocated = allocated;
            w.seenMemorySeq = w.memorySeq();
            return GO_ON;
        }
        int memorySeq = w.memorySeq();
        if (memorySeq != w.seenMemorySeq) {
            w.seenMemorySeq = memorySeq;
            w.seenAllocated = allocated;
        }
        if (allocated >= 0 && w.seenAllocated >= 0 && allocated - w.seenAllocated > w.memoryLimit()) {
            return OVER_MEMORY;
        }
        long deadline = TimeUnit.MILLISECONDS.toNanos(w.deadlineMillis());
        return cpu - w.seenCpu >= deadline || wall - w.seenWall >= deadline * wallFactor ? OVER_DEADLINE : GO_ON;
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void stop(CallWatch w, int why) {
        stops.incrementAndGet();
        if (why == OVER_MEMORY) {
            LOG.warn("stopping {} on thread {}: allocated more than {} MB", w.what(), w.thread.getName(),
                    w.memoryLimit() >> 20);
        } else {
            LOG.warn("stopping {} on thread {}: past its deadline of {} ms", w.what(), w.thread.getName(),
                    w.deadlineMillis());
        }
        if (stopUnsupported) {
            return;
        }
        try {
            w.thread.stop();
        } catch (UnsupportedOperationException e) {
            stopUnsupported = true;
            LOG.error("this JVM cannot stop a thread inside a built-in (Thread.stop is unsupported): {} is flagged"
                    + " and stops at its next script guard; a built-in runs to its end. Run the topology on Java 17.",
                    w.what());
        }
    }
}
