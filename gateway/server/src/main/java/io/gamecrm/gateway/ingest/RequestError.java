package io.gamecrm.gateway.ingest;

import java.util.Locale;

/** Why a whole request was refused, with its HTTP status; {@link #code()} is what the response carries. */
public enum RequestError {
    MISSING_API_KEY(401),
    UNKNOWN_API_KEY(401),
    UNSUPPORTED_MEDIA_TYPE(415),
    BODY_TOO_LARGE(413),
    TOO_MANY_EVENTS(413),
    EMPTY_BODY(400),
    /** A JSON body that cannot be read as an event or an array of events. */
    NOT_JSON(400),
    /** The body arrived slower than the connector's minimum data rate, or stalled past its idle timeout. */
    SLOW_BODY(408),
    /** The body ended before its declared length (the client went away). */
    INCOMPLETE_BODY(400),
    /** Too many events are waiting for Kafka's acknowledgement: nothing of this request was sent. */
    OVERLOADED(429),
    /** The gateway is stopping: nothing of this request was sent. */
    SHUTTING_DOWN(503);

    private final int status;

    RequestError(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when the client should send the same request again later (with Retry-After). */
    public boolean retryable() {
        return status == 429 || status == 503;
    }
}
