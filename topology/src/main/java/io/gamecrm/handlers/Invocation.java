package io.gamecrm.handlers;

/** How one handler invocation went: its kind, how long it took (wall), and the error if any. */
public record Invocation(Kind kind, long nanos, String message) {
    public enum Kind {
        OK,
        /** The handler threw (or the runtime refused what it did). */
        ERROR,
        /** The handler ran past its CPU budget and was stopped by the guard. */
        TIMEOUT,
        /** The handler allocated more than the memory limit of one call. */
        MEMORY,
        /** The watchdog stopped the call at its wall-clock deadline (stuck in a built-in?). */
        STOPPED,
        /** Not run: the event's or the file's budget was spent by the handlers before it. */
        SKIPPED
    }

    public boolean failed() {
        return kind != Kind.OK;
    }
}
