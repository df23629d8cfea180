package io.gamecrm.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.gamecrm.gateway.client.GatewayClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Kafka stops in the middle of a load and comes back: the gateway answers 503 (Retry-After) while
 * it is down and its health check says so, the client backs off and sends the same events again,
 * and afterwards every event the gateway accepted is on the topic exactly once (counted by event
 * id), none lost, none twice.
 */
class KafkaOutageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void kafkaStoppedMidLoadGives503sThenRecoversWithEveryAcceptedEventOnTheTopicExactlyOnce() throws Exception {
        String topic = KafkaEnv.createTopic("gw-outage", 4);
        Set<String> ids = new HashSet<>();
        try (TestGateway gw = TestGateway.onKafka(KafkaEnv.bootstrap(), topic,
                ConfigOverride.config("kafka.ackTimeout", "1s"), ConfigOverride.config("ingest.maxInFlightEvents", "2000"));
             GatewayClient client = new GatewayClient(gw.uri(), TestGateway.KEY, new GatewayClient.Settings(50, 256 * 1024,
                     Duration.ofMillis(10), 20_000, 1000, Duration.ofMillis(100), Duration.ofSeconds(1)), r -> { })) {
            // about 300 events/s for 21 s; Kafka is down from second 5 to second 13
            long start = System.nanoTime();
            boolean stopped = false;
            boolean restarted = false;
            boolean sawUnhealthy = false;
            int n = 0;
            while (System.nanoTime() - start < 21_000_000_000L) {
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                if (!stopped && elapsedMs > 5_000) {
                    KafkaEnv.stopKafka();
                    stopped = true;
                    System.out.println("Kafka stopped after " + n + " events");
                    sawUnhealthy = gw.get(gw.admin("/healthcheck")).statusCode() == 500;
                }
                if (stopped && !restarted && elapsedMs > 13_000) {
                    KafkaEnv.startKafka();
                    restarted = true;
                    System.out.println("Kafka started again after " + n + " events");
                }
                while (n < elapsedMs * 300 / 1000) {
                    String id = UUID.randomUUID().toString();
                    ids.add(id);
                    assertThat(client.submit(Events.bytes(Events.fight(id, "player-" + (n % 97), n)), Duration.ofSeconds(5)))
                            .isTrue();
                    n++;
                }
                Thread.sleep(5);
            }
            if (!restarted) {
                KafkaEnv.startKafka();
            }
            assertThat(client.flush(Duration.ofSeconds(180))).as("every event resolved").isTrue();
            JsonNode meters = JSON.readTree(gw.get(gw.admin("/metrics")).body()).get("meters");
            long unavailable = count(meters, "gateway.responses.503") + count(meters, "gateway.responses.429");
            System.out.printf("submitted %d, accepted %d (%d found already on the topic), retried %d, failed %d, "
                            + "requests %d, 503/429 responses %d%n", client.submitted(), client.accepted(),
                    client.duplicates(), client.retries(), client.failed(), client.requests(), unavailable);

            assertThat(sawUnhealthy).as("health check unhealthy while Kafka is down").isTrue();
            assertThat(count(meters, "gateway.responses.503")).as("503s while Kafka is down").isPositive();
            assertThat(client.retries()).isPositive();
            assertThat(client.failed()).isZero();
            assertThat(client.rejected()).isZero();
            assertThat(client.accepted()).isEqualTo(ids.size());
            assertThat(JSON.readTree(gw.get(gw.admin("/healthcheck")).body()).get("kafka").get("healthy").asBoolean())
                    .isTrue();

            List<ConsumerRecord<String, byte[]>> records = KafkaEnv.readAll(topic, ids.size(), Duration.ofSeconds(60));
            Map<String, Integer> copies = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : records) {
                copies.merge(Events.field(new String(r.value(), StandardCharsets.UTF_8), "event_id"), 1, Integer::sum);
            }
            assertThat(copies.keySet()).as("no accepted event lost").containsExactlyInAnyOrderElementsOf(ids);
            assertThat(copies).as("no event twice").allSatisfy((id, c) -> assertThat(c).as(id).isEqualTo(1));
        } finally {
            KafkaEnv.deleteTopic(topic);
        }
    }

    private static long count(JsonNode meters, String name) {
        JsonNode m = meters.get(name);
        return m == null ? 0 : m.get("count").asLong();
    }
}
