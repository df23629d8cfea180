package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {
    @Test
    void readsTheUsualUnits() {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesSomethingElseWithAnExample() {
        assertThatThrownBy(() -> DurationConverter.parse("soon"))
                .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("60s");
    }
}
