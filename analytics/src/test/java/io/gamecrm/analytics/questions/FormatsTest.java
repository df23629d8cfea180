package io.gamecrm.analytics.questions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamecrm.json.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatsTest {
    static final ResultTable T = new ResultTable(List.of("player_id", "wins", "note"),
            List.of(Arrays.asList("bob", 12L, "said \"hi\", twice"), Arrays.asList("alice", 3.0, null)), true);

    @Test
    void csvQuotesWhatNeedsQuotes() {
        assertThat(Formats.CSV.render(T)).isEqualTo("player_id,wins,note\r\nbob,12,\"said \"\"hi\"\", twice\"\r\n"
                + "alice,3,\r\n");
    }

    @Test
    void jsonHasColumnsRowsAndTruncation() {
        Map<String, Object> doc = Json.readObject(Formats.JSON.render(T));
        assertThat(doc.get("columns")).isEqualTo(List.of("player_id", "wins", "note"));
        assertThat((List<?>) doc.get("rows")).hasSize(2);
        assertThat(((Map<?, ?>) ((List<?>) doc.get("rows")).get(0)).get("wins")).isEqualTo(12);
        assertThat(doc.get("truncated")).isEqualTo(true);
    }

    @Test
    void tableAlignsNumbersRightAndSaysWhenRowsWereLeftOut() {
        String text = Formats.TABLE.render(T);
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).startsWith("player_id  wins");
        assertThat(lines.get(2)).startsWith("bob          12");
        assertThat(lines.get(3)).startsWith("alice         3");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("(2 rows shown, there are more)");
    }

    @Test
    void aRowMustFitTheColumns() {
        assertThatThrownBy(() -> new ResultTable(List.of("a"), List.of(List.of(1, 2)), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> T.column("nope")).hasMessageContaining("player_id");
    }
}
