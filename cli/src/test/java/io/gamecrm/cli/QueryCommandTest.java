package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad arguments get a clear error (exit code 2) before any server is contacted. */
class QueryCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private int run(String... args) {
        return CrmCli.run(args);
    }

    @Test
    void aDayThatIsNotADateIsRefused() {
        assertThat(run("query", "lost-streak", "--min", "3", "--day", "26/11/2026")).isEqualTo(2);
        assertThat(console.err()).contains("--day must be a date like 2026-11-26");
    }

    @Test
    void aMinimumOutsideTheTrackedRangeIsRefused() {
        assertThat(run("query", "lost-streak", "--min", "0")).isEqualTo(2);
        assertThat(console.err()).contains("--min must be within 1..20");
        assertThat(run("query", "lost-streak", "--min", "21")).isEqualTo(2);
    }

    @Test
    void aMetricThatIsNotTrackedIsRefused() {
        assertThat(run("query", "metric", "gems", "--min", "3")).isEqualTo(2);
        assertThat(console.err()).contains("'gems' is not a tracked metric");
    }

    @Test
    void theMinimumIsRequired() {
        assertThat(run("query", "lost-streak")).isEqualTo(2);
        assertThat(console.err()).contains("--min");
    }
}
