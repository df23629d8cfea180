package io.gamecrm.handlers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gamecrm.json.Json;
import java.io.IOException;
import java.util.Arrays;

/**
 * The form in which an event is handed to a file's script global: its shape and its values, so the
 * runtime builds the frozen event from a literal compiled once per shape instead of parsing the
 * event's JSON and freezing it object by object (Nashorn's freeze copies an object's property map).
 *
 * <p>The shape is a JSON array with, per member of an object in order: {@code "key"} for a scalar,
 * {@code "*key"} for an array (handed over whole and deep-frozen), {@code ["key", ...members]} for a
 * nested object. The values are the scalars and arrays in the same order, each exactly as written in
 * the event, comma-separated. An event whose keys are not all plain identifiers (or repeat within an
 * object, or name {@code __proto__}) has no handover: it goes over as its JSON text.
 *
 * @param shape  the shape (JSON)
 * @param values the values, without the brackets of their array
 */
record EventHandover(String shape, String values) {
    private static final JsonFactory JSON = Json.MAPPER.getFactory();

    /** The handover of an event's JSON (a JSON object), or null when it has no plain shape. */
    static EventHandover of(String eventJson) {
        try (JsonParser p = JSON.createParser(eventJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            StringBuilder shape = new StringBuilder(128).append('[');
            StringBuilder values = new StringBuilder(eventJson.length());
            if (!members(eventJson, p, shape, values, false) || p.nextToken() != null) {
                return null;
            }
            return new EventHandover(shape.append(']').toString(), values.toString());
        } catch (IOException | RuntimeException e) {
            return null; // the runtime's own parse reports what is wrong with it
        }
    }

    /**
     * Reads the members of the object the parser just opened into the shape (each after a comma
     * when commaFirst, else between commas) and the values; false when one is not plain.
     */
    private static boolean members(String json, JsonParser p, StringBuilder shape, StringBuilder values,
                                   boolean commaFirst) throws IOException {
        String[] seen = new String[8];
        int count = 0;
        boolean comma = commaFirst;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            if (!isIdentifier(key) || key.equals("__proto__")) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                if (seen[i].equals(key)) {
                    return false;
                }
            }
            if (count == seen.length) {
                seen = Arrays.copyOf(seen, count * 2);
            }
            seen[count++] = key;
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
            int from = (int) p.currentTokenLocation().getCharOffset();
            if (v == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else {
                p.finishToken(); // a string's end is known once it is read
            }
            if (values.length() > 0) {
                values.append(',');
            }
            values.append(json, from, (int) p.currentLocation().getCharOffset());
        }
        return true;
    }

    private static boolean isIdentifier(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
