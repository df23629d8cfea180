package io.gamecrm.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.gamecrm.gateway.GatewayNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What the gateway answers for parsed events, on a sink whose acknowledgements the test controls:
 * <ul>
 *   <li>202 only once every valid event is acknowledged; events go out in request order, keyed by player;</li>
 *   <li>rejected items are never sent; all rejected is 400, a single too-large event 413;</li>
 *   <li>no acknowledgement within the timeout, or a failed send, is "retry" (503);</li>
 *   <li>the in-flight limit refuses a request whole (429) and frees only when Kafka decides;</li>
 *   <li>an event id acknowledged before, or still in flight, is not sent again.</li>
 * </ul>
 */
class IngestorTest {
    private static final String GAME = "tank-wars";
    private static final java.util.concurrent.ScheduledThreadPoolExecutor TIMEOUTS = timeouts();

    private static java.util.concurrent.ScheduledThreadPoolExecutor timeouts() {
        java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "test-ack-timeouts");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
    private final FakeSink sink = new FakeSink();
    private final InFlight inFlight = new InFlight(10);
    private final MetricRegistry registry = new MetricRegistry();
    private final RecentEvents recent = new RecentEvents(1000, Duration.ofMinutes(1));
    private final Ingestor ingestor = new Ingestor(sink, inFlight, recent, Duration.ofSeconds(30),
            new IngestMetrics(registry, inFlight), Runnable::run, TIMEOUTS);
    /** The same gateway with a 1 ms acknowledgement timeout. */
    private final Ingestor quick = new Ingestor(sink, inFlight, recent, Duration.ofMillis(1),
            new IngestMetrics(new MetricRegistry(), inFlight), Runnable::run, TIMEOUTS);

    private static Item valid(int index, String player, String eventId) {
        return Item.valid(index, ("{\"player_id\":\"" + player + "\"}").getBytes(StandardCharsets.UTF_8), player, eventId);
    }

