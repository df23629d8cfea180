package io.gamecrm.handlers;

/**
 * What runs a handler set: its limits, the watchdog of its deadlines, and the clocks of its budgets
 * (tests give their own watchdog and clock, so nothing depends on how fast the machine is).
 */
public record HandlerRuntime(HandlerLimits limits, Watchdog watchdog, ThreadClock clock) {
    public static HandlerRuntime of(HandlerLimits limits) {
        return new HandlerRuntime(limits, Watchdog.shared(), ThreadClock.SYSTEM);
    }

    public static HandlerRuntime defaults() {
        return of(HandlerLimits.DEFAULTS);
    }
}
