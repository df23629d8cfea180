package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** crm load: bad arguments get a clear error (exit code 2) before Kafka is contacted. */
class LoadCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    private int run(String... args) {
        return CrmCli.run(args);
    }

    @Test
    void aRateThatIsNotPositiveIsRefused() {
        assertThat(run("load", "--rate", "-5")).isEqualTo(2);
        assertThat(console.err()).contains("--rate must be positive (0 only with --file), got -5");
        assertThat(run("load", "--rate", "0")).isEqualTo(2);
    }

    @Test
    void aRateThatIsNotANumberIsRefused() {
        assertThat(run("load", "--rate", "fast")).isEqualTo(2);
        assertThat(console.err()).contains("--rate").contains("fast");
    }

    @Test
    void noPlayersIsRefused() {
        assertThat(run("load", "--players", "0")).isEqualTo(2);
        assertThat(console.err()).contains("--players must be at least 1, got 0");
    }

    @Test
    void anInvalidShareOutsideZeroToOneIsRefused() {
        assertThat(run("load", "--invalid-share", "1.5")).isEqualTo(2);
        assertThat(console.err()).contains("--invalid-share must be within 0..1, got 1.5");
    }

    @Test
    void aDurationWithoutUnitOrNotPositiveIsRefused() {
        assertThat(run("load", "--duration", "soon")).isEqualTo(2);
        assertThat(console.err()).contains("--duration");
        console.resetErr();
        assertThat(run("load", "--duration", "0s")).isEqualTo(2);
        assertThat(console.err()).contains("--duration must be positive");
    }

    @Test
    void aMissingReplayFileIsRefused() {
        Path missing = dir.resolve("nope.jsonl");
        assertThat(run("load", "--file", missing.toString())).isEqualTo(2);
        assertThat(console.err()).contains("no file at " + missing);
    }

    @Test
    void aReplayFileWithALineThatIsNotJsonIsRefusedWithItsLineNumber() throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "{\"player_id\":\"bob\"}\n\nnot json\n");
        assertThat(run("load", "--file", file.toString())).isEqualTo(2);
        assertThat(console.err()).contains(file + ":3 is not a JSON object");
    }

    @Test
    void anUnknownOptionIsRefused() {
        assertThat(run("load", "--speed", "9")).isEqualTo(2);
        assertThat(console.err()).contains("Unknown options: '--speed'");
    }

    @Test
    void aGatewayThatIsNotAnHttpUrlIsRefused() {
        assertThat(run("load", "--gateway", "localhost:18080")).isEqualTo(2);
        assertThat(console.err()).contains("--gateway must be an http(s) URL");
    }

    @Test
    void theDefaultApiKeyIsTheDevelopmentKeyOfTheGatewayConfig() throws IOException {
        String config = Files.readString(Repo.root().resolve("gateway/config.yml"));
        assertThat(config).contains("tank-wars: ${CRM_GATEWAY_KEY_TANK_WARS:-" + LoadCommand.DEV_KEY + "}");
    }
}
