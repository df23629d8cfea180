package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.Names;
import java.nio.file.Files;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The gateway child gets the Kafka security settings as the environment variables its config.yml reads. */
class GatewayProcessTest {

    @Test
    void everySecurityKeyReachesTheGatewayThroughAVariableItsConfigReads() throws Exception {
        String config = Files.readString(Repo.root().resolve("gateway/config.yml"));

        for (String key : Names.Props.KAFKA_SECURITY_KEYS) {
            assertThat(config).contains("    " + key + ": ${" + GatewayProcess.environmentName(key) + ":-");
        }
    }

    @Test
    void onlyTheSecurityKeysThatAreSetArePassed() {
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", "127.0.0.1:9093");
        client.setProperty("security.protocol", "SASL_SSL");
        client.setProperty("sasl.jaas.config", "x required;");
        client.setProperty("ssl.keystore.location", " ");

        assertThat(GatewayProcess.kafkaEnvironment(client)).containsOnly(
                java.util.Map.entry("CRM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
                java.util.Map.entry("CRM_KAFKA_SASL_JAAS_CONFIG", "x required;"));
    }
}
