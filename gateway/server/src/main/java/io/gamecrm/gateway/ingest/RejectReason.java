package io.gamecrm.gateway.ingest;

import java.util.Locale;

/** Why one event of a request was rejected; {@link #code()} is what the response carries. */
public enum RejectReason {
    /** The item (or NDJSON line) is not valid JSON. */
    NOT_JSON,
    /** Valid JSON, but not an object (an array, a string, a number ...). */
    NOT_AN_OBJECT,
    MISSING_PLAYER_ID,
    PLAYER_ID_NOT_STRING,
    EMPTY_PLAYER_ID,
    /** The object has {@code player_id} or {@code game} twice: which one would a reader take? */
    DUPLICATE_FIELD,
    MISSING_GAME,
    /** The event claims another game than the API key's. */
    WRONG_GAME,
    /** Larger than the per-event limit. */
    EVENT_TOO_LARGE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
