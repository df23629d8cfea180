package io.gamecrm.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import io.gamecrm.local.StackListener;
import io.gamecrm.local.storm.cluster.StormCluster;
import io.gamecrm.local.storm.cluster.StormClusterConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The ITs on a real multi-process Storm cluster (ZooKeeper, Nimbus, a supervisor and its worker JVMs), started once
 * per test class beside the local Kafka and Cassandra, with the shaded topology jar to submit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnStormCluster {
    static final Path JAR = RepoPaths.root().resolve("topology/target/crm-topology.jar");
    StormCluster storm;

    @BeforeAll
    void startCluster() {
        assertThat(JAR).as("the shaded topology jar (mvn package)").exists();
        ItEnv.stack();
        storm = StormCluster.start(StormClusterConfig.fromSystemProperties(), StackListener.logging());
    }

    @AfterAll
    void stopCluster() {
        if (storm != null) {
            storm.close();
        }
    }
}
