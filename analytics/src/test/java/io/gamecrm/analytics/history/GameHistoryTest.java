package io.gamecrm.analytics.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.validation.EventValidator;
import io.gamecrm.validation.SchemaCatalog;
import io.gamecrm.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class GameHistoryTest {
    static final LocalDate DAY = LocalDate.parse("2026-11-20");

    @Test
    void sameSeedSameHistory() {
        assertThat(GameHistory.generate(3, 10, DAY, 3)).isEqualTo(GameHistory.generate(3, 10, DAY, 3));
        assertThat(GameHistory.generate(3, 10, DAY, 3)).isNotEqualTo(GameHistory.generate(4, 10, DAY, 3));
    }

    @Test
    void everyEventIsValidUniqueAndInTimeOrder() {
        List<GameHistory.Event> events = GameHistory.generate(5, 30, DAY, 4);
        EventValidator validator = new EventValidator(SchemaCatalog.fromClasspath(), EventValidator.DEFAULT_MAX_BYTES);
        for (GameHistory.Event e : events) {
            assertThat(validator.validate(e.json().getBytes(StandardCharsets.UTF_8)))
                    .as(e.json()).isInstanceOf(ValidationResult.Valid.class);
        }
        assertThat(new HashSet<>(events.stream().map(GameHistory.Event::eventId).toList())).hasSize(events.size());
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).time()).isAfterOrEqualTo(events.get(i - 1).time());
        }
    }

    @Test
    void bobLosesThreeInARowAcrossMidnight() {
        List<String> bob = GameHistory.generate(1, 0, DAY, 2).stream()
                .filter(e -> e.type().equals("fight")).map(e -> e.time().toString().substring(0, 10) + " " + e.result())
                .toList();
        assertThat(bob).containsExactly("2026-11-20 won", "2026-11-20 lost", "2026-11-20 lost", "2026-11-21 lost",
                "2026-11-21 lost", "2026-11-21 won", "2026-11-21 lost", "2026-11-21 lost", "2026-11-21 lost");
    }
}
