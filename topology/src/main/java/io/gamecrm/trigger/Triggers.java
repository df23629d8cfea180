package io.gamecrm.trigger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gamecrm.handlers.TriggerRequest;
import io.gamecrm.json.Json;
import io.gamecrm.validation.SchemaCatalog;
import java.io.IOException;
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

    /** The cause of a trigger: the event whose handlers asked for it; game is null when it has none. */
    public record Cause(String eventId, String eventType, String playerId, String game, Instant eventTime,
                        long ingestedAtMs) {
    }

    /**
     * The top-level {@code game} of a valid event's JSON, or null: read with Jackson's streaming
     * parser, which stops at the field (the validator has already parsed the event once).
     */
    public static String gameOf(String eventJson) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(eventJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("game".equals(name)) {
                    return value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
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
        if (cause.game() != null) {
            m.put("game", cause.game());
        }
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
