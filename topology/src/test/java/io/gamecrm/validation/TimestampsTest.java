package io.gamecrm.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.everit.json.schema.ObjectSchema;
import org.everit.json.schema.Schema;
import org.everit.json.schema.StringSchema;
import org.everit.json.schema.internal.DateTimeFormatValidator;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    private static final String CHARS = "0123456789-:.TZtz+ ";

    @Test
    void theSchemasUseItForDateTimeInsteadOfTheLibrarysOwn() {
        // everit keeps its built-in validator unless overriding is enabled: a silent no-op otherwise
        for (Schema schema : List.of(SchemaCatalog.fromClasspath().envelope(), SchemaCatalog.fromClasspath().trigger())) {
            ObjectSchema object = (ObjectSchema) schema;
            String field = object.getPropertySchemas().containsKey("timestamp") ? "timestamp" : "created_at";
            StringSchema time = (StringSchema) object.getPropertySchemas().get(field);
            assertThat(time.getFormatValidator()).as(field).isInstanceOf(Timestamps.DateTimeFormat.class);
        }
    }

    @Test
    void readsTheCanonicalUtcForm() {
        assertThat(Timestamps.parse("2026-05-01T12:00:00Z")).isEqualTo(Instant.parse("2026-05-01T12:00:00Z"));
        assertThat(Timestamps.parse("2024-02-29T23:59:59.5Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.500Z"));
        assertThat(Timestamps.parse("0001-01-01T00:00:00.123456789Z"))
                .isEqualTo(Instant.parse("0001-01-01T00:00:00.123456789Z"));
        assertThat(Timestamps.canonicalUtc("2026-05-01T12:00:00Z")).isNotNull();
    }

    @Test
    void leavesEveryOtherFormToJavaTime() {
        assertThat(Timestamps.canonicalUtc("2026-05-01T14:00:00+02:00")).isNull();
        assertThat(Timestamps.parse("2026-05-01T14:00:00+02:00")).isEqualTo(Instant.parse("2026-05-01T12:00:00Z"));
        assertThat(Timestamps.canonicalUtc("2026-05-01t12:00:00z")).isNull();
        assertThat(Timestamps.canonicalUtc("2025-02-29T00:00:00Z")).isNull();
        assertThat(Timestamps.canonicalUtc("2026-04-31T00:00:00Z")).isNull();
        assertThat(Timestamps.canonicalUtc("2026-12-31T23:59:60Z")).isNull();
        assertThat(Timestamps.canonicalUtc("2026-05-01T12:00:00.Z")).isNull();
        assertThat(Timestamps.canonicalUtc("2026-05-01T12:00:00.1234567890Z")).isNull();
        assertThatThrownBy(() -> Timestamps.parse("2025-02-29T00:00:00Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Timestamps.parse("yesterday")).isInstanceOf(DateTimeParseException.class);
    }

    /** Mutations of valid timestamps: the fast path never reads one differently from java.time or the schema library. */
    @Test
    void agreesWithJavaTimeAndTheSchemaLibraryOnMutatedTexts() {
        Random random = new Random(20261201);
        DateTimeFormatValidator library = new DateTimeFormatValidator();
        Timestamps.DateTimeFormat format = new Timestamps.DateTimeFormat();
        int fast = 0;
        for (int k = 0; k < 200_000; k++) {
            String text = mutate(random, base(random));
            Instant byJava = javaTime(text);
            Instant ours;
            try {
                ours = Timestamps.parse(text);
            } catch (DateTimeParseException e) {
                ours = null;
            }
            assertThat(ours).as(text).isEqualTo(byJava);
            Instant canonical = Timestamps.canonicalUtc(text);
            if (canonical != null) {
                fast++;
                assertThat(canonical).as(text).isEqualTo(byJava);
                assertThat(library.validate(text)).as(text).isEqualTo(Optional.empty());
            }
            assertThat(format.validate(text)).as(text).isEqualTo(library.validate(text));
        }
        assertThat(fast).as("texts the fast path read").isGreaterThan(20_000);
    }

    private static String base(Random random) {
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d%sZ", random.nextInt(10_000), random.nextInt(14),
                random.nextInt(33), random.nextInt(25), random.nextInt(61), random.nextInt(61),
                random.nextBoolean() ? "" : "." + Long.toString(Math.abs(random.nextLong())).substring(0, 1 + random.nextInt(11)));
    }

    private static String mutate(Random random, String text) {
        StringBuilder b = new StringBuilder(text);
        int edits = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(3)) {
                case 0 -> b.setCharAt(at, CHARS.charAt(random.nextInt(CHARS.length())));
                case 1 -> b.deleteCharAt(at);
                default -> b.insert(at, CHARS.charAt(random.nextInt(CHARS.length())));
            }
        }
        return b.toString();
    }

    private static Instant javaTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
