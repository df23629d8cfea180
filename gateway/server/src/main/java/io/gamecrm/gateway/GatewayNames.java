package io.gamecrm.gateway;

/**
 * Every name the gateway shares with its clients, its operators and its tests: the path, the
 * header, the content types, the health check and the metric names. Nothing else spells them.
 */
public final class GatewayNames {
    private GatewayNames() {
    }

    /** The one endpoint: POST one event, a JSON array of events, or NDJSON. */
    public static final String EVENTS_PATH = "/v1/events";
    /** The API key of a game; the key decides which game the events belong to. */
    public static final String API_KEY_HEADER = "X-Api-Key";
    /** Seconds a client waits before it sends again (429, 503). */
    public static final String RETRY_AFTER_HEADER = "Retry-After";
    /**
     * Query parameter: {@code results=failed} lists only the events not accepted (rejected or retry,
     * each with its index) and keeps the counts; the default {@code all} lists every event.
     */
    public static final String RESULTS_PARAM = "results";
    public static final String RESULTS_FAILED = "failed";

    public static final String JSON = "application/json";
    /** Newline-delimited JSON: one event per line. */
    public static final String NDJSON = "application/x-ndjson";

    /** The top-level fields the gateway reads (it changes nothing in an event). */
    public static final String FIELD_PLAYER_ID = "player_id";
    public static final String FIELD_GAME = "game";
    public static final String FIELD_EVENT_ID = "event_id";

    /** Health check: Kafka answers (admin port, /healthcheck). */
    public static final String HEALTH_KAFKA = "kafka";

    /** Metric names (admin port, /metrics). */
    public static final class Metrics {
        private Metrics() {
        }

        /** Timer: from the request's arrival to its response, every request. */
        public static final String REQUESTS = "gateway.requests";
        /** Meter prefix: responses by status code, e.g. gateway.responses.202. */
        public static final String RESPONSES = "gateway.responses";
        /** Meter: events on the raw topic (events/s). */
        public static final String EVENTS_ACCEPTED = "gateway.events.accepted";
        /** Meter: events already on the topic (same event id), answered without sending again. */
        public static final String EVENTS_DUPLICATE = "gateway.events.duplicate";
        /** Meter: events answered "retry" (Kafka slow or down). */
        public static final String EVENTS_RETRY = "gateway.events.retry";
        /** Meter prefix: events rejected, by reason, e.g. gateway.events.rejected.missing_player_id. */
        public static final String EVENTS_REJECTED = "gateway.events.rejected";
        /** Meter prefix: whole requests refused, by error, e.g. gateway.requests.refused.unknown_api_key. */
        public static final String REQUESTS_REFUSED = "gateway.requests.refused";
        /** Timer: Kafka send to acknowledgement (acks=all). */
        public static final String KAFKA_ACK = "gateway.kafka.ack";
        /** Gauge: events handed to Kafka and not yet acknowledged. */
        public static final String IN_FLIGHT = "gateway.events.in-flight";
    }
}
