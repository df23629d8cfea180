package io.gamecrm.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
    private static KafkaSettings settings(Map<String, String> client) {
        return new KafkaSettings("k:9092", "raw", null, null, null, client);
    }

    @Test
    void theProducerIsIdempotentWithAcksAllAndKeepsBytes() {
        Properties p = settings(null).producerProperties();
        assertThat(p).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("bootstrap.servers", "k:9092")
                .containsEntry("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        assertThat(Integer.parseInt(p.getProperty("max.in.flight.requests.per.connection"))).isLessThanOrEqualTo(5);
    }

    @Test
    void securitySettingsReachTheClientsIntactAndEmptyOnesAreDropped() {
        Map<String, String> client = new LinkedHashMap<>();
        client.put("security.protocol", "SASL_SSL");
        client.put("sasl.mechanism", "SCRAM-SHA-512");
        client.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"gw\" "
                + "password=\"p@ss;word\";");
        client.put("ssl.truststore.location", "/etc/kafka/truststore.p12");
        client.put("ssl.keystore.location", "");
        client.put("ssl.keystore.password", null);
        KafkaSettings s = settings(client);
        for (Properties p : new Properties[] {s.clientProperties(), s.producerProperties()}) {
            assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("sasl.jaas.config", client.get("sasl.jaas.config"))
                    .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
                    .doesNotContainKeys("ssl.keystore.location", "ssl.keystore.password");
        }
    }

    @Test
    void onlySecurityKeysMayBeSetSoAcksAndIdempotenceStayFixed() {
        assertThatThrownBy(() -> settings(Map.of("acks", "1"))).hasMessageContaining("only security settings");
        assertThatThrownBy(() -> settings(Map.of("enable.idempotence", "false"))).hasMessageContaining("only security");
    }

    @Test
    void bootstrapAndTopicAreRequired() {
        assertThatThrownBy(() -> new KafkaSettings(" ", "raw", null, null, null, null)).hasMessageContaining("bootstrap");
        assertThatThrownBy(() -> new KafkaSettings("k:9092", null, null, null, null, null)).hasMessageContaining("topic");
    }
}
