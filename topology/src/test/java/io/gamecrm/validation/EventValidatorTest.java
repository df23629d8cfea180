package io.gamecrm.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
    private static final SchemaCatalog CATALOG = SchemaCatalog.fromDirectory(RepoPaths.schemas());
    private final EventValidator validator = new EventValidator(CATALOG, EventValidator.DEFAULT_MAX_BYTES);

    private static final String FIGHT = "{\"event_id\":\"0b6f3f6a-1d2e-4f3a-9b8c-7d6e5f4a3b2c\",\"event_type\":\"fight\","
            + "\"player_id\":\"bob\",\"timestamp\":\"2026-11-26T09:05:00.250Z\",\"game\":\"tank-wars\","
            + "\"payload\":{\"result\":\"lost\",\"opponent\":{\"kind\":\"npc\",\"id\":\"camp\"}}}";

    private ValidationResult validate(String json) {
        return validator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void validEventKeepsIdsTimeAndOriginalText() {
        ValidEvent e = ((ValidationResult.Valid) validate(FIGHT)).event();

        assertThat(e.eventId()).isEqualTo("0b6f3f6a-1d2e-4f3a-9b8c-7d6e5f4a3b2c");
        assertThat(e.eventType()).isEqualTo("fight");
        assertThat(e.playerId()).isEqualTo("bob");
        assertThat(e.game()).isEqualTo("tank-wars");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-26T09:05:00.250Z"));
        assertThat(e.json()).isEqualTo(FIGHT);
    }

    @Test
    void payloadViolationIsReportedUnderPayloadPointerWithTheEventIds() {
        Rejection r = ((ValidationResult.Invalid) validate(FIGHT.replace("\"lost\"", "\"lost-badly\""))).rejection();

        assertThat(r.reason()).isEqualTo(InvalidReason.SCHEMA_VIOLATION);
        assertThat(r.schema()).isEqualTo("fight");
        assertThat(r.pointer()).isEqualTo("#/payload/result");
        assertThat(r.schemaPath()).contains("result");
        assertThat(r.message()).startsWith("#/payload/result:");
        assertThat(r.playerId()).isEqualTo("bob");
        assertThat(r.eventType()).isEqualTo("fight");
    }

    @Test
    void everyViolationIsListedUpToTheCap() {
        String manyMissing = "{\"payload\":{}}";
        Rejection r = ((ValidationResult.Invalid) validate(manyMissing)).rejection();

        assertThat(r.reason()).isEqualTo(InvalidReason.SCHEMA_VIOLATION);
        assertThat(r.violations()).hasSizeGreaterThan(1).hasSizeLessThanOrEqualTo(EventValidator.MAX_VIOLATIONS);
        assertThat(r.message()).contains("more violations");
    }

    @Test
    void unknownEventTypeNamesTheKnownTypes() {
        Rejection r = ((ValidationResult.Invalid) validate(FIGHT.replace("\"fight\"", "\"dance\""))).rejection();

        assertThat(r.reason()).isEqualTo(InvalidReason.UNKNOWN_EVENT_TYPE);
        assertThat(r.message()).contains("dance").contains("fight").contains("login");
    }

    @Test
    void jsonNullIsNotAnObject() {
        assertThat(((ValidationResult.Invalid) validate("null")).rejection().reason())
                .isEqualTo(InvalidReason.NOT_AN_OBJECT);
    }

    @Test
    void trailingGarbageIsNotJson() {
        assertThat(((ValidationResult.Invalid) validate(FIGHT + " {}")).rejection().reason())
                .isEqualTo(InvalidReason.NOT_JSON);
    }

    @Test
    void nullValueIsAnEmptyRecord() {
        assertThat(((ValidationResult.Invalid) validator.validate(null)).rejection().reason())
                .isEqualTo(InvalidReason.EMPTY_RECORD);
    }
}
