package io.gamecrm.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One answer of the gateway: its status, Retry-After (seconds, 0 when absent) and either one
 * outcome per event (202, 400, 503 after parsing) or a request-level error (401, 408, 413, 415,
 * 429, 503 before sending anything).
 */
public record GatewayResponse(int status, long retryAfterSeconds, List<Outcome> outcomes, String error, String message,
                              boolean perEvent) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One event's outcome: {@code accepted}, {@code rejected} (with its reason) or {@code retry}. */
    public record Outcome(int index, String eventId, String status, String reason, String detail, boolean duplicate) {
        public boolean accepted() {
            return "accepted".equals(status);
        }

        public boolean rejected() {
            return "rejected".equals(status);
        }

        public boolean retry() {
            return "retry".equals(status);
        }
    }

    /** Reads the body the gateway sent with {@code status}. */
    public static GatewayResponse parse(int status, long retryAfterSeconds, byte[] body) {
        List<Outcome> outcomes = new ArrayList<>();
        boolean perEvent = false;
        String error = null;
        String message = null;
        try {
            JsonNode root = body.length == 0 ? null : MAPPER.readTree(body);
            if (root != null && root.has("results")) {
                perEvent = true;
                for (JsonNode r : root.get("results")) {
                    outcomes.add(new Outcome(r.path("index").asInt(), text(r, "event_id"), text(r, "status"),
                            text(r, "reason"), text(r, "detail"), r.path("duplicate").asBoolean(false)));
                }
            } else if (root != null) {
                error = text(root, "error");
                message = text(root, "message");
            }
        } catch (IOException e) {
            message = "unreadable response: " + e.getMessage();
        }
        return new GatewayResponse(status, retryAfterSeconds, List.copyOf(outcomes), error, message, perEvent);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The request should be sent again later, whole (429, or 503 before any event was sent). */
    public boolean retryWhole() {
        return !perEvent && (status == 429 || status >= 500 && status != 501);
    }

    /** A response with one outcome per event (listing every event). */
    public static GatewayResponse perEvent(int status, List<Outcome> outcomes) {
        return new GatewayResponse(status, 0, outcomes, null, null, true);
    }
}
