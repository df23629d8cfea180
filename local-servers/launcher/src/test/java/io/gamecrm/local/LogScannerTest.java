package io.gamecrm.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogScannerTest {

    @TempDir
    Path tmp;

    @Test
    void ignoresWhatWasLoggedBeforeTheStart() throws Exception {
        Path log = Files.writeString(tmp.resolve("kafka.log"), "INFO Kafka Server started\n");
        LogScanner scanner = LogScanner.fromEnd(log, "Kafka Server started");

        assertThat(scanner.found()).isFalse();
        append(log, "INFO starting\n");
        assertThat(scanner.found()).isFalse();
        append(log, "INFO [KafkaRaftServer nodeId=1] Kafka Server started (kafka.server.KafkaRaftServer)\n");
        assertThat(scanner.found()).isTrue();
        assertThat(scanner.found()).isTrue();
    }

    @Test
    void findsAMarkerWrittenInPieces() throws Exception {
        Path log = tmp.resolve("kafka.log");
        LogScanner scanner = LogScanner.fromEnd(log, "Kafka Server started");

        assertThat(scanner.found()).isFalse(); // no file yet
        append(log, "INFO Kafka Ser");
        assertThat(scanner.found()).isFalse();
        append(log, "ver started\n");
        assertThat(scanner.found()).isTrue();
    }

    @Test
    void startsOverWhenTheFileWasRolled() throws Exception {
        Path log = Files.writeString(tmp.resolve("kafka.log"), "x".repeat(1000));
        LogScanner scanner = LogScanner.fromEnd(log, "ready");

        Files.writeString(log, "ready\n");

        assertThat(scanner.found()).isTrue();
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
