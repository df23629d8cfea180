package io.gamecrm.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record of the malformed corpus gets exactly the outcome the corpus gives it from the
 * validator, as the validation bolt calls it (with the record's Kafka key); its dead letter meets
 * the dead-letter schema; and no record of the corpus, whatever it is, gets INTERNAL_ERROR, which
 * is kept for this project's own bugs. {@code MalformedRecordsIT} sends the same corpus through the
 * real topology.
 */
class MalformedRecordsTest {
    private static final SchemaCatalog CATALOG = SchemaCatalog.fromDirectory(RepoPaths.schemas());
    private static final EventValidator VALIDATOR = new EventValidator(CATALOG, EventValidator.DEFAULT_MAX_BYTES);

    static Stream<MalformedCorpus.Entry> corpus() {
        return MalformedCorpus.entries().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachRecordGetsItsOneOutcome(MalformedCorpus.Entry e) {
        ValidationResult r = VALIDATOR.validateRecord(e.key(), e.value());

        if (e.valid()) {
            assertThat(r).as(e.name()).isInstanceOf(ValidationResult.Valid.class);
            return;
        }
        assertThat(r).as(e.name()).isInstanceOf(ValidationResult.Invalid.class);
        Rejection rejection = ((ValidationResult.Invalid) r).rejection();
        assertThat(rejection.reason()).as(e.name() + ": " + rejection.message()).isNotEqualTo(InvalidReason.INTERNAL_ERROR)
                .isEqualTo(InvalidReason.valueOf(e.expect()));
        String json = DeadLetter.toJson(rejection, new DeadLetter.Source("raw", 0, 7, e.key(), 1L), e.value(),
                "validate", Instant.EPOCH);
        CATALOG.deadLetter().validate(new JSONObject(json));
    }

    @Test
    void theCorpusIsLargeAndCoversEveryInputReason() {
        List<MalformedCorpus.Entry> entries = MalformedCorpus.entries();
        Set<String> names = new HashSet<>();
        entries.forEach(e -> assertThat(names.add(e.name())).as("one name per record: " + e.name()).isTrue());
        assertThat(entries.stream().filter(e -> !e.valid())).hasSizeGreaterThanOrEqualTo(60);
        assertThat(entries.stream().filter(MalformedCorpus.Entry::valid)).isNotEmpty();
        Set<String> expected = new HashSet<>();
        for (InvalidReason reason : InvalidReason.values()) {
            if (reason != InvalidReason.INTERNAL_ERROR) {
                expected.add(reason.name());
            }
        }
        assertThat(entries.stream().map(MalformedCorpus.Entry::expect)).containsAll(expected);
    }

    @Test
    void withoutAKeyTheValueAloneDecides() {
        MalformedCorpus.Entry noKey = MalformedCorpus.entries().stream().filter(e -> e.name().equals("no-key"))
                .findFirst().orElseThrow();

        assertThat(VALIDATOR.validate(noKey.value())).isInstanceOf(ValidationResult.Valid.class);
    }
}
