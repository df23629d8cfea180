package io.gamecrm.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves: {@link #advance} moves it; with a step, every reading moves it on by
 * that step after answering (so a bolt's "before" and "after" readings differ by exactly the step).
 */
public final class ManualClock extends Clock {
    private Instant now;
    private Duration step = Duration.ZERO;

    public ManualClock(Instant start) {
        this.now = start;
    }

    /** Every later reading answers, then moves the clock on by {@code step}. */
    public synchronized ManualClock stepping(Duration step) {
        this.step = step;
        return this;
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public synchronized Instant instant() {
        Instant t = now;
        now = now.plus(step);
        return t;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
