package io.gamecrm.handlers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The clocks of the current thread that bound a handler call: wall time, CPU time, bytes allocated.
 * CPU time is costly to read (about 1.5 µs a read on our 2-core machines), so the runtime reads it
 * only when wall time says a budget may be spent: a thread cannot use more CPU than wall time passes.
 * Tests replace it with a clock they drive, so no test depends on how fast the machine is.
 */
public interface ThreadClock {
    long wallNanos();

    /** CPU time of the current thread. */
    long cpuNanos();

    /** Bytes the current thread allocated so far (monotonic). */
    long allocatedBytes();

    /** Told every 256 guard calls of a script (a clock for tests makes its CPU time out of them). */
    default void ticked() {
    }

    ThreadClock SYSTEM = new ThreadClock() {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final com.sun.management.ThreadMXBean sun =
                threads instanceof com.sun.management.ThreadMXBean s && s.isThreadAllocatedMemorySupported() ? s : null;
        private final boolean cpuSupported = threads.isCurrentThreadCpuTimeSupported();

        @Override
        public long wallNanos() {
            return System.nanoTime();
        }

        @Override
        public long cpuNanos() {
            return cpuSupported ? threads.getCurrentThreadCpuTime() : System.nanoTime();
        }

        @Override
        public long allocatedBytes() {
            return sun == null ? 0 : sun.getCurrentThreadAllocatedBytes();
        }
    };
}
