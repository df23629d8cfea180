package io.gamecrm.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaNodeTest {

    private final StackConfig cfg = StackConfig.at(Path.of("/tmp/crm"))
            .withPorts(new StackConfig.Ports(29092, 29093, 19042, 17000, 17199));

    @Test
    void serverPropertiesDescribeASingleKraftNode() throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(KafkaNode.serverPropertiesText(cfg)));

        assertThat(p).containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:29093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:29092")
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("inter.broker.listener.name", "PLAINTEXT")
                .containsEntry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT")
                .containsEntry("log.dirs", "/tmp/crm/kafka/data")
                .containsEntry("num.partitions", "4")
                .containsEntry("auto.create.topics.enable", "true")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("share.coordinator.state.topic.min.isr", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0");
    }

    @Test
    void aSecuredStackServesSaslSslWithPlainForItsOneUserOnTheClientListener() throws Exception {
        StackConfig secured = cfg.withSecurity(StackSecurity.of(new StackSecurity.Credentials("crm", "k-secret"),
                new StackSecurity.Credentials("crm", "c-secret"), "store-pw"));
        Properties p = new Properties();
        p.load(new StringReader(KafkaNode.serverPropertiesText(secured)));

        assertThat(p).containsEntry("listeners", "SASL_SSL://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093")
                .containsEntry("advertised.listeners", "SASL_SSL://127.0.0.1:29092")
                .containsEntry("inter.broker.listener.name", "SASL_SSL")
                .containsEntry("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT")
                .containsEntry("sasl.enabled.mechanisms", "PLAIN")
                .containsEntry("sasl.mechanism.inter.broker.protocol", "PLAIN")
                .containsEntry("listener.name.sasl_ssl.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"crm\" "
                                + "password=\"k-secret\" user_crm=\"k-secret\";")
                .containsEntry("ssl.keystore.location", "/tmp/crm/tls/broker.p12")
                .containsEntry("ssl.keystore.password", "store-pw")
                .containsEntry("ssl.keystore.type", "PKCS12")
                .containsEntry("ssl.truststore.location", "/tmp/crm/tls/truststore.p12")
                .containsEntry("ssl.client.auth", "none")
                .doesNotContainValue("PLAINTEXT://127.0.0.1:29092");
        assertThat(StackSecurity.clientJaas(new StackSecurity.Credentials("crm", "k-secret"))).isEqualTo(
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"crm\" password=\"k-secret\";");
    }

    @Test
    void portsAndFiles() {
        KafkaNode node = new KafkaNode(cfg);

        assertThat(node.ports()).containsExactly(Map.entry("Kafka client port", 29092),
                Map.entry("Kafka controller port", 29093));
        assertThat(node.address()).isEqualTo("127.0.0.1:29092");
        assertThat(node.logFile()).isEqualTo(Path.of("/tmp/crm/logs/kafka.log"));
        assertThat(node.outFile()).isEqualTo(Path.of("/tmp/crm/logs/kafka.out"));
        assertThat(node.dataDir()).isEqualTo(Path.of("/tmp/crm/kafka/data"));
    }

    @Test
    void log4jWritesToTheLogFileOnly() {
        String xml = KafkaNode.log4j2Xml(Path.of("/tmp/a&b/kafka.log"));

        assertThat(xml).contains("fileName=\"/tmp/a&amp;b/kafka.log\"", "<Root level=\"INFO\">",
                "shutdownHook=\"disable\"").doesNotContain("Console");
    }

    @Test
    void jvmOptions() {
        Path log4j = Path.of("/tmp/crm/kafka/conf/log4j2.xml");

        assertThat(KafkaNode.jvmOptions(cfg, log4j, true)).contains("-Xms256m", "-Xmx512m",
                "-Dlog4j2.configurationFile=file:///tmp/crm/kafka/conf/log4j2.xml",
                "-Dslf4j.provider=io.gamecrm.local.LegacySlf4jBindingProvider");
        assertThat(KafkaNode.jvmOptions(cfg, log4j, false)).noneMatch(o -> o.startsWith("-Dslf4j.provider"));
    }

    @Test
    void clusterIdsAreUrlSafeBase64Uuids() {
        for (int i = 0; i < 200; i++) {
            assertThat(KafkaNode.newClusterId()).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
        }
    }
}
