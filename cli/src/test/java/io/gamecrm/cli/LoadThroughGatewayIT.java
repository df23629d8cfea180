package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.cli.traffic.GameTraffic;
import io.gamecrm.local.LocalStack;
import io.gamecrm.local.Server;
import io.gamecrm.local.StackConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crm load --gateway URL}: game traffic posted to the gateway (a child JVM, as the demo
 * starts it) arrives on the raw topic, every event keyed by its player_id; the invalid share is
 * refused by the gateway (not JSON) or passed on for the topology's schema (valid JSON).
 */
class LoadThroughGatewayIT {
    @Test
    void loadThroughTheGatewayPutsEveryAcceptedEventOnTheRawTopicKeyedByPlayer(@TempDir Path dir) throws Exception {
        LocalStack stack = LocalStack.ensureRunning(StackConfig.fromSystemProperties(), EnumSet.of(Server.KAFKA), false);
        String topic = "raw-load-gw-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        try (GatewayProcess gw = GatewayProcess.start(stack.kafkaBootstrap(), topic, GameTraffic.GAME, 0,
                dir.resolve("gateway.log"), List.of())) {
            int code = CrmCli.run("load", "--gateway", gw.uri().toString(), "--api-key", gw.apiKey(), "--rate", "400",
                    "--duration", "3s", "--players", "50", "--invalid-share", "0.05");
            assertThat(code).isZero();
        }
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrap()), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            c.assign(parts);
            c.seekToBeginning(parts);
            for (int empty = 0; empty < 5; ) {
                var batch = c.poll(Duration.ofMillis(500));
                batch.forEach(records::add);
                empty = batch.isEmpty() ? empty + 1 : 0;
            }
        }
        // about 1,200 events, a few percent of them truncated JSON that the gateway refused
        assertThat(records).hasSizeBetween(1000, 1300);
        for (ConsumerRecord<String, byte[]> r : records) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(value).contains("\"player_id\":\"" + r.key() + "\"");
        }
    }
}
