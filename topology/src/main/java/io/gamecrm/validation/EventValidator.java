package io.gamecrm.validation;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.gamecrm.json.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.json.JSONObject;

/**
 * Decides for one raw record: a {@link ValidEvent}, or a {@link Rejection} with a typed reason.
 * Order of checks: empty, size, UTF-8, JSON (duplicate names refused), object, numbers in range,
 * envelope schema, known event type, payload schema, and, for a Kafka record, its key against the
 * player_id. The record is parsed once (Jackson), then validated by everit-json-schema. Never
 * throws: an unexpected failure is an {@link InvalidReason#INTERNAL_ERROR} rejection, which only a
 * bug of this project produces.
 *
 * <p>Not thread-safe only in the sense that it keeps no state: one instance may serve many threads.
 */
public final class EventValidator {
    /** Violations listed in a rejection at most; the message says how many there were. */
    static final int MAX_VIOLATIONS = 10;
    /** Default for crm.event.max.bytes. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    /** Integers beyond this magnitude are not exact in JavaScript (Number.MAX_SAFE_INTEGER). */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    static final ObjectReader READER = Json.MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).forType(Object.class);

    private final SchemaCatalog catalog;
    private final int maxBytes;

    public EventValidator(SchemaCatalog catalog, int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("max bytes must be positive, got " + maxBytes);
        }
        this.catalog = catalog;
        this.maxBytes = maxBytes;
    }

    /** Validates a value that did not come with a key (the gateway, the offline runner). */
    public ValidationResult validate(byte[] value) {
        return validate(value, false, null);
    }

    /**
     * Validates a Kafka record of the raw topic: the value as {@link #validate(byte[])}, then its key,
     * which must be the event's player_id ({@link InvalidReason#MISSING_KEY},
     * {@link InvalidReason#KEY_MISMATCH}).
     */
    public ValidationResult validateRecord(String key, byte[] value) {
        return validate(value, true, key);
    }

    private ValidationResult validate(byte[] value, boolean keyed, String key) {
        try {
            ValidationResult r = check(value);
            return keyed && r instanceof ValidationResult.Valid v ? checkKey(v, key) : r;
        } catch (RuntimeException e) {
            return new ValidationResult.Invalid(Rejection.of(InvalidReason.INTERNAL_ERROR,
                    "validator failed: " + e));
        }
    }

    private ValidationResult check(byte[] value) {
        if (value == null || value.length == 0) {
            return invalid(InvalidReason.EMPTY_RECORD, "the record has no value");
        }
        if (value.length > maxBytes) {
            return invalid(InvalidReason.TOO_LARGE,
                    "the record has " + value.length + " bytes, over the limit of " + maxBytes);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return invalid(InvalidReason.NOT_UTF8, "the record is not UTF-8 text: " + e.getMessage());
        }
        JSONObject event = PlainObjectReader.read(READER, text);
        if (event == null) {
            Object tree = slowTree(text);
            if (tree instanceof ValidationResult.Invalid invalid) {
                return invalid;
            }
            event = (JSONObject) tree;
        }
        String eventId = stringOrNull(event.opt("event_id"));
        String eventType = stringOrNull(event.opt("event_type"));
        String playerId = stringOrNull(event.opt("player_id"));
        Rejection envelopeProblem = violations(catalog.envelope(), event, "envelope", "", eventId, eventType, playerId);
        if (envelopeProblem != null) {
            return new ValidationResult.Invalid(envelopeProblem);
        }
        Schema payloadSchema = catalog.payload(eventType);
        if (payloadSchema == null) {
            return new ValidationResult.Invalid(new Rejection(InvalidReason.UNKNOWN_EVENT_TYPE,
                    "no schema for event_type '" + eventType + "'; known types: " + catalog.eventTypes(),
                    null, "#/event_type", null, List.of(), eventId, eventType, playerId));
        }
        Rejection payloadProblem = violations(payloadSchema, event.getJSONObject("payload"), eventType, "/payload",
                eventId, eventType, playerId);
        if (payloadProblem != null) {
            return new ValidationResult.Invalid(payloadProblem);
        }
        Instant timestamp;
        try {
            timestamp = Timestamps.parse((String) event.get("timestamp"));
        } catch (DateTimeParseException e) {
            String message = "#/timestamp: not an RFC 3339 date-time: " + e.getMessage();
            return new ValidationResult.Invalid(new Rejection(InvalidReason.SCHEMA_VIOLATION, message, "envelope",
                    "#/timestamp", "#/properties/timestamp",
                    List.of(new Violation("#/timestamp", message, "format", "#/properties/timestamp")),
                    eventId, eventType, playerId));
        }
        return new ValidationResult.Valid(new ValidEvent(eventId, eventType, playerId,
                (String) event.get("game"), timestamp, text));
    }

    /**
     * The slow path: Jackson's map of the text, checked, then copied into org.json; a typed rejection
     * for what {@link PlainObjectReader} does not read (not JSON, a duplicate name, not an object, a
     * number out of range).
     */
    static Object slowTree(String text) {
        Object parsed;
        try {
            parsed = READER.readValue(text);
        } catch (JsonProcessingException e) {
            if (e instanceof JsonParseException && e.getOriginalMessage().startsWith("Duplicate field")) {
                return invalid(InvalidReason.DUPLICATE_KEY, "the record names a field twice in one object: "
                        + e.getOriginalMessage() + location(e));
            }
            return invalid(InvalidReason.NOT_JSON, "the record is not JSON: " + e.getOriginalMessage() + location(e));
        } catch (IOException e) {
            return invalid(InvalidReason.NOT_JSON, "the record is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            return invalid(InvalidReason.NOT_AN_OBJECT, "the record is JSON but not an object: "
                    + (parsed == null ? "null" : parsed instanceof List ? "an array" : "a " + parsed.getClass().getSimpleName()));
        }
        String eventId = stringOrNull(map.get("event_id"));
        String eventType = stringOrNull(map.get("event_type"));
        String playerId = stringOrNull(map.get("player_id"));
        String badNumber = outOfRange(map, "#");
        if (badNumber != null) {
            return new ValidationResult.Invalid(new Rejection(InvalidReason.NUMBER_OUT_OF_RANGE, badNumber
                    + ": a number the handlers cannot read as written (beyond a double, or an integer beyond ±"
                    + MAX_SAFE_INTEGER + ")", null, badNumber.substring(0, badNumber.indexOf(' ')), null, List.of(),
                    eventId, eventType, playerId));
        }

        return new JSONObject(map);
    }

    private static ValidationResult checkKey(ValidationResult.Valid valid, String key) {
        ValidEvent e = valid.event();
        if (key == null) {
            return new ValidationResult.Invalid(new Rejection(InvalidReason.MISSING_KEY, "the record has no key;"
                    + " the raw topic's key must be the event's player_id ('" + e.playerId() + "')", null, null, null,
                    List.of(), e.eventId(), e.eventType(), e.playerId()));
        }
        if (!key.equals(e.playerId())) {
            return new ValidationResult.Invalid(new Rejection(InvalidReason.KEY_MISMATCH, "the record's key '"
                    + truncate(key) + "' is not the event's player_id '" + e.playerId() + "'", null, null, null,
                    List.of(), e.eventId(), e.eventType(), e.playerId()));
        }
        return valid;
    }

    /** The pointer and value of the first number out of range (depth first), or null. */
    private static String outOfRange(Object value, String pointer) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String bad = outOfRange(e.getValue(), pointer + "/"
                        + String.valueOf(e.getKey()).replace("~", "~0").replace("/", "~1"));
                if (bad != null) {
                    return bad;
                }
            }
        } else if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                String bad = outOfRange(l.get(i), pointer + "/" + i);
                if (bad != null) {
                    return bad;
                }
            }
        } else if (value instanceof Double d && d.isInfinite()) {
            return pointer + " (overflows a double)";
        } else if (value instanceof BigInteger b && b.bitLength() > 53) {
            return pointer + " (" + truncate(b.toString()) + ")";
        } else if (value instanceof Long n && (n > MAX_SAFE_INTEGER || n < -MAX_SAFE_INTEGER)) {
            return pointer + " (" + n + ")";
        }
        return null;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr();
    }

    private static String truncate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    private static Rejection violations(Schema schema, Object subject, String schemaName, String pointerPrefix,
                                        String eventId, String eventType, String playerId) {
        try {
            schema.validate(subject);
            return null;
        } catch (ValidationException e) {
            List<Violation> leaves = new ArrayList<>();
            collectLeaves(e, null, pointerPrefix, leaves);
            List<Violation> list = List.copyOf(leaves.subList(0, Math.min(leaves.size(), MAX_VIOLATIONS)));
            Violation first = list.get(0);
            String message = leaves.size() == 1 ? first.message()
                    : first.message() + " (and " + (leaves.size() - 1) + " more violations)";
            return new Rejection(InvalidReason.SCHEMA_VIOLATION, message, schemaName, first.pointer(),
                    first.schemaPath(), list, eventId, eventType, playerId);
        }
    }

    /** Depth-first leaves of the violation tree; a leaf without a schema location takes its parent's. */
    private static void collectLeaves(ValidationException e, String parentLocation, String pointerPrefix,
                                      List<Violation> out) {
        String location = e.getSchemaLocation() != null ? e.getSchemaLocation()
                : e.getViolatedSchema() != null && e.getViolatedSchema().getSchemaLocation() != null
                ? e.getViolatedSchema().getSchemaLocation() : parentLocation;
        if (e.getCausingExceptions().isEmpty()) {
            String pointer = prefix(pointerPrefix, e.getPointerToViolation());
            out.add(new Violation(pointer, pointer + ": " + e.getErrorMessage(), e.getKeyword(), location));
        } else {
            for (ValidationException cause : e.getCausingExceptions()) {
                collectLeaves(cause, location, pointerPrefix, out);
            }
        }
    }

    private static String prefix(String pointerPrefix, String pointer) {
        if (pointerPrefix.isEmpty()) {
            return pointer;
        }
        return "#" + pointerPrefix + (pointer.startsWith("#") ? pointer.substring(1) : pointer);
    }

    private static String stringOrNull(Object value) {
        return value instanceof String s ? s : null;
    }

    private static ValidationResult invalid(InvalidReason reason, String message) {
        return new ValidationResult.Invalid(Rejection.of(reason, message));
    }
}
