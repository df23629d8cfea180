package io.gamecrm.handlers;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One circuit breaker per handler (per task). A handler is disabled when it fails
 * {@code maxFailuresInARow} times in a row, times out (CPU or memory budget) {@code maxTimeouts}
 * times within the window, or at once when the watchdog had to stop it. A disabled handler does not run; after the cool-down it gets one trial invocation: success
 * enables it again, failure disables it for another cool-down. Loading a new version of the
 * handler's file resets its breaker. Every other handler keeps running throughout.
 *
 * <p>Single-threaded (the executor thread).
 */
public final class HandlerBreakers implements InvocationPolicy {
    /** Told when a handler is disabled or enabled again. */
    public interface Listener {
        void disabled(HandlerSet.Handler handler, String reason);

        void enabled(HandlerSet.Handler handler);

        /** Every invocation, for metrics. */
        default void invoked(HandlerSet.Handler handler, HandlerFailure.Phase phase, Invocation invocation) {
        }
    }

    private final BreakerSettings settings;
    private final LongSupplier clockMillis;
    private final Listener listener;
    private final Map<String, Breaker> breakers = new HashMap<>();

    private static final class Breaker {
        final String version;
        int failuresInARow;
        final Deque<Long> timeouts = new ArrayDeque<>();
        long disabledUntil = -1; // -1: closed
        boolean trial;

        Breaker(String version) {
            this.version = version;
        }
    }

    public HandlerBreakers(BreakerSettings settings, LongSupplier clockMillis, Listener listener) {
        this.settings = settings;
        this.clockMillis = clockMillis;
        this.listener = listener;
    }

    private Breaker breaker(HandlerSet.Handler h) {
        Breaker b = breakers.get(h.name());
        if (b == null || !b.version.equals(h.file().version())) {
            b = new Breaker(h.file().version());
            breakers.put(h.name(), b);
        }
        return b;
    }

    @Override
    public boolean allowed(HandlerSet.Handler handler, HandlerFailure.Phase phase) {
        Breaker b = breaker(handler);
        if (b.disabledUntil < 0) {
            return true;
        }
        if (clockMillis.getAsLong() >= b.disabledUntil) {
            b.trial = true;
            return true;
        }
        return false;
    }

    @Override
    public void record(HandlerSet.Handler handler, HandlerFailure.Phase phase, Invocation invocation) {
        listener.invoked(handler, phase, invocation);
        Breaker b = breaker(handler);
        long now = clockMillis.getAsLong();
        if (!invocation.failed()) {
            b.failuresInARow = 0;
            if (b.disabledUntil >= 0) {
                b.disabledUntil = -1;
                b.trial = false;
                b.timeouts.clear();
                listener.enabled(handler);
            }
            return;
        }
        b.failuresInARow++;
        Invocation.Kind kind = invocation.kind();
        if (kind == Invocation.Kind.TIMEOUT || kind == Invocation.Kind.MEMORY) {
            b.timeouts.addLast(now);
        }
        while (!b.timeouts.isEmpty() && b.timeouts.peekFirst() <= now - settings.timeoutWindowMillis()) {
            b.timeouts.removeFirst();
        }
        String reason = null;
        if (b.trial) {
            reason = "failed its trial run after the cool-down: " + invocation.message();
        } else if (kind == Invocation.Kind.STOPPED) {
            reason = "the watchdog had to stop it (" + invocation.message() + ")";
        } else if (b.timeouts.size() >= settings.maxTimeouts()) {
            reason = b.timeouts.size() + " timeouts within " + settings.timeoutWindowMillis() / 1000 + " s (last: "
                    + invocation.message() + ")";
        } else if (b.failuresInARow >= settings.maxFailuresInARow()) {
            reason = b.failuresInARow + " failures in a row (last: " + invocation.message() + ")";
        }
        if (reason != null) {
            boolean wasEnabled = b.disabledUntil < 0;
            b.disabledUntil = now + settings.cooldownMillis();
            b.trial = false;
            if (wasEnabled || reason.startsWith("failed its trial")) {
                listener.disabled(handler, reason);
            }
        }
    }

    /** Whether the handler is disabled now. */
    public boolean isDisabled(HandlerSet.Handler handler) {
        Breaker b = breakers.get(handler.name());
        return b != null && b.version.equals(handler.file().version()) && b.disabledUntil >= 0;
    }
}
