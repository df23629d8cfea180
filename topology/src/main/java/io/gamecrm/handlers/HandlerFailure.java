package io.gamecrm.handlers;

/**
 * A handler invocation that threw or ran past its time budget: its profile writes were undone and
 * the other handlers still ran.
 */
public record HandlerFailure(String handler, String file, String version, Phase phase, String message,
                             boolean timeout) {
    public enum Phase { UPDATE, CAMPAIGN }
}
