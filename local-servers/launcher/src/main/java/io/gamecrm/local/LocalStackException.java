package io.gamecrm.local;

/**
 * A local server could not be started, reused or stopped. The message says what happened and names the log
 * file to look at; when a server died or timed out during start-up it also quotes the end of its logs.
 */
public class LocalStackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
