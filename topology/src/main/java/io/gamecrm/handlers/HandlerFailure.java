package io.gamecrm.handlers;

/**
 * A handler invocation that failed: it threw, ran past a budget, allocated too much, was stopped by
 * the watchdog, or was skipped because the event's or file's budget was spent. Its profile writes
 * and offer requests were dropped; the other handlers still ran.
 */
public record HandlerFailure(String handler, String file, String version, Phase phase, Invocation.Kind kind,
                             String message) {
    public enum Phase { UPDATE, CAMPAIGN }

    public boolean timeout() {
        return kind == Invocation.Kind.TIMEOUT || kind == Invocation.Kind.STOPPED;
    }
}
