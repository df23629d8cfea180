package io.gamecrm.gateway.kafka;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The {@code kafka:} section of the gateway's configuration.
 *
 * @param bootstrapServers host:port list
 * @param topic            the raw topic (the topology's {@code crm.topic.raw})
 * @param ackTimeout       how long a request waits for Kafka's acknowledgement before its events are
 *                         answered {@code retry} (default 5 s)
 * @param deliveryTimeout  how long the producer keeps trying one record (default 120 s): longer than an
 *                         outage the gateway should ride out without losing the idempotent retry
 * @param lingerMs         the producer's batching delay (default 1)
 * @param client           security settings, the same keys as the topology's {@code kafka.*} properties
 *                         without the prefix ({@code security.protocol}, {@code sasl.mechanism},
 *                         {@code sasl.jaas.config}, {@code ssl.truststore.location}, ...); keys whose
 *                         value is empty are dropped, so one file layout serves a PLAINTEXT cluster too
 */
public record KafkaSettings(@JsonProperty("bootstrapServers") String bootstrapServers, @JsonProperty("topic") String topic,
                            @JsonProperty("ackTimeout") Duration ackTimeout,
                            @JsonProperty("deliveryTimeout") Duration deliveryTimeout,
                            @JsonProperty("lingerMs") Integer lingerMs,
                            @JsonProperty("client") Map<String, String> client) {
    /** The client keys that may be set: security only; the producer's semantics are not configurable. */
    public static final List<String> CLIENT_KEY_PREFIXES = List.of("security.", "sasl.", "ssl.");

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrapServers must be set");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("kafka.topic must be set");
        }
        ackTimeout = ackTimeout != null ? ackTimeout : Duration.seconds(5);
        deliveryTimeout = deliveryTimeout != null ? deliveryTimeout : Duration.seconds(120);
        lingerMs = lingerMs != null ? lingerMs : 1;
        if (ackTimeout.toMilliseconds() < 1 || deliveryTimeout.toMilliseconds() < ackTimeout.toMilliseconds()) {
            throw new IllegalArgumentException("kafka.ackTimeout must be positive and at most kafka.deliveryTimeout");
        }
        if (lingerMs < 0) {
            throw new IllegalArgumentException("kafka.lingerMs must not be negative");
        }
        Map<String, String> c = new LinkedHashMap<>();
        if (client != null) {
            client.forEach((k, v) -> {
                if (CLIENT_KEY_PREFIXES.stream().noneMatch(k::startsWith)) {
                    throw new IllegalArgumentException("kafka.client." + k + ": only security settings ("
                            + String.join("*, ", CLIENT_KEY_PREFIXES) + "*) can be set here");
                }
                if (v != null && !v.isBlank()) {
                    c.put(k, v);
                }
            });
        }
        client = Map.copyOf(c);
    }

    /** Client properties shared by the producer and the health check's admin client. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /**
     * The producer: acks=all and idempotence (a broker retry never duplicates or reorders a
     * record), string keys, the bytes as received for values.
     */
    public Properties producerProperties() {
        Properties p = clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout.toMilliseconds()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(30_000, deliveryTimeout.toMilliseconds())));
        // a send never blocks a request thread for long: without metadata it fails (answered retry)
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(2_000, ackTimeout.toMilliseconds())));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L << 20));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "crm-gateway");
        return p;
    }
}
