package io.gamecrm.storm;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Flux factories for Kafka client properties. The Flux file builds one {@code kafkaClient}
 * Properties component (bootstrap servers and security settings) and derives the producer
 * settings of every sink from it here, so security is configured once.
 */
public final class KafkaClients {
    private KafkaClients() {
    }

    /**
     * Producer properties for a KafkaBolt or the maintenance log: the client properties, string
     * keys and values, acks=all and idempotence (a broker retry never duplicates a record).
     */
    public static Properties producer(Properties client, String clientId) {
        Properties p = withoutBlanks(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    /**
     * The client properties without the keys whose value is blank, so a properties file can list
     * every security key (empty when unused) without Kafka rejecting empty values.
     */
    public static Properties withoutBlanks(Properties client) {
        Properties p = new Properties();
        client.forEach((k, v) -> {
            if (v != null && !v.toString().isBlank()) {
                p.put(k.toString(), v.toString());
            }
        });
        return p;
    }
}
