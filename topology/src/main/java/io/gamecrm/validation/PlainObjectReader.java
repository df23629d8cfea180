package io.gamecrm.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.math.BigInteger;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * The validator's fast path from a record's text to the {@code org.json} tree that everit-json-schema
 * validates: one pass of Jackson's streaming parser, with no tree of Java maps in between and no
 * second walk for the numbers' range. It answers only for a plain record, a JSON object with no
 * duplicate names, no number out of range (see {@link EventValidator}) and nothing after it, with the
 * same tree the slow path builds ({@code new JSONObject(map)} of Jackson's map: an object member whose
 * value is null is left out, an array's null is {@link JSONObject#NULL}); for anything else it
 * answers null and the slow path, which names what is wrong, decides. {@code PlainObjectReaderTest}
 * holds the two paths to the same trees.
 */
final class PlainObjectReader {
    private static final Object OUT_OF_RANGE = new Object();

    private PlainObjectReader() {
    }

    /**
     * The tree of a plain record, or null when the record is not one (or when reading it fails in
     * any way: the slow path reports why).
     *
     * @param reader the slow path's reader: its parser features (duplicate detection, trailing
     *               tokens) and stream limits are the ones this pass reads with
     */
    static JSONObject read(ObjectReader reader, String text) {
        try (JsonParser p = reader.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JSONObject root = object(p);
            return root != null && p.nextToken() == null ? root : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The members of the object the parser just opened, or null when a number in it is out of range. */
    private static JSONObject object(JsonParser p) throws IOException {
        JSONObject o = new JSONObject();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            Object v = value(p, p.nextToken());
            if (v == OUT_OF_RANGE) {
                return null;
            }
            if (v != null) {
                o.put(key, v);
            }
        }
        return o;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                JSONObject o = object(p);
                return o == null ? OUT_OF_RANGE : o;
            }
            case START_ARRAY: {
                JSONArray a = new JSONArray();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    Object v = value(p, e);
                    if (v == OUT_OF_RANGE) {
                        return OUT_OF_RANGE;
                    }
                    a.put(v == null ? JSONObject.NULL : v);
                }
                return a;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return inRange(p.getNumberValue());
            default:
                throw new IOException("unexpected token " + t);
        }
    }

    private static Object inRange(Number n) {
        if (n instanceof Integer) {
            return n;
        }
        if (n instanceof Long l) {
            return l > EventValidator.MAX_SAFE_INTEGER || l < -EventValidator.MAX_SAFE_INTEGER ? OUT_OF_RANGE : l;
        }
        if (n instanceof BigInteger b) {
            return b.bitLength() > 53 ? OUT_OF_RANGE : b;
        }
        if (n instanceof Double d) {
            return d.isInfinite() || d.isNaN() ? OUT_OF_RANGE : d;
        }
        return OUT_OF_RANGE; // another kind of number: the slow path decides
    }
}
