package io.gamecrm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    private static final Path CWD = Path.of("/work/project");

    @Test
    void defaults() {
        StackConfig c = StackConfig.fromProperties(new Properties(), Map.of(), CWD);

        assertThat(c.baseDir()).isEqualTo(Path.of("/work/project/target/local-servers"));
        assertThat(c.kafkaPort()).isEqualTo(19092);
        assertThat(c.kafkaControllerPort()).isEqualTo(19093);
        assertThat(c.cassandraPort()).isEqualTo(19042);
        assertThat(c.cassandraStoragePort()).isEqualTo(17000);
        assertThat(c.cassandraJmxPort()).isEqualTo(17199);
        assertThat(c.kafkaHeapMin()).isEqualTo("256m");
        assertThat(c.kafkaHeapMax()).isEqualTo("512m");
        assertThat(c.cassandraHeapMin()).isEqualTo("256m");
        assertThat(c.cassandraHeapMax()).isEqualTo("1g");
        assertThat(c.kafkaStartupTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.cassandraStartupTimeout()).isEqualTo(Duration.ofSeconds(180));
        assertThat(c.java17Home()).isEmpty();
        assertThat(c.logDir()).isEqualTo(c.baseDir().resolve("logs"));
        assertThat(c.stateFile()).isEqualTo(c.baseDir().resolve("stack.properties"));
        assertThat(c.lockFile()).isEqualTo(c.baseDir().resolve("stack.lock"));
    }

    @Test
    void systemPropertiesWinOverEnvironment() {
        Properties p = new Properties();
        p.setProperty(StackConfig.PROP_DIR, "/data/crm");
        p.setProperty(StackConfig.PROP_KAFKA_PORT, "29092");
        p.setProperty(StackConfig.PROP_CASSANDRA_PORT, " 29042 ");
        p.setProperty(StackConfig.PROP_CASSANDRA_HEAP_MAX, "2g");
        p.setProperty(StackConfig.PROP_KAFKA_STARTUP_TIMEOUT, "30");
        p.setProperty(StackConfig.PROP_JAVA17_HOME, "/opt/jdk17");

        StackConfig c = StackConfig.fromProperties(p, Map.of(StackConfig.ENV_DIR, "/elsewhere"), CWD);

        assertThat(c.baseDir()).isEqualTo(Path.of("/data/crm"));
        assertThat(c.kafkaPort()).isEqualTo(29092);
        assertThat(c.cassandraPort()).isEqualTo(29042);
        assertThat(c.cassandraHeapMax()).isEqualTo("2g");
        assertThat(c.kafkaStartupTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.java17Home()).contains(Path.of("/opt/jdk17"));
    }

    @Test
    void environmentGivesBaseDirRelativeToCwd() {
        StackConfig c = StackConfig.fromProperties(new Properties(), Map.of(StackConfig.ENV_DIR, "tmp/stack"), CWD);

        assertThat(c.baseDir()).isEqualTo(Path.of("/work/project/tmp/stack"));
    }

    @Test
    void rejectsInvalidSettings() {
        assertThatThrownBy(() -> StackConfig.builder().kafkaPort(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kafkaPort");
        assertThatThrownBy(() -> StackConfig.builder().cassandraPort(19092).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("19092");
        assertThatThrownBy(() -> StackConfig.builder().kafkaHeap("256m", "lots").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kafkaHeapMax");
        assertThatThrownBy(() -> StackConfig.builder().stopTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        Properties p = new Properties();
        p.setProperty(StackConfig.PROP_KAFKA_PORT, "x");
        assertThatThrownBy(() -> StackConfig.fromProperties(p, Map.of(), CWD))
                .hasMessageContaining(StackConfig.PROP_KAFKA_PORT);
    }

    @Test
    void toBuilderKeepsEverything() {
        StackConfig c = StackConfig.builder().baseDir(Path.of("/x")).kafkaPort(1111).cassandraHeap("128m", "512m")
                .java17Home(Path.of("/jdk")).build();

        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(c.toBuilder().cassandraPort(2222).build().cassandraPort()).isEqualTo(2222);
        assertThat(c.toString()).contains("/x", "1111", "128m");
    }
}
