package io.gamecrm.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument handling and the commands that need no servers. */
class LocalStackMainTest {

    @TempDir
    Path base;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        StackConfig cfg = StackConfig.at(base);
        return LocalStackMain.run(args, cfg, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void usage() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:");
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("start", "stop", "status");
    }

    @Test
    void unknownCommandOrServer() {
        assertThat(run("restart")).isEqualTo(2);
        assertThat(run("start", "zookeeper")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'restart'",
                "unknown server 'zookeeper'");
    }

    @Test
    void statusOfNothingIsFailure() {
        assertThat(run("status")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Kafka", "Cassandra", "not started");
    }

    @Test
    void stopOfNothingSucceeds() {
        assertThat(run("stop")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no local servers");
    }
}
