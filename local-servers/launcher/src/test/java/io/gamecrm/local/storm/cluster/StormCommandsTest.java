package io.gamecrm.local.storm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command lines of the daemons and of the submitter, as the storm script builds them. */
class StormCommandsTest {

    private final StormClusterConfig cfg = StormClusterConfig.at(Path.of("/b"))
            .withJavaHome(Path.of("/jdk"));
    private final StormHome home = StormHome.at(cfg);

    @Test
    void daemonJvmOptionsAreTheStormScripts() {
        assertThat(StormDaemons.daemonJvmOptions(home, "nimbus", "nimbus", "512m")).containsExactly(
                "-server", "-Xmx512m", "-Ddaemon.name=nimbus", "-Dstorm.options=", "-Dstorm.home=/b/storm/home",
                "-Dstorm.log.dir=/b/storm/home/logs", "-Dstorm.conf.file=", "-Djava.deserialization.disabled=true",
                "-Dlogfile.name=nimbus.log", "-Dlog4j.configurationFile=/b/storm/home/log4j2/cluster.xml");
    }

    @Test
    void submitCommandIsStormJarRunningFlux() {
        assertThat(FluxSubmitter.submitCommand(cfg, home, Path.of("/t/crm-topology.jar"), Path.of("/f/crm.yaml"),
                Path.of("/f/local.properties"))).containsExactly(
                "/jdk/bin/java", "-client", "-Ddaemon.name=", "-Dstorm.options=", "-Dstorm.home=/b/storm/home",
                "-Dstorm.log.dir=/b/storm/home/logs", "-Dstorm.conf.file=",
                "-cp", "/b/storm/home/lib-worker/*:/b/storm/home/extlib/*:/t/crm-topology.jar:/b/storm/home/conf",
                "-Dstorm.jar=/t/crm-topology.jar", "-Dstorm.dependency.jars=", "-Dstorm.dependency.artifacts={}",
                "org.apache.storm.flux.Flux", "--remote", "/f/crm.yaml", "--filter", "/f/local.properties");
        assertThat(FluxSubmitter.submitCommand(cfg, home, Path.of("/t/x.jar"), Path.of("/f/x.yaml"), null))
                .endsWith("org.apache.storm.flux.Flux", "--remote", "/f/x.yaml");
    }

    @Test
    void fluxPrintsTheTopologyName() {
        var m = FluxSubmitter.FLUX_TOPOLOGY_NAME.matcher("Parsing file: x.yaml\n---------- TOPOLOGY DETAILS ----------\n"
                + "Topology Name: crm-local\n--------------- SPOUTS ---------------\n");

        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("crm-local");
    }
}
