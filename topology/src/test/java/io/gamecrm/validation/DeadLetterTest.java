package io.gamecrm.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import io.gamecrm.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
    private static final SchemaCatalog CATALOG = SchemaCatalog.fromDirectory(RepoPaths.schemas());
    private static final DeadLetter.Source SOURCE = new DeadLetter.Source("raw", 2, 41, "bob", 1_764_000_000_000L);

    @Test
    void schemaViolationCarriesReasonPointerSourceAndOriginalText() {
        String event = "{\"event_type\":\"login\"}";
        Rejection r = ((ValidationResult.Invalid) new EventValidator(CATALOG, 1000)
                .validate(event.getBytes(StandardCharsets.UTF_8))).rejection();

        String json = DeadLetter.toJson(r, SOURCE, event.getBytes(StandardCharsets.UTF_8), "validate", Instant.EPOCH);

        CATALOG.deadLetter().validate(new JSONObject(json));
        Map<String, Object> m = Json.readObject(json);
        assertThat(m.get("reason")).isEqualTo("SCHEMA_VIOLATION");
        assertThat(m.get("pointer")).isEqualTo("#");
        assertThat(m.get("schema")).isEqualTo("envelope");
        assertThat(m.get("source")).isEqualTo(Map.of("topic", "raw", "partition", 2, "offset", 41, "key", "bob",
                "timestamp", 1_764_000_000_000L));
        assertThat(m.get("original")).isEqualTo(Map.of("encoding", "utf8", "value", event, "size", event.length()));
        assertThat(m.get("component")).isEqualTo("validate");
    }

    @Test
    void bytesThatAreNotUtf8TravelAsBase64() {
        byte[] value = {(byte) 0xff, (byte) 0xfe, 0, 42};
        Rejection r = ((ValidationResult.Invalid) new EventValidator(CATALOG, 1000).validate(value)).rejection();

        String json = DeadLetter.toJson(r, SOURCE, value, "validate", Instant.EPOCH);

        CATALOG.deadLetter().validate(new JSONObject(json));
        @SuppressWarnings("unchecked")
        Map<String, Object> original = (Map<String, Object>) Json.readObject(json).get("original");
        assertThat(original.get("encoding")).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode((String) original.get("value"))).isEqualTo(value);
    }
}
