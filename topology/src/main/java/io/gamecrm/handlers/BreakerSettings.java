package io.gamecrm.handlers;

import java.io.Serializable;

/**
 * Time budget and circuit-breaker settings of the handlers (crm.handlers.* properties).
 *
 * @param budgetMillis        time one handler invocation may take
 * @param maxFailuresInARow   consecutive failed invocations (errors or timeouts) that disable a handler
 * @param maxTimeouts         timeouts within {@code timeoutWindowMillis} that disable a handler
 * @param timeoutWindowMillis window of {@code maxTimeouts}
 * @param cooldownMillis      how long a disabled handler stays disabled before one trial invocation
 */
public record BreakerSettings(long budgetMillis, int maxFailuresInARow, int maxTimeouts, long timeoutWindowMillis,
                              long cooldownMillis) implements Serializable {
    public static final BreakerSettings DEFAULTS = new BreakerSettings(20, 5, 3, 60_000, 300_000);

    public BreakerSettings {
        if (budgetMillis < 1 || maxFailuresInARow < 1 || maxTimeouts < 1 || timeoutWindowMillis < 1 || cooldownMillis < 0) {
            throw new IllegalArgumentException("handler budget and breaker settings must be positive: " + this);
        }
    }
}
