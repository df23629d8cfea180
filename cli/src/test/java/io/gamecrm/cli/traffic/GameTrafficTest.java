package io.gamecrm.cli.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamecrm.validation.EventValidator;
import io.gamecrm.validation.SchemaCatalog;
import io.gamecrm.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GameTrafficTest {
    private static final EventValidator VALIDATOR = new EventValidator(SchemaCatalog.fromClasspath(), 65536);
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private static List<GameTraffic.Event> take(GameTraffic t, int n) {
        return IntStream.range(0, n).mapToObj(i -> t.next(NOW)).toList();
    }

    @Test
    void theSameSeedGivesTheSameTraffic() {
        assertThat(take(new GameTraffic(42, 1000, 0.01), 500)).isEqualTo(take(new GameTraffic(42, 1000, 0.01), 500));
        assertThat(take(new GameTraffic(43, 1000, 0.01), 50)).isNotEqualTo(take(new GameTraffic(42, 1000, 0.01), 50));
    }

    @Test
    void validEventsPassTheSchemasAndInvalidOnesDoNot() {
        for (GameTraffic.Event e : take(new GameTraffic(7, 100, 0.05), 3000)) {
            ValidationResult r = VALIDATOR.validate(e.json().getBytes(StandardCharsets.UTF_8));
            assertThat(r instanceof ValidationResult.Valid).as(e.json()).isEqualTo(e.valid());
        }
    }

    @Test
    void theMixLooksLikeAGame() {
        Map<String, Integer> byType = new HashMap<>();
        take(new GameTraffic(1, 1000, 0), 20_000).forEach(e -> byType.merge(e.type(), 1, Integer::sum));

        assertThat(byType.get("fight")).isBetween(8_000, 10_000);
        assertThat(byType.get("login")).isBetween(4_000, 6_000);
        assertThat(byType.get("build")).isBetween(3_000, 4_200);
        assertThat(byType.get("purchase")).isBetween(1_800, 3_000);
    }

    @Test
    void everyPlayerIsOneOfThePopulation() {
        assertThat(take(new GameTraffic(1, 10, 0), 1000)).extracting(GameTraffic.Event::playerId)
                .allMatch(p -> p.matches("p-000000\\d"));
    }

    @Test
    void badArgumentsAreRefusedClearly() {
        assertThatThrownBy(() -> new GameTraffic(1, 0, 0)).hasMessageContaining("players must be at least 1");
        assertThatThrownBy(() -> new GameTraffic(1, 10, 2)).hasMessageContaining("invalid share");
    }
}
