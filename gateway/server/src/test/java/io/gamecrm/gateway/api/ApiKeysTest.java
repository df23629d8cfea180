package io.gamecrm.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private final ApiKeys keys = new ApiKeys(Map.of("tank-wars", "key-of-tank-wars-01", "space-race", "key-of-space-race-1"));

    @Test
    void aKeyDecidesItsGame() {
        assertThat(keys.game("key-of-tank-wars-01")).contains("tank-wars");
        assertThat(keys.game("key-of-space-race-1")).contains("space-race");
    }

    @Test
    void aMissingOrUnknownKeyHasNoGame() {
        assertThat(keys.game(null)).isEmpty();
        assertThat(keys.game("")).isEmpty();
        assertThat(keys.game("key-of-tank-wars-02")).isEmpty();
        assertThat(keys.game("tank-wars")).isEmpty();
    }

    @Test
    void keysAreCheckedWhenConfigured() {
        assertThatThrownBy(() -> new ApiKeys(Map.of())).hasMessageContaining("at least one game");
        assertThatThrownBy(() -> new ApiKeys(Map.of("a", "short"))).hasMessageContaining("16 characters");
        assertThatThrownBy(() -> new ApiKeys(Map.of("a", "same-key-for-both", "b", "same-key-for-both")))
                .hasMessageContaining("two games");
    }
}
