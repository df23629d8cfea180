package io.gamecrm.gateway.it;

import io.gamecrm.local.LocalStack;
import io.gamecrm.local.Server;
import io.gamecrm.local.StackConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The real Kafka broker of the gateway's ITs: the project's local server (a child JVM, started once
 * per test JVM or reused when running), a fresh topic per test, and what is on it.
 */
final class KafkaEnv {
    private static LocalStack stack;

    private KafkaEnv() {
    }

    static synchronized LocalStack stack() {
        if (stack == null) {
            stack = LocalStack.ensureRunning(StackConfig.fromSystemProperties(), EnumSet.of(Server.KAFKA), false);
        }
        return stack;
    }

    static String bootstrap() {
        return stack().kafkaBootstrap();
    }

    static String createTopic(String prefix, int partitions) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    static void deleteTopic(String name) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort: topics of a test run carry a random suffix
        }
    }

    /** Every record of the topic from its start, reading until {@code expected} arrived or {@code timeout}, then a bit more. */
    static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            int emptyAfterExpected = 0;
            while (System.nanoTime() < deadline && emptyAfterExpected < 3) {
                var records = c.poll(Duration.ofMillis(300));
                records.forEach(out::add);
                if (out.size() >= expected && records.isEmpty()) {
                    emptyAfterExpected++;
                }
            }
        }
        return out;
    }

    /** Stops the broker (SIGTERM, then waits for it to exit). */
    static void stopKafka() {
        ProcessHandle.of(stack().pid(Server.KAFKA)).ifPresent(p -> {
            p.destroy();
            p.onExit().orTimeout(60, TimeUnit.SECONDS).join();
        });
    }

    /** Starts the broker again on its data, same port. */
    static void startKafka() {
        LocalStack.ensureRunning(stack().config(), EnumSet.of(Server.KAFKA), false);
    }
}
