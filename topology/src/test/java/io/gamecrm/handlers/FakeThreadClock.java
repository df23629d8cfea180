package io.gamecrm.handlers;

/**
 * A thread clock for tests whose CPU time is made of the script's own work: every 4096 guard calls
 * (16 ticks of 256) move CPU time and wall time forward by a fixed step. A handler's budget is then
 * spent after a known amount of its own work, however fast or busy the machine is. Bytes allocated
 * are the thread's real ones (allocation bombs are real).
 */
final class FakeThreadClock implements ThreadClock {
    private final long stepNanos;
    private long ticks;
    private long cpu;

    FakeThreadClock(long stepMillis) {
        this.stepNanos = stepMillis * 1_000_000;
    }

    @Override
    public long wallNanos() {
        return cpu;
    }

    @Override
    public long cpuNanos() {
        return cpu;
    }

    @Override
    public long allocatedBytes() {
        return ThreadClock.SYSTEM.allocatedBytes();
    }

    @Override
    public void ticked() {
        if (++ticks % 16 == 0) {
            cpu += stepNanos;
        }
    }
}
