package io.gamecrm.gateway.ingest;

/** A whole request refused, for a {@link RequestError}; nothing of it went to Kafka. */
public final class RequestRefused extends RuntimeException {
    private final RequestError error;

    public RequestRefused(RequestError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public RequestError error() {
        return error;
    }
}
