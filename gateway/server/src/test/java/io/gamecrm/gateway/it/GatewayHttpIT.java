package io.gamecrm.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every status code of POST /v1/events, over real HTTP (Dropwizard, Jetty, Jersey, the shipped
 * config.yml), with a sink the test controls in place of Kafka (the Kafka paths: GatewayKafkaIT,
 * KafkaOutageIT):
 * <ul>
 *   <li>202 once acknowledged, one result per event, for a single event, an array and NDJSON;</li>
 *   <li>400 with a typed reason per rejected item (and 202 for a batch where some pass);</li>
 *   <li>401 for a missing or unknown key; 415 for a wrong content type;</li>
 *   <li>413 for a body, a batch or a single event too large; 408 for a body that stalls;</li>
 *   <li>503 + Retry-After when Kafka does not acknowledge in time; 429 + Retry-After when the
 *       in-flight limit is full; recovery once Kafka acknowledges;</li>
 *   <li>the metrics and the health check on the admin port; a stop drains the request in flight.</li>
 * </ul>
 */
class GatewayHttpIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.controlled(ConfigOverride.config("kafka.ackTimeout", "300ms"),
                ConfigOverride.config("ingest.maxEvents", "5"), ConfigOverride.config("ingest.maxInFlightEvents", "6"),
                ConfigOverride.config("ingest.maxBodySize", "8KiB"), ConfigOverride.config("ingest.maxEventSize", "1KiB"),
                ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "1s"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @AfterEach
    void ackAgain() {
        gw.sink.mode = TestGateway.Mode.ACK;
        gw.sink.release();
    }

    static String event(String id, String player) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"login\",\"player_id\":\"" + player
                + "\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"game\":\"tank-wars\",\"payload\":{\"platform\":\"pc\"}}";
    }

    private static JsonNode body(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String uid(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID();
    }

    @Test
    void aSingleEventIs202OnceAcknowledged() throws Exception {
        String id = uid("single");
        HttpResponse<String> r = gw.post("application/json", TestGateway.KEY, event(id, "bob"));
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode b = body(r);
        assertThat(b.get("accepted").asInt()).isEqualTo(1);
        assertThat(b.get("results").get(0).get("event_id").asText()).isEqualTo(id);
        assertThat(b.get("results").get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(b.get("results").get(0).has("offset")).isTrue();
    }

    @Test
    void aBatchAsArrayOrNdjsonIs202WithOneResultPerEvent() throws Exception {
        HttpResponse<String> array = gw.post("application/json", TestGateway.KEY, "[" + event(uid("a"), "p1") + ","
                + event(uid("a"), "p2") + "]");
        assertThat(array.statusCode()).isEqualTo(202);
        assertThat(body(array).get("results")).hasSize(2);
        HttpResponse<String> nd = gw.post("application/x-ndjson", TestGateway.KEY, event(uid("n"), "p1") + "\n"
                + event(uid("n"), "p2") + "\n" + event(uid("n"), "p3") + "\n");
        assertThat(nd.statusCode()).isEqualTo(202);
        assertThat(body(nd).get("accepted").asInt()).isEqualTo(3);
    }

    @Test
    void resultsFailedListsOnlyTheEventsNotAcceptedWithTheirIndex() throws Exception {
        String body = event(uid("f"), "p1") + "\nnot json\n" + event(uid("f"), "p2") + "\n";
        HttpResponse<String> r = gw.http("/v1/events?results=failed", "application/x-ndjson", body);
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode b = body(r);
        assertThat(b.get("accepted").asInt()).isEqualTo(2);
        assertThat(b.get("results")).hasSize(1);
        assertThat(b.get("results").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(b.get("results").get(0).get("reason").asText()).isEqualTo("not_json");
    }

    @Test
    void everyRejectedItemIs400WithItsTypedReason() throws Exception {
        HttpResponse<String> r = gw.post("application/json", TestGateway.KEY, "[1, {\"game\":\"tank-wars\"},"
                + "{\"player_id\":7,\"game\":\"tank-wars\"}, {\"player_id\":\"a\",\"game\":\"space-race\"}]");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(body(r).get("results").findValuesAsText("reason")).containsExactly("not_an_object", "missing_player_id",
                "player_id_not_string", "wrong_game");
        assertThat(body(r).get("rejected").asInt()).isEqualTo(4);
    }

    @Test
    void aBatchWithSomeValidEventsIs202AndListsTheRejectedOnes() throws Exception {
        HttpResponse<String> r = gw.post("application/x-ndjson", TestGateway.KEY, event(uid("m"), "p1") + "\nnot json\n");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(body(r).get("results").get(1).get("reason").asText()).isEqualTo("not_json");
    }

    @Test
    void notJsonAndAnEmptyBodyAre400() throws Exception {
        HttpResponse<String> notJson = gw.post("application/json", TestGateway.KEY, "[{\"player_id\": ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(body(notJson).get("error").asText()).isEqualTo("not_json");
        HttpResponse<String> empty = gw.post("application/json", TestGateway.KEY, "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(body(empty).get("error").asText()).isEqualTo("empty_body");
    }

    @Test
    void aMissingOrUnknownKeyIs401() throws Exception {
        HttpResponse<String> missing = gw.post("application/json", null, event(uid("k"), "bob-unauthorised"));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(body(missing).get("error").asText()).isEqualTo("missing_api_key");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).isPresent();
        HttpResponse<String> unknown = gw.post("application/json", "not-the-key-of-any-game",
                event(uid("k"), "bob-unauthorised"));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(body(unknown).get("error").asText()).isEqualTo("unknown_api_key");
        assertThat(gw.sink.keys).doesNotContain("bob-unauthorised");
    }

    @Test
    void aWrongContentTypeIs415() throws Exception {
        HttpResponse<String> r = gw.post("text/plain", TestGateway.KEY, event(uid("t"), "bob"));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(body(r).get("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(gw.post(null, TestGateway.KEY, event(uid("t"), "bob")).statusCode()).isEqualTo(415);
    }

    @Test
    void aHugeBodyATooLargeBatchAndATooLargeEventAre413() throws Exception {
        HttpResponse<String> huge = gw.post("application/json", TestGateway.KEY, "[" + "1,".repeat(5000) + "1]");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(body(huge).get("error").asText()).isEqualTo("body_too_large");
        StringBuilder six = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            six.append(event(uid("six"), "p")).append('\n');
        }
        HttpResponse<String> batch = gw.post("application/x-ndjson", TestGateway.KEY, six.toString());
        assertThat(batch.statusCode()).isEqualTo(413);
        assertThat(body(batch).get("error").asText()).isEqualTo("too_many_events");
        String big = event(uid("big"), "p").replace("\"pc\"", "\"" + "x".repeat(2000) + "\"");
        HttpResponse<String> one = gw.post("application/json", TestGateway.KEY, big);
        assertThat(one.statusCode()).isEqualTo(413);
        assertThat(body(one).get("results").get(0).get("reason").asText()).isEqualTo("event_too_large");
    }

    @Test
    void aBodyThatStallsIs408OrClosed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gw.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            String part = "[" + event(uid("slow"), "slow-sender");
            out.write(("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Api-Key: "
                    + TestGateway.KEY + "\r\nContent-Length: 2000\r\n\r\n" + part).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // ... and nothing more: the connector's idle timeout (1 s here) fails the read
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 408");
        }
        assertThat(gw.sink.keys).doesNotContain("slow-sender");
    }

    @Test
    void kafkaNotAcknowledgingInTimeIs503WithRetryAfterAndTheRetryIsNotSentTwice() throws Exception {
        gw.sink.mode = TestGateway.Mode.HOLD;
        String id = uid("slow-kafka");
        HttpResponse<String> r = gw.post("application/json", TestGateway.KEY, event(id, "carol"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
        assertThat(body(r).get("results").get(0).get("status").asText()).isEqualTo("retry");
        assertThat(body(r).get("results").get(0).get("reason").asText()).isEqualTo("kafka_timeout");
        int sent = gw.sink.keys.size();
        gw.sink.release();
        HttpResponse<String> retry = gw.post("application/json", TestGateway.KEY, event(id, "carol"));
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(body(retry).get("results").get(0).get("duplicate").asBoolean()).isTrue();
        assertThat(gw.sink.keys).hasSize(sent);
    }

    @Test
    void kafkaFailingIs503() throws Exception {
        gw.sink.mode = TestGateway.Mode.FAIL;
        HttpResponse<String> r = gw.post("application/json", TestGateway.KEY, event(uid("fail"), "dave"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(body(r).get("results").get(0).get("reason").asText()).isEqualTo("kafka_error");
    }

    @Test
    void aFullInFlightLimitIs429WithRetryAfterUntilKafkaAcknowledges() throws Exception {
        gw.sink.mode = TestGateway.Mode.HOLD;
        StringBuilder five = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            five.append(event(uid("full"), "p" + i)).append('\n');
        }
        assertThat(gw.post("application/x-ndjson", TestGateway.KEY, five.toString()).statusCode()).isEqualTo(503);
        assertThat(gw.sink.held()).isEqualTo(5);
        // the five sends still hold their permits: two more events do not fit in 6
        HttpResponse<String> full = gw.post("application/x-ndjson", TestGateway.KEY, event(uid("x"), "q") + "\n"
                + event(uid("x"), "q"));
        assertThat(full.statusCode()).isEqualTo(429);
        assertThat(full.headers().firstValue("Retry-After")).contains("1");
        assertThat(body(full).get("error").asText()).isEqualTo("overloaded");
        assertThat(gw.sink.held()).isEqualTo(5);
        gw.sink.mode = TestGateway.Mode.ACK;
        gw.sink.release();
        assertThat(gw.post("application/x-ndjson", TestGateway.KEY, event(uid("x"), "q") + "\n" + event(uid("x"), "q"))
                .statusCode()).isEqualTo(202);
    }

    @Test
    void theAdminPortHasTheMetricsAndTheKafkaHealthCheck() throws Exception {
        gw.post("application/json", TestGateway.KEY, event(uid("m"), "bob"));
        gw.post("application/json", TestGateway.KEY, "[{\"game\":\"tank-wars\"}]");
        JsonNode metrics = JSON.readTree(gw.get(gw.admin("/metrics")).body());
        assertThat(metrics.get("meters").get("gateway.events.accepted").get("count").asLong()).isPositive();
        assertThat(metrics.get("meters").get("gateway.events.rejected.missing_player_id").get("count").asLong()).isPositive();
        assertThat(metrics.get("meters").get("gateway.responses.202").get("count").asLong()).isPositive();
        assertThat(metrics.get("timers").get("gateway.kafka.ack").get("count").asLong()).isPositive();
        assertThat(metrics.get("gauges").has("gateway.events.in-flight")).isTrue();
        HttpResponse<String> health = gw.get(gw.admin("/healthcheck"));
        assertThat(JSON.readTree(health.body()).get("kafka").get("healthy").asBoolean()).isTrue();
    }

    @Test
    void aStopDrainsTheRequestInFlight() throws Exception {
        TestGateway own = TestGateway.controlled(ConfigOverride.config("kafka.ackTimeout", "30s"));
        own.sink.mode = TestGateway.Mode.HOLD;
        CompletableFuture<HttpResponse<String>> inFlight = own.postAsync("application/json", TestGateway.KEY,
                event(uid("drain"), "erin"));
        while (own.sink.held() == 0) {
            Thread.sleep(10);
        }
        int port = own.port();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(own::close);
        // once the connector is closed the stop is under way, and the request is still waiting for Kafka
        while (accepts(port)) {
            Thread.sleep(10);
        }
        assertThat(inFlight).isNotDone();
        own.sink.release();
        assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        stopping.get(30, TimeUnit.SECONDS);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
