package io.gamecrm.maintenance;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka producers shared by every task of a worker JVM, one per distinct client configuration,
 * for the topology's side channels (maintenance events, handler publication, campaign pauses).
 * The Kafka producer is thread-safe; each lease is closed once, the last one closes the producer.
 */
public final class SharedProducers {
    private static final Map<String, Shared> PRODUCERS = new HashMap<>();

    private SharedProducers() {
    }

    private static final class Shared {
        final Producer<String, String> producer;
        int users;

        Shared(Producer<String, String> producer) {
            this.producer = producer;
        }
    }

    /** A use of a shared producer. */
    public static final class Lease implements AutoCloseable {
        private final String key;
        private final Producer<String, String> producer;
        private boolean closed;

        private Lease(String key, Producer<String, String> producer) {
            this.key = key;
            this.producer = producer;
        }

        public Producer<String, String> producer() {
            return producer;
        }

        @Override
        public void close() {
            synchronized (PRODUCERS) {
                if (closed) {
                    return;
                }
                closed = true;
                Shared s = PRODUCERS.get(key);
                if (s != null && --s.users == 0) {
                    PRODUCERS.remove(key);
                    s.producer.close(Duration.ofSeconds(5));
                } else {
                    producer.flush();
                }
            }
        }
    }

    /** String keys and values, acks=all, idempotent; {@code client} supplies bootstrap and security. */
    public static Lease acquire(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "crm-side-" + ProcessHandle.current().pid());
        String key = new TreeMap<>(p).toString();
        synchronized (PRODUCERS) {
            Shared s = PRODUCERS.computeIfAbsent(key, k -> new Shared(new KafkaProducer<>(p)));
            s.users++;
            return new Lease(key, s.producer);
        }
    }
}
