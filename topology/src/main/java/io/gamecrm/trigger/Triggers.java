package io.gamecrm.trigger;

import io.gamecrm.handlers.TriggerRequest;
import io.gamecrm.json.Json;
import io.gamecrm.validation.SchemaCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.json.JSONObject;

/**
 * Builds crm-trigger messages and checks each against schemas/trigger.schema.json before it may be
 * emitted, so the CRM service can rely on the schema. The trigger id is deterministic: the same
 * campaign, player and cause event always give the same id, so duplicates (replays) can be dropped.
 */
public final class Triggers {
    private final Schema schema;

    public Triggers(SchemaCatalog catalog) {
        this.schema = catalog.trigger();
    }

    /** The cause of a trigger: the event whose handlers asked for it. */
    public record Cause(String eventId, String eventType, String playerId, Instant eventTime, long ingestedAtMs) {
    }

    /** A built and checked trigger. */
    public record Trigger(String id, String campaign, String playerId, String json) {
    }

    /** Thrown when a handler asked for a trigger that breaks the trigger schema. */
    public static final class InvalidTriggerException extends Exception {
        public InvalidTriggerException(String message) {
            super(message);
        }
    }

    public static String triggerId(String campaign, String playerId, String causeEventId) {
        String name = "crm-trigger/v1/" + campaign + "/" + playerId + "/" + causeEventId;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public Trigger build(TriggerRequest request, Cause cause, Instant now) throws InvalidTriggerException {
        String id = triggerId(request.campaign(), cause.playerId(), cause.eventId());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema_version", 1);
        m.put("trigger_id", id);
        m.put("campaign", request.campaign());
        m.put("player_id", cause.playerId());
        m.put("cause_event_id", cause.eventId());
        m.put("cause_event_type", cause.eventType());
        m.put("cause_event_time", cause.eventTime().toString());
        m.put("handler", request.handler());
        m.put("handler_version", request.version());
        m.put("created_at", now.toString());
        Object params;
        try {
            params = Json.MAPPER.readValue(request.paramsJson(), Object.class);
        } catch (Exception e) {
            throw new InvalidTriggerException("params of " + request.campaign() + " are not JSON: " + e.getMessage());
        }
        m.put("params", params);
        m.put("ingested_at_ms", cause.ingestedAtMs());
        try {
            schema.validate(new JSONObject(m));
        } catch (ValidationException e) {
            throw new InvalidTriggerException("trigger of campaign '" + request.campaign() + "' by handler '"
                    + request.handler() + "' breaks the trigger schema: " + String.join("; ", e.getAllMessages()));
        }
        return new Trigger(id, request.campaign(), cause.playerId(), Json.write(m));
    }
}
