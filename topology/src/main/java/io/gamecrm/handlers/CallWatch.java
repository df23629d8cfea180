package io.gamecrm.handlers;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread's registration with the {@link Watchdog}: whether it is inside a script call, until
 * when, and whether the watchdog has stopped it. The protocol makes a stop land only inside the
 * call: the watchdog may stop the thread only after moving it from IN_CALL to STOPPING, and the
 * thread leaves a call only by moving from IN_CALL to IDLE; if that fails, a ThreadDeath is on its
 * way (or was already caught), and {@link #exit} waits for it inside the protected region.
 */
public final class CallWatch {
    static final int IDLE = 0;
    static final int IN_CALL = 1;
    static final int STOPPING = 2;
    /** Stopping because the call allocated more than it may (inside a built-in, where no guard runs). */
    static final int STOPPING_MEMORY = 3;

    final Thread thread;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile long seq;
    private volatile long deadlineMillis;
    private volatile long memoryLimit = Long.MAX_VALUE;
    /** Changed whenever the memory limit starts again (the watchdog then counts from its next look). */
    private volatile int memorySeq;
    /** Whether the last stopped call was stopped for its memory (read after {@link #exit} said stopped). */
    private boolean stoppedForMemory;
    private volatile String what = "";
    // the watchdog's own bookkeeping of the call it last saw (its thread only)
    long seenSeq = -1;
    long seenWall;
    long seenCpu;
    long seenAllocated;
    int seenMemorySeq;
    /** Set when a script catch block saw a Java error during the current call (it rethrows it). */
    volatile boolean javaSeen;
    /** Whether the thread was interrupted when the call began (a stop interrupts it too, to wake it). */
    private boolean interruptedBefore;

    CallWatch(Thread thread) {
        this.thread = thread;
    }

    /**
     * Enters a call that the watchdog stops once it has used {@code deadlineMillis} of CPU time (or
     * ten times that of wall-clock time), or allocated more than {@code memoryLimit} bytes.
     */
    void enter(long deadlineMillis, long memoryLimit, String what) {
        this.interruptedBefore = thread.isInterrupted();
        this.deadlineMillis = deadlineMillis;
        this.memoryLimit = memoryLimit;
        this.memorySeq++;
        this.stoppedForMemory = false;
        this.what = what;
        this.javaSeen = false;
        this.seq++;
        state.set(IN_CALL);
    }

    long seq() {
        return seq;
    }

    boolean stopping() {
        return state.get() >= STOPPING;
    }

    long deadlineMillis() {
        return deadlineMillis;
    }

    long memoryLimit() {
        return memoryLimit;
    }

    int memorySeq() {
        return memorySeq;
    }

    /**
     * Starts the memory limit of the current call again, from now: what the runtime did before
     * (compiling a file) is not the file's to pay for.
     */
    void limitMemory(long bytes) {
        this.memoryLimit = bytes;
        this.memorySeq++;
    }

    /** After {@link #exit} or {@link #stoppedLate} said the call was stopped: whether for its memory. */
    boolean stoppedForMemory() {
        return stoppedForMemory;
    }

    String what() {
        return what;
    }

    /** The watchdog's side: claims the call for stopping; false when it has already ended. */
    boolean claim(boolean forMemory) {
        return state.compareAndSet(IN_CALL, forMemory ? STOPPING_MEMORY : STOPPING);
    }

    boolean inCall() {
        return state.get() == IN_CALL;
    }

    /**
     * Leaves the call. Returns true when the watchdog stopped it: then the thread's ThreadDeath has
     * been received here or earlier (in {@code error}, or seen by a script catch block), never later.
     *
     * @param error what the call threw, or null
     */
    boolean exit(Throwable error) {
        if (state.compareAndSet(IN_CALL, IDLE)) {
            return false;
        }
        stoppedForMemory = state.get() == STOPPING_MEMORY;
        boolean delivered = javaSeen || isStop(error) || !Watchdog.canStop();
        if (!delivered) {
            // the stop is on its way: receive it here, at a safepoint of this loop
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            try {
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            } catch (ThreadDeath expected) {
                // received: the call is over
            }
        }
        stopped();
        return true;
    }

    /**
     * After a stop: the call is over. Thread.stop also interrupts the thread (to wake it from a
     * wait); an interrupt the thread did not have before the call is cleared, or its next wait
     * (a Kafka poll, a sleep) would fail at once, for ever.
     */
    void stopped() {
        if (state.get() == STOPPING_MEMORY) {
            stoppedForMemory = true;
        }
        if (!interruptedBefore) {
            Thread.interrupted();
        }
        state.set(IDLE);
    }

    @SuppressWarnings("deprecation")
    static boolean isStop(Throwable error) {
        for (Throwable t = Scripts.javaError(error); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ThreadDeath) {
                return true;
            }
        }
        return false;
    }
}
