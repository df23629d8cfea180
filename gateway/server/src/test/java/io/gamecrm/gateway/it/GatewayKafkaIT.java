package io.gamecrm.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamecrm.gateway.client.GatewayClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The gateway on the real Kafka broker: what the game-side client posts arrives on the raw topic
 * keyed by its player_id, byte for byte, once each, in request order per player; single-event
 * posts too; the health check sees Kafka.
 */
class GatewayKafkaIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void postedEventsArriveKeyedByPlayerIdAsReceivedAndInOrderPerPlayer() throws Exception {
        String topic = KafkaEnv.createTopic("gw-order", 4);
        int players = 40;
        int perPlayer = 50;
        List<String> sent = new ArrayList<>();
        try (TestGateway gw = TestGateway.onKafka(KafkaEnv.bootstrap(), topic);
             GatewayClient client = new GatewayClient(gw.uri(), TestGateway.KEY, new GatewayClient.Settings(100, 256 * 1024,
                     Duration.ofMillis(5), 10_000, 10, Duration.ofMillis(50), Duration.ofSeconds(1)), r -> { })) {
            for (int seq = 0; seq < perPlayer; seq++) {
                for (int p = 0; p < players; p++) {
                    String json = Events.fight(UUID.randomUUID().toString(), "player-" + p, seq);
                    sent.add(json);
                    assertThat(client.submit(Events.bytes(json), Duration.ofSeconds(10))).isTrue();
                }
            }
            assertThat(client.flush(Duration.ofSeconds(60))).isTrue();
            assertThat(client.accepted()).isEqualTo(sent.size());
            assertThat(client.rejected() + client.failed()).isZero();
            assertThat(client.requests()).isGreaterThan(1);

            List<ConsumerRecord<String, byte[]>> records = KafkaEnv.readAll(topic, sent.size(), Duration.ofSeconds(60));
            assertThat(records).hasSize(sent.size());
            Set<String> values = new HashSet<>();
            Map<String, Integer> lastSeq = new HashMap<>();
            Map<String, Integer> partitionOf = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : records) {
                String value = new String(r.value(), StandardCharsets.UTF_8);
                values.add(value);
                assertThat(r.key()).isEqualTo(Events.field(value, "player_id"));
                assertThat(partitionOf.computeIfAbsent(r.key(), k -> r.partition())).isEqualTo(r.partition());
            }
            assertThat(values).containsExactlyInAnyOrderElementsOf(sent);
            // per partition, in offset order, each player's sequence numbers rise by one
            records.stream().sorted(java.util.Comparator.comparingInt((ConsumerRecord<String, byte[]> r) -> r.partition())
                    .thenComparingLong(ConsumerRecord::offset)).forEach(r -> {
                        int seq = Integer.parseInt(Events.field(new String(r.value(), StandardCharsets.UTF_8), "seq"));
                        Integer before = lastSeq.put(r.key(), seq);
                        assertThat(seq).as(r.key()).isEqualTo(before == null ? 0 : before + 1);
                    });
            assertThat(lastSeq).hasSize(players).allSatisfy((k, v) -> assertThat(v).isEqualTo(perPlayer - 1));
        } finally {
            KafkaEnv.deleteTopic(topic);
        }
    }

    @Test
    void aSingleEventPostIsOnTheTopicWhenAnswered202AndTheHealthCheckSeesKafka() throws Exception {
        String topic = KafkaEnv.createTopic("gw-single", 2);
        try (TestGateway gw = TestGateway.onKafka(KafkaEnv.bootstrap(), topic)) {
            String json = Events.fight(UUID.randomUUID().toString(), "bob", 0);
            HttpResponse<String> r = gw.post("application/json", TestGateway.KEY, json);
            assertThat(r.statusCode()).isEqualTo(202);
            var result = JSON.readTree(r.body()).get("results").get(0);
            List<ConsumerRecord<String, byte[]>> records = KafkaEnv.readAll(topic, 1, Duration.ofSeconds(30));
            assertThat(records).singleElement().satisfies(rec -> {
                assertThat(rec.key()).isEqualTo("bob");
                assertThat(new String(rec.value(), StandardCharsets.UTF_8)).isEqualTo(json);
                assertThat(rec.partition()).isEqualTo(result.get("partition").asInt());
                assertThat(rec.offset()).isEqualTo(result.get("offset").asLong());
            });
            HttpResponse<String> health = gw.get(gw.admin("/healthcheck"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).get("kafka").get("healthy").asBoolean()).isTrue();
        } finally {
            KafkaEnv.deleteTopic(topic);
        }
    }
}
