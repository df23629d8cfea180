package io.gamecrm.handlers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gamecrm.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The form in which an event is handed to a file's script global: its shape and its values, so the
 * runtime builds the frozen event from a literal compiled once per shape instead of parsing the
 * event's JSON and freezing it object by object (Nashorn's freeze copies an object's property map).
 *
 * <p>The shape is a JSON array with, per member of an object in order: {@code "key"} for a scalar,
 * {@code "*key"} for an array (handed over as its JSON text, parsed and deep-frozen in the global),
 * {@code ["key", ...members]} for a nested object. The values are the scalars and arrays in the same
 * order, after a free slot for the shape's number: strings, booleans and nulls as Java values, numbers
 * as the script runtime's JSON.parse reads them (an int when the integer fits one, else a double;
 * a zero is 0), so
 * the global reads them without parsing anything. An event whose keys are not all plain identifiers
 * (or repeat within an object, or name {@code __proto__}) has no handover: it goes over as its JSON
 * text.
 *
 * @param shape  the shape (JSON)
 * @param values slot 0 free (for the shape's number), then the values
 */
record EventHandover(String shape, Object[] values) {
    private static final JsonFactory JSON = Json.MAPPER.getFactory();

    /** The handover of an event's JSON (a JSON object), or null when it has no plain shape. */
    static EventHandover of(String eventJson) {
        try (JsonParser p = JSON.createParser(eventJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            StringBuilder shape = new StringBuilder(128).append('[');
            List<Object> values = new ArrayList<>(24);
            values.add(null);
            if (!members(eventJson, p, shape, values, false) || p.nextToken() != null) {
                return null;
            }
            return new EventHandover(shape.append(']').toString(), values.toArray());
        } catch (IOException | RuntimeException e) {
            return null; // the runtime's own parse reports what is wrong with it
        }
    }

    /**
     * Reads the members of the object the parser just opened into the shape (each after a comma
     * when commaFirst, else between commas) and the values; false when one is not plain.
     */
    private static boolean members(String json, JsonParser p, StringBuilder shape, List<Object> values,
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
            values.add(value(json, p, v));
        }
        return true;
    }

    /** A scalar as the runtime's JSON.parse gives it, or an array's JSON text. */
    private static Object value(String json, JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_ARRAY) {
            int from = (int) p.currentTokenLocation().getCharOffset();
            p.skipChildren();
            return json.substring(from, (int) p.currentLocation().getCharOffset());
        }
        if (t.isNumeric()) {
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                return Integer.valueOf(p.getIntValue());
            }
            double d = Double.parseDouble(p.getText());
            // Nashorn's JSON.parse reads -0 and -0.0 as 0
            return d == 0 ? (Object) Integer.valueOf(0) : (Object) d;
        }
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t.isBoolean()) {
            return t == JsonToken.VALUE_TRUE;
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new IOException("unexpected token " + t);
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
