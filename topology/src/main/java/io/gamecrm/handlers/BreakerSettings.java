package io.gamecrm.handlers;

import io.gamecrm.Names;
import java.io.Serializable;
import java.util.Properties;

/**
 * Circuit-breaker settings of the handlers (crm.handlers.breaker.* properties).
 *
 * @param maxFailuresInARow   consecutive failed invocations (errors or timeouts) that disable a handler
 * @param maxTimeouts         timeouts within {@code timeoutWindowMillis} that disable a handler
 * @param timeoutWindowMillis window of {@code maxTimeouts}
 * @param cooldownMillis      how long a disabled handler stays disabled before one trial invocation
 */
public record BreakerSettings(int maxFailuresInARow, int maxTimeouts, long timeoutWindowMillis, long cooldownMillis)
        implements Serializable {
    public static final BreakerSettings DEFAULTS = new BreakerSettings(5, 3, 60_000, 300_000);

    public BreakerSettings {
        if (maxFailuresInARow < 1 || maxTimeouts < 1 || timeoutWindowMillis < 1 || cooldownMillis < 0) {
            throw new IllegalArgumentException("handler breaker settings must be positive: " + this);
        }
    }

    /** The settings given in properties, each missing one at its default. */
    public static BreakerSettings fromProperties(Properties p) {
        return new BreakerSettings(
                (int) HandlerLimits.longOf(p, Names.Props.HANDLERS_BREAKER_FAILURES, DEFAULTS.maxFailuresInARow),
                (int) HandlerLimits.longOf(p, Names.Props.HANDLERS_BREAKER_TIMEOUTS, DEFAULTS.maxTimeouts),
                DEFAULTS.timeoutWindowMillis,
                HandlerLimits.longOf(p, Names.Props.HANDLERS_BREAKER_COOLDOWN_MS, DEFAULTS.cooldownMillis));
    }
}
