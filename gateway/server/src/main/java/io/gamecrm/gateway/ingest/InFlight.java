package io.gamecrm.gateway.ingest;

import java.util.concurrent.Semaphore;

/**
 * Bounds the events handed to Kafka and not yet acknowledged. A request takes a permit per event
 * before sending anything, or is refused at once (429): no queue grows when Kafka is slow. A
 * permit is given back when its record's send completes, not when the request is answered, so a
 * request that timed out keeps counting until Kafka has decided.
 */
public final class InFlight {
    private final int max;
    private final Semaphore permits;

    public InFlight(int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("the in-flight limit must be positive, got " + maxEvents);
        }
        this.max = maxEvents;
        this.permits = new Semaphore(maxEvents);
    }

    /** Takes {@code n} permits if all are free now; never waits. */
    public boolean tryAcquire(int n) {
        return n == 0 || permits.tryAcquire(n);
    }

    public void release(int n) {
        if (n > 0) {
            permits.release(n);
        }
    }

    /** Events in flight now. */
    public int inFlight() {
        return max - permits.availablePermits();
    }

    public int max() {
        return max;
    }
}
