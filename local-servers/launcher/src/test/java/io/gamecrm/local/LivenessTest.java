package io.gamecrm.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Stale-state detection: which state-file entries may be reused. */
class LivenessTest {

    private static final String KAFKA_CMD = "/usr/lib/jvm/java-17/bin/java @/x/kafka/conf/jvm.args "
            + "io.gamecrm.local.ParentWatch 123 kafka.Kafka /x/kafka/conf/server.properties";
    private static final StateFile.Entry KAFKA = new StateFile.Entry(Server.KAFKA, 4242, 19092, Instant.EPOCH,
            OptionalLong.empty());

    @Test
    void deadPidIsStale() {
        assertThat(Liveness.assess(KAFKA, probe(false, Optional.of(KAFKA_CMD), true))).isEqualTo(Liveness.State.GONE);
    }

    @Test
    void recycledPidIsStale() {
        assertThat(Liveness.assess(KAFKA, probe(true, Optional.of("/usr/bin/vim notes.txt"), true)))
                .isEqualTo(Liveness.State.FOREIGN);
        // a Cassandra child is not a Kafka server either
        assertThat(Liveness.assess(KAFKA, probe(true, Optional.of(KAFKA_CMD.replace("kafka.Kafka",
                "org.apache.cassandra.service.CassandraDaemon")), true))).isEqualTo(Liveness.State.FOREIGN);
    }

    @Test
    void ourServerAnsweringOnItsPortIsReused() {
        assertThat(Liveness.assess(KAFKA, probe(true, Optional.of(KAFKA_CMD), true)))
                .isEqualTo(Liveness.State.RUNNING);
    }

    @Test
    void unknownCommandLineFallsBackToThePortCheck() {
        assertThat(Liveness.assess(KAFKA, probe(true, Optional.empty(), true))).isEqualTo(Liveness.State.RUNNING);
        assertThat(Liveness.assess(KAFKA, probe(true, Optional.empty(), false)))
                .isEqualTo(Liveness.State.NOT_SERVING);
    }

    @Test
    void ourServerNotAnsweringIsNotReused() {
        assertThat(Liveness.assess(KAFKA, probe(true, Optional.of(KAFKA_CMD), false)))
                .isEqualTo(Liveness.State.NOT_SERVING);
    }

    @Test
    void recognisesOurCommandLines() {
        assertThat(Liveness.isOurServer(Server.KAFKA, KAFKA_CMD)).isTrue();
        assertThat(Liveness.isOurServer(Server.CASSANDRA, "java @/x/jvm.args io.gamecrm.local.ParentWatch - "
                + "org.apache.cassandra.service.CassandraDaemon")).isTrue();
        assertThat(Liveness.isOurServer(Server.KAFKA, "java -cp kafka.jar kafka.Kafka server.properties")).isFalse();
    }

    private static Liveness.Probe probe(boolean alive, Optional<String> cmd, boolean serving) {
        return new Liveness.Probe() {
            @Override
            public boolean isAlive(long pid) {
                return alive;
            }

            @Override
            public Optional<String> commandLine(long pid) {
                return cmd;
            }

            @Override
            public boolean isServing(Server server, int port) {
                return serving;
            }
        };
    }
}
