package io.gamecrm.handlers;

/** A handler invocation that threw: its writes were undone and the other handlers still ran. */
public record HandlerFailure(String handler, String file, String version, Phase phase, String message) {
    public enum Phase { UPDATE, CAMPAIGN }
}
