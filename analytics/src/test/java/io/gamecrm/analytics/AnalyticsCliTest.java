package io.gamecrm.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Argument errors are caught before any Spark work; exit code 2. */
class AnalyticsCliTest {
    static int run(ByteArrayOutputStream err, String... args) {
        return AnalyticsCli.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8), args);
    }

    @Test
    void parsesDurations() {
        assertThat(AnalyticsCli.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(AnalyticsCli.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(AnalyticsCli.duration("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> AnalyticsCli.duration("hourly")).hasMessageContaining("30s");
    }

    @Test
    void badArgumentsExitWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(err, "lost-streak", "--day", "2026-11-26")).isEqualTo(AnalyticsCli.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--min");
        assertThat(run(err, "offers", "--csv", "--json")).isEqualTo(AnalyticsCli.BAD_INPUT);
        assertThat(run(err, "backtest", "--handlers", "/no/such/dir", "--from", "2026-11-26"))
                .isEqualTo(AnalyticsCli.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a folder");
        assertThat(run(err, "uplift", "--from", "2026-11-26")).isEqualTo(AnalyticsCli.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--campaign");
        assertThat(run(err, "uplift", "--campaign", "battle-tanks-offer", "--plot", "uplift.gif"))
                .isEqualTo(AnalyticsCli.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(".svg or .png");
        String flux = TestRepo.root().resolve("flux/local.properties").toString();
        assertThat(run(err, "sql", "SELECT 1", "--master", "yarn", "--properties", flux))
                .isEqualTo(AnalyticsCli.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--master");
    }
}
