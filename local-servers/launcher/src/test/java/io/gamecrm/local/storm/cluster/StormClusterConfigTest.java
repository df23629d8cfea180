package io.gamecrm.local.storm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamecrm.local.StackConfig;
import io.gamecrm.local.storm.cluster.StormClusterConfig.Heaps;
import io.gamecrm.local.storm.cluster.StormClusterConfig.Ports;
import io.gamecrm.local.storm.cluster.StormClusterConfig.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StormClusterConfigTest {

    private static final Path CWD = Path.of("/work/project");

    @Test
    void defaults() {
        StormClusterConfig c = StormClusterConfig.fromProperties(new Properties(), Map.of(), CWD);

        assertThat(c.baseDir()).isEqualTo(Path.of("/work/project/target/local-servers"));
        assertThat(c.homeDir()).isEqualTo(Path.of("/work/project/target/local-servers/storm/home"));
        assertThat(c.logDir()).isEqualTo(c.homeDir().resolve("logs"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/work/project/target/local-servers/storm/data"));
        assertThat(c.localDir()).isEqualTo(c.dataDir().resolve("storm-local"));
        assertThat(c.zookeeperDataDir()).isEqualTo(c.dataDir().resolve("zookeeper"));
        assertThat(c.bootstrapDir()).isEqualTo(Path.of("/work/project/target/local-servers/storm/bootstrap"));
        assertThat(c.ports().zookeeper()).isEqualTo(12181);
        assertThat(c.ports().nimbus()).isEqualTo(16627);
        assertThat(c.ports().supervisor()).isEqualTo(16628);
        assertThat(c.ports().slots()).isEqualTo(2);
        assertThat(c.ports().slotPorts()).containsExactly(16700, 16701);
        assertThat(c.ports().ui()).isEqualTo(16080);
        assertThat(c.ports().logviewer()).isEqualTo(16000);
        assertThat(c.ports().drpc()).isEqualTo(16772);
        assertThat(c.ports().pacemaker()).isEqualTo(16699);
        assertThat(c.heaps().zookeeper()).isEqualTo("256m");
        assertThat(c.heaps().nimbus()).isEqualTo("512m");
        assertThat(c.heaps().supervisor()).isEqualTo("256m");
        assertThat(c.heaps().worker()).isEqualTo("768m");
        assertThat(c.heaps().workerMb()).isEqualTo(768);
        assertThat(c.timeouts().startup()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.timeouts().submit()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.timeouts().stop()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.javaHome()).isEqualTo(Path.of(System.getProperty("java.home")).toAbsolutePath().normalize());
        assertThat(c.javaExecutable()).isEqualTo(c.javaHome().resolve("bin/java"));
        assertThat(c.extraConf()).isEmpty();
    }

    @Test
    void noPortIsAStormDefault() {
        StormClusterConfig c = StormClusterConfig.fromProperties(new Properties(), Map.of(), CWD);

        // ZooKeeper, Nimbus, supervisor thrift, slots, UI, logviewer, DRPC (3), pacemaker
        assertThat(c.ports().named().values()).doesNotContainAnyElementsOf(
                List.of(2181, 6627, 6628, 6700, 6701, 6702, 6703, 8080, 8000, 3772, 3773, 3774, 6699));
        assertThat(c.ports().named()).containsEntry("drpc.invocations.port", 16773)
                .containsEntry("drpc.http.port", 16774)
                .containsEntry("supervisor.slots.ports[1]", 16701).hasSize(11);
        assertThat(c.ports().toCheck()).containsOnlyKeys("storm.zookeeper.port", "nimbus.thrift.port",
                "supervisor.thrift.port", "supervisor.slots.ports[0]", "supervisor.slots.ports[1]");
    }

    @Test
    void systemPropertiesOverrideTheDefaults() {
        Properties p = new Properties();
        p.setProperty(StackConfig.PROP_DIR, "relative/dir");
        p.setProperty(StormClusterConfig.PROP_ZOOKEEPER_PORT, "22181");
        p.setProperty(StormClusterConfig.PROP_NIMBUS_PORT, " 26627 ");
        p.setProperty(StormClusterConfig.PROP_SUPERVISOR_PORT, "26628");
        p.setProperty(StormClusterConfig.PROP_SLOTS_PORT, "26700");
        p.setProperty(StormClusterConfig.PROP_SLOTS, "4");
        p.setProperty(StormClusterConfig.PROP_UI_PORT, "26080");
        p.setProperty(StormClusterConfig.PROP_LOGVIEWER_PORT, "26000");
        p.setProperty(StormClusterConfig.PROP_DRPC_PORT, "26772");
        p.setProperty(StormClusterConfig.PROP_PACEMAKER_PORT, "26699");
        p.setProperty(StormClusterConfig.PROP_ZOOKEEPER_HEAP, "128m");
        p.setProperty(StormClusterConfig.PROP_NIMBUS_HEAP, "1g");
        p.setProperty(StormClusterConfig.PROP_SUPERVISOR_HEAP, "192m");
        p.setProperty(StormClusterConfig.PROP_WORKER_HEAP, "1g");
        p.setProperty(StormClusterConfig.PROP_STARTUP_TIMEOUT, "30");
        p.setProperty(StormClusterConfig.PROP_SUBMIT_TIMEOUT, "40");
        p.setProperty(StormClusterConfig.PROP_STOP_TIMEOUT, "5");
        p.setProperty(StormClusterConfig.PROP_JAVA_HOME, "/opt/jdk17");

        StormClusterConfig c = StormClusterConfig.fromProperties(p, Map.of(StackConfig.ENV_DIR, "/elsewhere"), CWD);

        assertThat(c.baseDir()).isEqualTo(Path.of("/work/project/relative/dir"));
        assertThat(c.ports().zookeeper()).isEqualTo(22181);
        assertThat(c.ports().nimbus()).isEqualTo(26627);
        assertThat(c.ports().supervisor()).isEqualTo(26628);
        assertThat(c.ports().slotPorts()).containsExactly(26700, 26701, 26702, 26703);
        assertThat(c.ports().ui()).isEqualTo(26080);
        assertThat(c.ports().logviewer()).isEqualTo(26000);
        assertThat(c.ports().drpc()).isEqualTo(26772);
        assertThat(c.ports().pacemaker()).isEqualTo(26699);
        assertThat(c.heaps().zookeeper()).isEqualTo("128m");
        assertThat(c.heaps().nimbus()).isEqualTo("1g");
        assertThat(c.heaps().supervisor()).isEqualTo("192m");
        assertThat(c.heaps().worker()).isEqualTo("1g");
        assertThat(c.heaps().workerMb()).isEqualTo(1024);
        assertThat(c.timeouts().startup()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.timeouts().submit()).isEqualTo(Duration.ofSeconds(40));
        assertThat(c.timeouts().stop()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.javaHome()).isEqualTo(Path.of("/opt/jdk17"));
    }

    @Test
    void baseDirFromTheEnvironmentWhenNoSystemProperty() {
        StormClusterConfig c = StormClusterConfig.fromProperties(new Properties(),
                Map.of(StackConfig.ENV_DIR, "/data/crm"), CWD);

        assertThat(c.homeDir()).isEqualTo(Path.of("/data/crm/storm/home"));
    }

    // Ports: zookeeper, nimbus, supervisor, first slot port, slots, ui, logviewer, drpc, pacemaker

    @Test
    void rejectsPortsUsedTwice() {
        assertThatThrownBy(() -> new Ports(12181, 12181, 16628, 16700, 2, 16080, 16000, 16772, 16699))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 12181 is configured twice (storm.zookeeper.port and nimbus.thrift.port)");
        // the slot range runs into the DRPC ports
        assertThatThrownBy(() -> new Ports(12181, 16627, 16628, 16770, 4, 16080, 16000, 16772, 16699))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 16772");
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> new Ports(12181, 16627, 16628, 16700, 0, 16080, 16000, 16772, 16699))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slots");
        assertThatThrownBy(() -> new Ports(12181, 16627, 16628, 65535, 2, 16080, 16000, 16772, 16699))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last slot port");
        assertThatThrownBy(() -> new Heaps("256m", "512m", "256m", "lots"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workerHeap");
        assertThatThrownBy(() -> new Heaps("256m", "512m", "256m", "32m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 64m");
        assertThatThrownBy(() -> new Timeouts(Duration.ofSeconds(120), Duration.ofSeconds(120), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stopTimeout");
        Properties p = new Properties();
        p.setProperty(StormClusterConfig.PROP_NIMBUS_PORT, "many");
        assertThatThrownBy(() -> StormClusterConfig.fromProperties(p, Map.of(), CWD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(StormClusterConfig.PROP_NIMBUS_PORT);
    }

    @Test
    void heapSizesInMegabytes() {
        assertThat(StormClusterConfig.megabytes("768m")).isEqualTo(768);
        assertThat(StormClusterConfig.megabytes("2G")).isEqualTo(2048);
        assertThat(StormClusterConfig.megabytes("524288k")).isEqualTo(512);
        assertThat(StormClusterConfig.megabytes("1073741824")).isEqualTo(1024);
    }

    @Test
    void withKeepsEverythingElse() {
        StormClusterConfig c = StormClusterConfig.at(Path.of("/x"))
                .withPorts(new Ports(12181, 16627, 16628, 17000, 3, 16080, 16000, 16772, 16699))
                .withHeaps(new Heaps("256m", "512m", "256m", "1g"))
                .withExtraConf("supervisor.worker.timeout.secs", 10);

        StormClusterConfig copy = c.withBaseDir(c.baseDir());

        assertThat(copy.toString()).isEqualTo(c.toString());
        assertThat(copy.extraConf()).containsEntry("supervisor.worker.timeout.secs", 10);
        assertThat(c.withJavaHome(Path.of("/jdk")).extraConf()).containsEntry("supervisor.worker.timeout.secs", 10);
    }
}
