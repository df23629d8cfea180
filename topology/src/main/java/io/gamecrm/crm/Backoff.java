package io.gamecrm.crm;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The write-behind's back-off while the store fails: each failure doubles the delay (from the
 * shortest to the longest), during which new inputs are failed at once; the first batch that is
 * durable again ends the outage. Tells the {@link BatchProcessor.Listener} of both.
 */
final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private final LongSupplier nanoTime;
    private final BatchProcessor.Listener listener;
    private long untilNanos;
    private long millis;
    private long downSinceNanos = -1;
    private long failures;

    Backoff(long minMillis, long maxMillis, LongSupplier nanoTime, BatchProcessor.Listener listener) {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.nanoTime = nanoTime;
        this.listener = listener;
    }

    /** Whether new inputs must be failed at once. */
    boolean active() {
        return nanoTime.getAsLong() < untilNanos;
    }

    /** A read or write failed (error null: none did); returns whether one did. */
    boolean failedIf(String what, Throwable error) {
        if (error == null) {
            return false;
        }
        failures++;
        long now = nanoTime.getAsLong();
        if (downSinceNanos < 0) {
            downSinceNanos = now;
        }
        millis = millis == 0 ? minMillis : Math.min(maxMillis, millis * 2);
        untilNanos = now + TimeUnit.MILLISECONDS.toNanos(millis);
        listener.storeFailed(what, error, millis);
        return true;
    }

    /** Failures so far: a batch notes it when it starts. */
    long failures() {
        return failures;
    }

    /**
     * A batch that started when {@code failuresAtStart} failures had happened was wholly durable:
     * an outage, if there was one, is over, unless a failure came after that batch started (batches
     * overlap: one that started before a failure says nothing about the store since).
     */
    void recovered(long failuresAtStart) {
        if (failures != failuresAtStart) {
            return;
        }
        if (downSinceNanos >= 0) {
            long down = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - downSinceNanos);
            downSinceNanos = -1;
            listener.storeRecovered(down);
        }
        millis = 0;
    }
}
