package io.gamecrm.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import io.gamecrm.access.ClusterAccess;
import io.gamecrm.maintenance.MaintenanceSettings;
import io.gamecrm.profile.CassandraSettings;
import java.io.Reader;
import java.nio.file.Files;
import java.util.Properties;
import org.apache.storm.Config;
import org.apache.storm.flux.FluxBuilder;
import org.apache.storm.flux.model.ExecutionContext;
import org.apache.storm.flux.model.TopologyDef;
import org.apache.storm.flux.parser.FluxParser;
import org.junit.jupiter.api.Test;

/**
 * Kafka SASL/TLS and Cassandra authentication are set in the properties file only, and reach
 * every client of the topology intact (a JAAS line keeps its quotes through the YAML); keys left
 * empty are dropped, so one properties layout serves PLAINTEXT and secured clusters.
 */
class SecuritySettingsTest {
    private static ExecutionContext build(Properties p) throws Exception {
        TopologyDef def = FluxParser.parseFile(RepoPaths.flux().resolve("crm-topology.yaml").toString(), false, true, p, false);
        Config conf = FluxBuilder.buildConfig(def);
        ExecutionContext ctx = new ExecutionContext(def, conf);
        FluxBuilder.buildTopology(ctx);
        return ctx;
    }

    private static Properties reference() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(RepoPaths.flux().resolve("reference.properties"))) {
            p.load(r);
        }
        return p;
    }

    @Test
    void saslSslAndCassandraCredentialsReachTheClients() throws Exception {
        Properties p = reference();
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"crm\" password=\"s3cr3t\";";
        p.setProperty("kafka.security.protocol", "SASL_SSL");
        p.setProperty("kafka.sasl.mechanism", "SCRAM-SHA-512");
        p.setProperty("kafka.sasl.jaas.config", jaas);
        p.setProperty("kafka.ssl.truststore.location", "/etc/crm/truststore.jks");
        p.setProperty("kafka.ssl.truststore.password", "changeit");
        p.setProperty("cassandra.username", "crm");
        p.setProperty("cassandra.password", "cass-secret");

        ExecutionContext ctx = build(p);

        Properties client = (Properties) ctx.getComponent("kafkaClient");
        assertThat(client).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", jaas).containsEntry("ssl.truststore.location", "/etc/crm/truststore.jks")
                .doesNotContainKey("ssl.keystore.location");
        assertThat(((org.apache.storm.kafka.spout.KafkaSpoutConfig<?, ?>) ctx.getComponent("rawSpoutConfig")).getKafkaProps())
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", jaas)
                .containsEntry("ssl.truststore.location", "/etc/crm/truststore.jks");
        Properties producer = (Properties) ctx.getComponent("triggerProducer");
        assertThat(producer).containsEntry("sasl.jaas.config", jaas).containsEntry("acks", "all");
        assertThat(((MaintenanceSettings) ctx.getComponent("maintenance")).kafka()).containsEntry("security.protocol", "SASL_SSL");
        CassandraSettings cassandra = (CassandraSettings) ctx.getComponent("cassandra");
        assertThat(cassandra.username()).isEqualTo("crm");
        assertThat(cassandra.password()).isEqualTo("cass-secret");
    }

    @Test
    void theCliAndTestsTakeTheSameClientSettingsAsTheTopology() throws Exception {
        Properties p = reference();
        p.setProperty("kafka.security.protocol", "SASL_SSL");
        p.setProperty("kafka.sasl.mechanism", "PLAIN");
        p.setProperty("kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"crm\" password=\"p\";");
        p.setProperty("kafka.ssl.truststore.location", "/etc/crm/truststore.p12");
        p.setProperty("kafka.ssl.truststore.password", "changeit");
        p.setProperty("cassandra.username", "crm");
        p.setProperty("cassandra.password", "cass-secret");

        for (Properties props : new Properties[] {p, reference()}) {
            ExecutionContext ctx = build(props);

            assertThat(ClusterAccess.kafkaClient(props)).isEqualTo(ctx.getComponent("kafkaClient"));
            CassandraSettings topology = (CassandraSettings) ctx.getComponent("cassandra");
            CassandraSettings cli = ClusterAccess.cassandra(props);
            assertThat(cli).isEqualTo(topology);
            assertThat(cli.password()).isEqualTo(topology.password());
            assertThat(cli.keyspace()).isEqualTo(topology.keyspace());
            assertThat(cli.requestTimeoutMs()).isEqualTo(topology.requestTimeoutMs());
        }
    }

    @Test
    void theReadmeShowsTheSecuredPropertiesFileTheItRuns() throws Exception {
        String file = Files.readString(RepoPaths.flux().resolve("secured.properties.in"));
        String readme = Files.readString(RepoPaths.root().resolve("README.md"));

        assertThat(readme).contains("```properties\n" + file + "```");
        Properties keys = new Properties();
        keys.load(new java.io.StringReader(file));
        assertThat(reference().stringPropertyNames()).containsAll(keys.stringPropertyNames());
    }

    @Test
    void emptySecurityKeysAreDroppedForAPlaintextCluster() throws Exception {
        ExecutionContext ctx = build(reference());

        Properties client = (Properties) ctx.getComponent("kafkaClient");
        assertThat(client).containsOnlyKeys("bootstrap.servers", "security.protocol");
        assertThat(((CassandraSettings) ctx.getComponent("cassandra")).username()).isEmpty();
    }
}
