package io.gamecrm.gateway.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client's retry rules, on a scripted transport and a sleeper that records instead of waiting:
 * only the events answered "retry" are sent again, byte for byte and in order; a request refused
 * whole (429/503) or a connection failure sends the whole batch again after Retry-After or the
 * exponential back-off; rejected events go to the listener and are never sent again; after the
 * last attempt events count as failed.
 */
class GatewayClientTest {
    private final List<List<String>> posted = new ArrayList<>();
    private final Deque<Object> script = new ArrayDeque<>();
    private final List<Duration> slept = new ArrayList<>();
    private final List<GatewayClient.Rejection> rejections = new ArrayList<>();

    private final Transport transport = events -> {
        posted.add(events.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
        Object next = script.poll();
        if (next instanceof IOException e) {
            throw e;
        }
        return (GatewayResponse) next;
    };

    private GatewayClient client(int attempts) {
        return new GatewayClient(transport, new GatewayClient.Settings(10, 10_000, Duration.ZERO, 100, attempts,
                Duration.ofMillis(100), Duration.ofSeconds(2)), rejections::add, slept::add);
    }

    private static GatewayResponse.Outcome o(int i, String status) {
        return new GatewayResponse.Outcome(i, "e" + i, status, status.equals("accepted") ? null : "kafka_timeout", null,
                false);
    }

    private static List<byte[]> events(String... names) {
        return java.util.Arrays.stream(names).map(n -> n.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void onlyTheEventsAnsweredRetryAreSentAgainInOrder() throws Exception {
        script.add(new GatewayResponse(503, 1, List.of(o(0, "accepted"), o(1, "retry"), o(2, "accepted"), o(3, "retry")),
                null, null, true));
        script.add(new GatewayResponse(202, 0, List.of(o(0, "accepted"), o(1, "accepted")), null, null, true));
        GatewayClient c = client(5);
        c.sendWithRetries(events("a", "b", "c", "d"));
        assertThat(posted).containsExactly(List.of("a", "b", "c", "d"), List.of("b", "d"));
        assertThat(c.accepted()).isEqualTo(4);
        assertThat(slept).hasSize(1);
        assertThat(slept.get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        c.close();
    }

    @Test
    void anAnswerListingOnlyTheFailedEventsMeansTheOthersWereAccepted() throws Exception {
        script.add(new GatewayResponse(503, 1, List.of(o(2, "retry"),
                new GatewayResponse.Outcome(0, null, "rejected", "not_json", "x", false)), null, null, true));
        script.add(GatewayResponse.perEvent(202, List.of()));
        GatewayClient c = client(5);
        c.sendWithRetries(events("bad", "b", "c", "d"));
        assertThat(posted).containsExactly(List.of("bad", "b", "c", "d"), List.of("c"));
        assertThat(c.accepted()).isEqualTo(3);
        assertThat(c.rejected()).isEqualTo(1);
        c.close();
    }

    @Test
    void theResponseBodyIsReadAsTheGatewayWritesIt() {
        GatewayResponse r = GatewayResponse.parse(503, 1, ("{\"accepted\":1,\"rejected\":0,\"retry\":1,\"results\":[{\"index\":1,"
                + "\"event_id\":\"e1\",\"status\":\"retry\",\"reason\":\"kafka_timeout\"}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(r.perEvent()).isTrue();
        assertThat(r.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.index()).isEqualTo(1);
            assertThat(o.retry()).isTrue();
        });
        GatewayResponse refused = GatewayResponse.parse(429, 1, "{\"error\":\"overloaded\",\"message\":\"full\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(refused.perEvent()).isFalse();
        assertThat(refused.retryWhole()).isTrue();
        assertThat(refused.error()).isEqualTo("overloaded");
    }

    @Test
    void aRequestRefusedWholeOrAConnectionFailureIsSentAgainWhole() throws Exception {
        script.add(new GatewayResponse(429, 2, List.of(), "overloaded", "full", false));
        script.add(new ConnectException("refused"));
        script.add(new GatewayResponse(202, 0, List.of(o(0, "accepted"), o(1, "accepted")), null, null, true));
        GatewayClient c = client(5);
        c.sendWithRetries(events("a", "b"));
        assertThat(posted).containsExactly(List.of("a", "b"), List.of("a", "b"), List.of("a", "b"));
        assertThat(slept.get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(slept.get(1)).isBetween(Duration.ofMillis(200), Duration.ofMillis(240));
        assertThat(c.accepted()).isEqualTo(2);
        assertThat(c.retries()).isEqualTo(4);
        c.close();
    }

    @Test
    void rejectedEventsGoToTheListenerAndAreNeverSentAgain() throws Exception {
        script.add(new GatewayResponse(202, 0, List.of(o(0, "accepted"),
                new GatewayResponse.Outcome(1, null, "rejected", "missing_player_id", "no player_id", false)), null, null, true));
        GatewayClient c = client(5);
        c.sendWithRetries(events("a", "{}"));
        assertThat(posted).hasSize(1);
        assertThat(rejections).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("missing_player_id");
            assertThat(new String(r.event(), StandardCharsets.UTF_8)).isEqualTo("{}");
        });
        c.close();
    }

    @Test
    void aRequestRefusedForGoodIsNotRetried() throws Exception {
        script.add(new GatewayResponse(401, 0, List.of(), "unknown_api_key", "unknown API key", false));
        GatewayClient c = client(5);
        c.sendWithRetries(events("a", "b"));
        assertThat(posted).hasSize(1);
        assertThat(c.rejected()).isEqualTo(2);
        assertThat(rejections).extracting(GatewayClient.Rejection::reason).containsOnly("unknown_api_key");
        c.close();
    }

    @Test
    void afterTheLastAttemptEventsCountAsFailed() throws Exception {
        for (int i = 0; i < 3; i++) {
            script.add(new GatewayResponse(503, 0, List.of(), "shutting_down", null, false));
        }
        GatewayClient c = client(3);
        c.sendWithRetries(events("a"));
        assertThat(posted).hasSize(3);
        assertThat(c.failed()).isEqualTo(1);
        assertThat(slept).hasSize(2);
        c.close();
    }

    @Test
    void theBackOffDoublesUpToItsCap() {
        GatewayClient c = client(3);
        assertThat(c.backoff(1, 0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(120));
        assertThat(c.backoff(2, 0)).isBetween(Duration.ofMillis(200), Duration.ofMillis(240));
        assertThat(c.backoff(10, 0)).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2400));
        assertThat(c.backoff(1, 3)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        c.close();
    }

    @Test
    void submittedEventsAreBatchedAndFlushed() throws Exception {
        for (int i = 0; i < 10; i++) {
            List<GatewayResponse.Outcome> all = new ArrayList<>();
            for (int j = 0; j < 10; j++) {
                all.add(o(j, "accepted"));
            }
            script.add(new GatewayResponse(202, 0, all, null, null, true));
        }
        Transport accepting = events -> {
            synchronized (posted) {
                posted.add(events.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
            }
            List<GatewayResponse.Outcome> out = new ArrayList<>();
            for (int j = 0; j < events.size(); j++) {
                out.add(o(j, "accepted"));
            }
            return new GatewayResponse(202, 0, out, null, null, true);
        };
        GatewayClient c = new GatewayClient(accepting, new GatewayClient.Settings(10, 10_000, Duration.ofMillis(5), 100, 3,
                Duration.ofMillis(1), Duration.ofMillis(1)), rejections::add, slept::add);
        for (int i = 0; i < 35; i++) {
            assertThat(c.submit(("e" + i).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1))).isTrue();
        }
        assertThat(c.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(c.accepted()).isEqualTo(35);
        synchronized (posted) {
            assertThat(posted).allSatisfy(b -> assertThat(b.size()).isLessThanOrEqualTo(10));
            assertThat(posted.stream().flatMap(List::stream).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 35).mapToObj(i -> "e" + i).toList());
        }
        c.close();
    }
}
