package io.gamecrm.handlers;

/** How one handler invocation went: its kind, how long it took, and the error if any. */
public record Invocation(Kind kind, long nanos, String message) {
    public enum Kind {
        OK,
        /** The handler threw. */
        ERROR,
        /** The handler ran past its time budget (stopped by the guard, or slow inside a built-in). */
        TIMEOUT
    }

    public boolean failed() {
        return kind != Kind.OK;
    }
}