    private static List<Item> batch(int n) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(valid(i, "p" + (i % 3), "e" + i));
        }
        return items;
    }

    @Test
    void answers202OnlyOnceEveryEventIsAcknowledged() {
        CompletableFuture<IngestResult> result = ingestor.ingest(GAME, batch(3));
        assertThat(result).isNotDone();
        sink.sent.get(0).ack().complete(new EventSink.Written(1, 7));
        sink.sent.get(1).ack().complete(new EventSink.Written(0, 8));
        assertThat(result).isNotDone();
        sink.sent.get(2).ack().complete(new EventSink.Written(1, 9));
        IngestResult r = result.join();
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.accepted()).isEqualTo(3);
        assertThat(r.results().get(0)).isEqualTo(new ItemResult(0, "e0", ItemResult.ACCEPTED, null, null, 1, 7L, null));
        assertThat(registry.meter(GatewayNames.Metrics.EVENTS_ACCEPTED).getCount()).isEqualTo(3);
    }

    @Test
    void aRequestAnsweredInTimeLeavesNoTimeoutBehind() {
        java.util.concurrent.ScheduledThreadPoolExecutor own = timeouts();
        Ingestor i = new Ingestor(sink.autoAck(), inFlight, recent, Duration.ofSeconds(30),
                new IngestMetrics(new MetricRegistry(), inFlight), Runnable::run, own);
        for (int n = 0; n < 100; n++) {
            i.ingest(GAME, List.of(valid(0, "a", null))).join();
        }
        assertThat(own.getQueue()).isEmpty();
        own.shutdownNow();
    }

    @Test
    void sendsInRequestOrderKeyedByPlayer() {
        ingestor.ingest(GAME, batch(5));
        assertThat(sink.sent).extracting(FakeSink.Sent::key).containsExactly("p0", "p1", "p2", "p0", "p1");
    }

    @Test
    void rejectedItemsAreNeverSentAndAreListedWithTheirReason() {
        List<Item> items = List.of(valid(0, "a", "e0"),
                Item.rejected(1, new byte[0], "e1", RejectReason.WRONG_GAME, "claims space-race"));
        sink.autoAck();
        IngestResult r = ingestor.ingest(GAME, items).join();
        assertThat(sink.sent).hasSize(1);
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.results().get(1).status()).isEqualTo(ItemResult.REJECTED);
        assertThat(r.results().get(1).reason()).isEqualTo("wrong_game");
        assertThat(registry.meter(GatewayNames.Metrics.EVENTS_REJECTED + ".wrong_game").getCount()).isEqualTo(1);
    }

    @Test
    void allRejectedIs400AndASingleTooLargeEventIs413() {
        IngestResult all = ingestor.ingest(GAME, List.of(Item.rejected(0, new byte[0], null, RejectReason.NOT_JSON, "x"),
                Item.rejected(1, new byte[0], null, RejectReason.EVENT_TOO_LARGE, "x"))).join();
        assertThat(all.status()).isEqualTo(400);
        IngestResult big = ingestor.ingest(GAME, List.of(Item.rejected(0, new byte[0], null, RejectReason.EVENT_TOO_LARGE,
                "x"))).join();
        assertThat(big.status()).isEqualTo(413);
        assertThat(sink.sent).isEmpty();
    }

    @Test
    void noAcknowledgementWithinTheTimeoutIsRetry503() {
        IngestResult r = quick.ingest(GAME, batch(2)).join();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.results()).extracting(ItemResult::reason).containsOnly(ItemResult.KAFKA_TIMEOUT);
    }

    @Test
    void aFailedSendIsRetry503() {
        CompletableFuture<IngestResult> result = ingestor.ingest(GAME, batch(2));
        sink.sent.get(0).ack().complete(new EventSink.Written(0, 1));
        sink.sent.get(1).ack().completeExceptionally(new IllegalStateException("broker gone"));
        IngestResult r = result.join();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.results()).extracting(ItemResult::status).containsExactly(ItemResult.ACCEPTED, ItemResult.RETRY);
        assertThat(r.results().get(1).detail()).contains("broker gone");
    }

    @Test
    void theInFlightLimitRefusesARequestWholeUntilKafkaDecides() {
        ingestor.ingest(GAME, batch(8));
        assertThat(inFlight.inFlight()).isEqualTo(8);
        assertThatThrownBy(() -> ingestor.ingest(GAME, batch(3)))
                .isInstanceOfSatisfying(RequestRefused.class, e -> assertThat(e.error()).isEqualTo(RequestError.OVERLOADED));
        assertThat(sink.sent).hasSize(8);
        sink.ackAll();
        assertThat(inFlight.inFlight()).isZero();
        List<Item> next = List.of(valid(0, "x", "n0"), valid(1, "x", "n1"), valid(2, "x", "n2"));
        assertThat(ingestor.ingest(GAME, next)).isNotNull();
        assertThat(sink.sent).hasSize(11);
    }

    @Test
    void aTimedOutSendKeepsItsPermitUntilKafkaDecides() {
        assertThat(quick.ingest(GAME, batch(4)).join().status()).isEqualTo(503);
        assertThat(inFlight.inFlight()).isEqualTo(4);
        sink.failAll(new IllegalStateException("expired"));
        assertThat(inFlight.inFlight()).isZero();
    }

    @Test
    void anEventIdAcknowledgedBeforeIsAcceptedAgainWithoutASecondSend() {
        sink.autoAck();
        IngestResult first = ingestor.ingest(GAME, List.of(valid(0, "a", "e-1"))).join();
        IngestResult again = ingestor.ingest(GAME, List.of(valid(0, "a", "e-1"), valid(1, "a", "e-2"))).join();
        assertThat(sink.sent).hasSize(2);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.results().get(0).duplicate()).isTrue();
        assertThat(again.results().get(0).offset()).isEqualTo(first.results().get(0).offset());
        assertThat(inFlight.inFlight()).isZero();
    }

    @Test
    void aRetryOfAnEventStillInFlightWaitsForTheFirstSendInsteadOfSendingAgain() {
        assertThat(quick.ingest(GAME, List.of(valid(0, "a", "e-1"))).join().status()).isEqualTo(503);
        CompletableFuture<IngestResult> retry = ingestor.ingest(GAME, List.of(valid(0, "a", "e-1")));
        assertThat(sink.sent).hasSize(1);
        sink.ackAll();
        IngestResult r = retry.join();
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.results().get(0).duplicate()).isTrue();
    }

    @Test
    void aFailedEventIdIsForgottenSoARetrySendsItAgain() {
        CompletableFuture<IngestResult> first = ingestor.ingest(GAME, List.of(valid(0, "a", "e-1")));
        sink.failAll(new IllegalStateException("no"));
        assertThat(first.join().status()).isEqualTo(503);
        sink.autoAck();
        assertThat(ingestor.ingest(GAME, List.of(valid(0, "a", "e-1"))).join().status()).isEqualTo(202);
        assertThat(sink.sent).hasSize(2);
    }

    @Test
    void theSameEventIdInAnotherGameIsAnotherEvent() {
        sink.autoAck();
        ingestor.ingest(GAME, List.of(valid(0, "a", "e-1"))).join();
        ingestor.ingest("space-race", List.of(valid(0, "a", "e-1"))).join();
        assertThat(sink.sent).hasSize(2);
    }

    @Test
    void eventsWithoutAnEventIdAreSentEachTime() {
        sink.autoAck();
        ingestor.ingest(GAME, List.of(valid(0, "a", null))).join();
        ingestor.ingest(GAME, List.of(valid(0, "a", null))).join();
        assertThat(sink.sent).hasSize(2);
    }

    @Test
    void aSinkThatThrowsIsRetryAndFreesItsPermit() {
        EventSink throwing = (k, v) -> {
            throw new IllegalStateException("closed");
        };
        Ingestor i = new Ingestor(throwing, inFlight, new RecentEvents(10, Duration.ofMinutes(1)), Duration.ofSeconds(1),
                new IngestMetrics(new MetricRegistry(), inFlight), Runnable::run, TIMEOUTS);
        assertThat(i.ingest(GAME, batch(2)).join().status()).isEqualTo(503);
        assertThat(inFlight.inFlight()).isZero();
    }
}
