package io.gamecrm.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

    @TempDir
    Path tmp;

    @Test
    void roundTrip() {
        Path file = tmp.resolve("stack.properties");
        Map<Server, StateFile.Entry> entries = new EnumMap<>(Server.class);
        entries.put(Server.KAFKA, new StateFile.Entry(Server.KAFKA, 4242, 19092,
                Instant.parse("2026-01-02T03:04:05.123Z"), OptionalLong.of(99)));
        entries.put(Server.CASSANDRA, new StateFile.Entry(Server.CASSANDRA, 4343, 19042,
                Instant.parse("2026-01-02T03:04:06Z"), OptionalLong.empty()));

        StateFile.write(file, entries);

        assertThat(StateFile.read(file)).isEqualTo(entries);
        assertThat(StateFile.read(file).get(Server.CASSANDRA).detached()).isTrue();
        assertThat(file).content().contains("kafka.pid=4242", "kafka.port=19092", "kafka.owner-pid=99",
                "cassandra.owner-pid=detached", "kafka.started-at=2026-01-02T03:04:05.123Z");
    }

    @Test
    void missingFileMeansNothingRuns() {
        assertThat(StateFile.read(tmp.resolve("nope.properties"))).isEmpty();
    }

    @Test
    void writingNoEntriesDeletesTheFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("stack.properties"), "kafka.pid=1\n");

        StateFile.write(file, Map.of());

        assertThat(file).doesNotExist();
    }

    @Test
    void malformedEntriesAreIgnored() throws Exception {
        Path file = Files.writeString(tmp.resolve("stack.properties"), String.join("\n",
                "kafka.pid=12", "kafka.port=not-a-port", "kafka.started-at=2026-01-02T03:04:05Z",
                "cassandra.pid=13", "cassandra.port=19042", "cassandra.started-at=2026-01-02T03:04:05Z",
                "cassandra.owner-pid=77", "unrelated=1"));

        Map<Server, StateFile.Entry> entries = StateFile.read(file);

        assertThat(entries).containsOnlyKeys(Server.CASSANDRA);
        assertThat(entries.get(Server.CASSANDRA).ownerPid()).hasValue(77);
    }
}
