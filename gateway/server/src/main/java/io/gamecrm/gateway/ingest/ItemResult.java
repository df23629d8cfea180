package io.gamecrm.gateway.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The outcome of one event of a request, as the response lists it.
 *
 * @param status    {@code accepted} (on the raw topic), {@code rejected} (never will be: see reason) or
 *                  {@code retry} (not acknowledged in time: send it again, same event id)
 * @param duplicate true when an earlier request with the same event id had put it on the topic
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemResult(int index, @JsonProperty("event_id") String eventId, String status, String reason, String detail,
                         Integer partition, Long offset, Boolean duplicate) {
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String RETRY = "retry";

    /** Reasons of a {@code retry}. */
    public static final String KAFKA_TIMEOUT = "kafka_timeout";
    public static final String KAFKA_ERROR = "kafka_error";

    static ItemResult accepted(Item item, EventSink.Written w, boolean duplicate) {
        return new ItemResult(item.index(), item.eventId(), ACCEPTED, null, null, w.partition(), w.offset(),
                duplicate ? Boolean.TRUE : null);
    }

    static ItemResult rejected(Item item) {
        return new ItemResult(item.index(), item.eventId(), REJECTED, item.reason().code(), item.detail(), null, null, null);
    }

    static ItemResult retry(Item item, String reason, String detail) {
        return new ItemResult(item.index(), item.eventId(), RETRY, reason, detail, null, null, null);
    }
}
