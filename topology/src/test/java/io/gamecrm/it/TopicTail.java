package io.gamecrm.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from its beginning on a background thread and keeps every record, for assertions. */
public final class TopicTail implements AutoCloseable {
    public record Received(String key, String value, long atMillis) {
    }

    private final List<Received> records = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public TopicTail(String bootstrap, String topic) {
        thread = new Thread(() -> {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                    new StringDeserializer(), new StringDeserializer())) {
                List<TopicPartition> parts = new ArrayList<>();
                c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
                c.assign(parts);
                c.seekToBeginning(parts);
                while (running.get()) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) {
                        records.add(new Received(r.key(), r.value(), System.currentTimeMillis()));
                    }
                }
            }
        }, "tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    public List<Received> all() {
        return List.copyOf(records);
    }

    public List<Received> matching(Predicate<String> value) {
        return records.stream().filter(r -> r.value() != null && value.test(r.value())).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5000);
    }
}
