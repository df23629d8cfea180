package io.gamecrm.handlers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gamecrm.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The form in which an event is handed to a file's script global: its shape and its values, so the
 * runtime can build the frozen event from a literal compiled once per shape instead of parsing the
 * event's JSON and freezing object by object (about 3 times cheaper in Nashorn, see bench/README.md).
 *
 * <p>The text is {@code shape + '\n' + values}. The shape is a JSON array with, per member of an
 * object in order: {@code "key"} for a scalar, {@code "*key"} for an array (handed over as a whole
 * and deep-frozen), {@code ["key", ...members]} for a nested object. The values are a JSON array of
 * the scalars and arrays in the same order, numbers exactly as written. An event whose keys are not
 * all plain identifiers (or repeat within an object, or name {@code __proto__}) is handed over as its
 * JSON text, which the runtime parses and freezes the old way: JSON text never holds a line break.
 */
final class EventHandover {
    private static final JsonFactory JSON = Json.MAPPER.getFactory();
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private EventHandover() {
    }

    /** The handover text of an event's JSON (a JSON object), or the JSON itself when it has no plain shape. */
    static String of(String eventJson) {
        try (JsonParser p = JSON.createParser(eventJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return eventJson;
            }
            StringBuilder shape = new StringBuilder(128).append('[');
            StringWriter values = new StringWriter(eventJson.length());
            try (JsonGenerator g = JSON.createGenerator(values)) {
                g.writeStartArray();
                if (!members(eventJson, p, shape, g, false) || p.nextToken() != null) {
                    return eventJson;
                }
                g.writeEndArray();
            }
            return shape.append("]\n").append(values).toString();
        } catch (IOException | RuntimeException e) {
            return eventJson; // the runtime's own parse reports what is wrong with it
        }
    }

    /**
     * Reads the members of the object the parser just opened into the shape (each after a comma
     * when commaFirst, else between commas) and the values; false when one is not plain.
     */
    private static boolean members(String json, JsonParser p, StringBuilder shape, JsonGenerator values, boolean commaFirst)
            throws IOException {
        Set<String> seen = null;
        boolean comma = commaFirst;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            if (!IDENTIFIER.matcher(key).matches() || key.equals("__proto__")) {
                return false;
            }
            if (seen == null) {
                seen = new HashSet<>();
            }
            if (!seen.add(key)) {
                return false;
            }
            if (comma) {
                shape.append(',');
            }
            comma = true;
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT) {
                shape.append("[\"").append(key).append('"');
                if (!members(json, p, shape, values, true)) {
                    return false;
                }
                shape.append(']');
                continue;
            }
            shape.append(v == JsonToken.START_ARRAY ? "\"*" : "\"").append(key).append('"');
            switch (v) {
                case START_ARRAY -> {
                    // the array's text exactly as written
                    int from = (int) p.currentTokenLocation().getCharOffset();
                    p.skipChildren();
                    values.writeRawValue(json, from, (int) p.currentLocation().getCharOffset() - from);
                }
                case VALUE_STRING -> values.writeString(p.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> values.writeNumber(p.getText());
                case VALUE_TRUE, VALUE_FALSE -> values.writeBoolean(v == JsonToken.VALUE_TRUE);
                case VALUE_NULL -> values.writeNull();
                default -> {
                    return false;
                }
            }
        }
        return true;
    }
}
