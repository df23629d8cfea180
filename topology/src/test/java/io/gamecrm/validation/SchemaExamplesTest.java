package io.gamecrm.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import io.gamecrm.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schemas folder keeps its contract: every schema compiles and is in the catalog, every valid
 * example passes, every invalid example fails with the reason (and pointer) expected.json gives.
 */
class SchemaExamplesTest {
    private static final SchemaCatalog CATALOG = SchemaCatalog.fromDirectory(RepoPaths.schemas());
    private static final EventValidator VALIDATOR = new EventValidator(CATALOG, EventValidator.DEFAULT_MAX_BYTES);

    static Stream<Path> validExamples() throws IOException {
        return list(RepoPaths.schemas().resolve("examples/valid"));
    }

    static Stream<Path> invalidExamples() throws IOException {
        return list(RepoPaths.schemas().resolve("examples/invalid")).filter(p -> !p.endsWith("expected.json"));
    }

    private static Stream<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExamplePasses(Path file) throws IOException {
        ValidationResult result = VALIDATOR.validate(Files.readAllBytes(file));
        assertThat(result).as(file.getFileName() + " -> " + result).isInstanceOf(ValidationResult.Valid.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleFailsWithExpectedReason(Path file) throws IOException {
        Map<String, Object> expected = expectations().get(file.getFileName().toString());
        assertThat(expected).as("expected.json has no line for " + file.getFileName()).isNotNull();

        ValidationResult result = VALIDATOR.validate(Files.readAllBytes(file));

        assertThat(result).isInstanceOf(ValidationResult.Invalid.class);
        Rejection r = ((ValidationResult.Invalid) result).rejection();
        assertThat(r.reason().name()).as(r.message()).isEqualTo(expected.get("reason"));
        assertThat(r.message()).isNotBlank();
        if (expected.containsKey("pointer")) {
            assertThat(r.pointer()).as(r.message()).isEqualTo(expected.get("pointer"));
        }
        if (expected.containsKey("schema")) {
            assertThat(r.schema()).isEqualTo(expected.get("schema"));
        }
    }

    @Test
    void everyExpectationHasItsFile() throws IOException {
        Set<String> files = invalidExamples().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        Set<String> lines = new TreeSet<>(expectations().keySet());
        assertThat(files).containsExactlyInAnyOrderElementsOf(lines);
    }

    @Test
    void everyEventSchemaFileIsInTheCatalogAndCompiles() throws IOException {
        Set<String> onDisk = list(RepoPaths.schemas().resolve("events"))
                .map(p -> p.getFileName().toString().replace(".schema.json", ""))
                .collect(Collectors.toSet());
        assertThat(CATALOG.eventTypes()).containsExactlyInAnyOrderElementsOf(onDisk);
        assertThat(CATALOG.eventTypes()).contains("login", "fight", "build", "purchase");
        onDisk.forEach(type -> assertThat(CATALOG.payload(type)).isNotNull());
    }

    @Test
    void everyValidExampleIsListedInTheCatalog() throws IOException {
        long files = validExamples().count();
        assertThat(CATALOG.validExamples().values().stream().mapToLong(List::size).sum()).isEqualTo(files);
        assertThat(CATALOG.validExamples()).containsKeys("login", "fight", "build", "purchase");
    }

    @Test
    void theOfferEventsAreKnownAndCarryTheTriggerIdAndCampaign() {
        for (String type : List.of("offer_shown", "offer_accepted")) {
            assertThat(CATALOG.eventTypes()).contains(type);
            assertThat(CATALOG.validExamples()).containsKey(type);
            EventValidator validator = new EventValidator(CATALOG, EventValidator.DEFAULT_MAX_BYTES);
            String noCampaign = "{\"event_id\":\"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d\",\"event_type\":\"" + type
                    + "\",\"player_id\":\"bob\",\"timestamp\":\"2026-11-26T09:15:00Z\",\"game\":\"tank-wars\","
                    + "\"payload\":{\"trigger_id\":\"0c4f8a52-3e1b-3d7a-9b6e-2f5a8c1d4e70\"}}";
            assertThat(validator.validate(noCampaign.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .as(type).isInstanceOf(ValidationResult.Invalid.class);
            assertThat(validator.validate(noCampaign.replace("}}", ",\"campaign\":\"gift\"}}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))).as(type).isInstanceOf(ValidationResult.Valid.class);
        }
    }

    @Test
    void classpathCatalogMatchesTheFolder() {
        assertThat(SchemaCatalog.fromClasspath().eventTypes()).isEqualTo(CATALOG.eventTypes());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> expectations() throws IOException {
        Map<String, Object> raw = Json.readObject(Files.readString(
                RepoPaths.schemas().resolve("examples/invalid/expected.json")));
        raw.remove("description");
        return (Map<String, Map<String, Object>>) (Map<String, ?>) raw;
    }

    @Test
    void tooLargeEventIsRefusedBeforeParsing() {
        EventValidator small = new EventValidator(CATALOG, 100);
        byte[] big = ("{\"pad\":\"" + "x".repeat(200) + "\"}").getBytes();

        Rejection r = ((ValidationResult.Invalid) small.validate(big)).rejection();

        assertThat(r.reason()).isEqualTo(InvalidReason.TOO_LARGE);
        assertThat(r.message()).contains("over the limit of 100");
        assertThat(List.of(r.violations())).isNotNull();
    }
}
