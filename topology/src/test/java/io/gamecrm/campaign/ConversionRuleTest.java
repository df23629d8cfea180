package io.gamecrm.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A conversion rule: which events convert, and the value it reads from their payload. */
class ConversionRuleTest {
    @Test
    void matchesItsEventTypeOnly() {
        ConversionRule r = new ConversionRule("purchase", Duration.ofHours(24), null);
        assertThat(r.matches("purchase")).isTrue();
        assertThat(r.matches("login")).isFalse();
    }

    @Test
    void theValueIsTheNumberAtItsPathInThePayload() {
        ConversionRule price = new ConversionRule("purchase", Duration.ofHours(1), "price");
        ConversionRule nested = new ConversionRule("quest", Duration.ofHours(1), "reward.gems");

        assertThat(price.valueOf(Map.of("price", 4.99))).isEqualTo(4.99);
        assertThat(nested.valueOf(Map.of("reward", Map.of("gems", 50)))).isEqualTo(50.0);
        assertThat(price.valueOf(Map.of("price", "4.99"))).isNull();
        assertThat(price.valueOf(Map.of())).isNull();
        assertThat(nested.valueOf(Map.of("reward", 3))).isNull();
        assertThat(new ConversionRule("purchase", Duration.ofHours(1), null).valueOf(Map.of("price", 1))).isNull();
    }

    @Test
    void noDeclarationIsNoRule() {
        assertThat(ConversionRule.parse(null)).isNull();
    }
}
