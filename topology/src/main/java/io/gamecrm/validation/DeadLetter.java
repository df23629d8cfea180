package io.gamecrm.validation;

import io.gamecrm.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the dead-letter message (schemas/dead-letter.schema.json) for a refused record: the typed
 * reason, where the violation is, and the original record (UTF-8 text, or base64 when it is not
 * UTF-8) with its topic, partition and offset, so nothing is lost.
 */
public final class DeadLetter {
    private DeadLetter() {
    }

    /** Where a raw record came from. */
    public record Source(String topic, int partition, long offset, String key, long timestamp) {
    }

    public static String toJson(Rejection rejection, Source source, byte[] original, String component, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reason", rejection.reason().name());
        out.put("message", rejection.message());
        putIfPresent(out, "schema", rejection.schema());
        putIfPresent(out, "pointer", rejection.pointer());
        putIfPresent(out, "schema_path", rejection.schemaPath());
        if (!rejection.violations().isEmpty()) {
            List<Map<String, Object>> violations = new ArrayList<>();
            for (Violation v : rejection.violations()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("pointer", v.pointer());
                m.put("message", v.message());
                putIfPresent(m, "keyword", v.keyword());
                putIfPresent(m, "schema_path", v.schemaPath());
                violations.add(m);
            }
            out.put("violations", violations);
        }
        putIfPresent(out, "event_id", rejection.eventId());
        putIfPresent(out, "event_type", rejection.eventType());
        putIfPresent(out, "player_id", rejection.playerId());
        Map<String, Object> src = new LinkedHashMap<>();
        src.put("topic", source.topic());
        src.put("partition", source.partition());
        src.put("offset", source.offset());
        src.put("key", source.key());
        src.put("timestamp", source.timestamp());
        out.put("source", src);
        out.put("original", original(original));
        out.put("component", component);
        out.put("detected_at", now.toString());
        return Json.write(out);
    }

    private static Map<String, Object> original(byte[] value) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (value == null) {
            m.put("encoding", "none");
            m.put("value", null);
            m.put("size", 0);
            return m;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
            m.put("encoding", "utf8");
            m.put("value", text);
        } catch (CharacterCodingException e) {
            m.put("encoding", "base64");
            m.put("value", Base64.getEncoder().encodeToString(value));
        }
        m.put("size", value.length);
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
