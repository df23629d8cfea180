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
        assertThat(c.ports().kafka()).isEqualTo(19092);
        assertThat(c.ports().kafkaController()).isEqualTo(19093);
        assertThat(c.ports().cassandra()).isEqualTo(19042);
        assertThat(c.ports().cassandraStorage()).isEqualTo(17000);
        assertThat(c.ports().cassandraJmx()).isEqualTo(17199);
        assertThat(c.heaps().kafkaMin()).isEqualTo("256m");
        assertThat(c.heaps().kafkaMax()).isEqualTo("512m");
        assertThat(c.heaps().cassandraMin()).isEqualTo("256m");
        assertThat(c.heaps().cassandraMax()).isEqualTo("1g");
        assertThat(c.timeouts().kafkaStartup()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.timeouts().cassandraStartup()).isEqualTo(Duration.ofSeconds(180));
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
        assertThat(c.ports().kafka()).isEqualTo(29092);
        assertThat(c.ports().cassandra()).isEqualTo(29042);
        assertThat(c.heaps().cassandraMax()).isEqualTo("2g");
        assertThat(c.timeouts().kafkaStartup()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.java17Home()).contains(Path.of("/opt/jdk17"));
    }

    @Test
    void environmentGivesBaseDirRelativeToCwd() {
        StackConfig c = StackConfig.fromProperties(new Properties(), Map.of(StackConfig.ENV_DIR, "tmp/stack"), CWD);

        assertThat(c.baseDir()).isEqualTo(Path.of("/work/project/tmp/stack"));
    }

    @Test
    void rejectsInvalidSettings() {
        assertThatThrownBy(() -> new StackConfig.Ports(0, 19093, 19042, 17000, 17199))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kafkaPort");
        assertThatThrownBy(() -> new StackConfig.Ports(19092, 19093, 19092, 17000, 17199))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("19092");
        assertThatThrownBy(() -> new StackConfig.Heaps("256m", "lots", "256m", "1g"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kafkaHeapMax");
        assertThatThrownBy(() -> new StackConfig.Timeouts(Duration.ofSeconds(90), Duration.ofSeconds(180),
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        Properties p = new Properties();
        p.setProperty(StackConfig.PROP_KAFKA_PORT, "x");
        assertThatThrownBy(() -> StackConfig.fromProperties(p, Map.of(), CWD))
                .hasMessageContaining(StackConfig.PROP_KAFKA_PORT);
    }

    @Test
    void withKeepsEverythingElse() {
        StackConfig c = StackConfig.at(Path.of("/x")).withPorts(new StackConfig.Ports(1111, 19093, 19042, 17000, 17199))
                .withHeaps(new StackConfig.Heaps("256m", "512m", "128m", "512m")).withJava17Home(Path.of("/jdk"));

        assertThat(c.withPorts(c.ports())).isEqualTo(c).hasSameHashCodeAs(c);
        StackConfig changed = c.withPorts(new StackConfig.Ports(1111, 19093, 2222, 17000, 17199));
        assertThat(changed.ports().cassandra()).isEqualTo(2222);
        assertThat(changed.withPorts(c.ports())).isEqualTo(c);
        assertThat(c.toString()).contains("/x", "1111", "128m");
    }
}
