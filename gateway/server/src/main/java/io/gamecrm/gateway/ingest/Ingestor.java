package io.gamecrm.gateway.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Puts the valid events of a parsed request on the raw topic, in request order, and answers once
 * every one of them is acknowledged or the acknowledgement timeout has passed.
 *
 * <ul>
 *   <li>A request takes an {@link InFlight} permit for each valid event first, or is refused whole
 *       with {@link RequestError#OVERLOADED} (429): nothing waits in a queue.</li>
 *   <li>An event with an {@code event_id} is sent only when {@link RecentEvents} has not seen it
 *       acknowledged or in flight: a client's retry never writes it twice.</li>
 *   <li>An event not acknowledged within {@code ackTimeout}, or whose send failed, is answered
 *       {@code retry} (503 for the request). Its send goes on; if Kafka acknowledges it later, the
 *       retry finds it in {@link RecentEvents} and is answered {@code accepted}, not sent again.</li>
 * </ul>
 */
public final class Ingestor {
    private final EventSink sink;
    private final InFlight inFlight;
    private final RecentEvents recent;
    private final long ackTimeoutNanos;
    private final IngestMetrics metrics;
    private final Executor responder;
    private final ScheduledExecutorService timeouts;

    /**
     * @param responder runs the completion of a request (off Kafka's I/O thread); its backlog is bounded
     *                  by the in-flight limit, since each pending request holds permits or a timeout
     * @param timeouts  runs the acknowledgement timeouts; a request answered in time cancels its own, so
     *                  use one that removes cancelled tasks (nothing of a request is then kept after it)
     */
    public Ingestor(EventSink sink, InFlight inFlight, RecentEvents recent, Duration ackTimeout, IngestMetrics metrics,
                    Executor responder, ScheduledExecutorService timeouts) {
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("the acknowledgement timeout must be positive, got " + ackTimeout);
        }
        this.sink = sink;
        this.inFlight = inFlight;
        this.recent = recent;
        this.ackTimeoutNanos = ackTimeout.toNanos();
        this.metrics = metrics;
        this.responder = responder;
        this.timeouts = timeouts;
    }

    /**
     * Sends the valid events of {@code items} (game {@code game}) and completes with one result per item.
     *
     * @throws RequestRefused {@link RequestError#OVERLOADED} when the in-flight limit leaves no room for them
     */
    public CompletableFuture<IngestResult> ingest(String game, List<Item> items) {
        int valid = (int) items.stream().filter(Item::valid).count();
        if (!inFlight.tryAcquire(valid)) {
            throw new RequestRefused(RequestError.OVERLOADED, "too many events wait for Kafka (" + inFlight.inFlight()
                    + " of " + inFlight.max() + "): nothing of this request was sent, send it again later");
        }
        List<CompletableFuture<ItemResult>> outcomes = new ArrayList<>(items.size());
        for (Item item : items) {
            outcomes.add(item.valid() ? place(game, item) : CompletableFuture.completedFuture(ItemResult.rejected(item)));
        }
        CompletableFuture<Void> answered = new CompletableFuture<>();
        ScheduledFuture<?> timeout = timeouts.schedule(() -> answered.complete(null), ackTimeoutNanos, TimeUnit.NANOSECONDS);
        CompletableFuture.allOf(outcomes.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> {
            timeout.cancel(false);
            answered.complete(null);
        });
        return answered.thenApplyAsync(ignored -> collect(items, outcomes), responder);
    }

    private CompletableFuture<ItemResult> place(String game, Item item) {
        if (item.eventId() == null) {
            return send(item).handle((w, e) -> outcome(item, w, e, false));
        }
        RecentEvents.Claim claim = recent.claim(game, item.eventId());
        if (claim instanceof RecentEvents.Known known) {
            inFlight.release(1);
            return CompletableFuture.completedFuture(ItemResult.accepted(item, known.where(), true));
        }
        if (claim instanceof RecentEvents.InProgress other) {
            inFlight.release(1);
            return other.outcome().handle((w, e) -> outcome(item, w, e, true));
        }
        RecentEvents.Owned owned = (RecentEvents.Owned) claim;
        CompletableFuture<EventSink.Written> send = send(item);
        recent.track(owned, send);
        return send.handle((w, e) -> outcome(item, w, e, false));
    }

    private CompletableFuture<EventSink.Written> send(Item item) {
        long start = System.nanoTime();
        CompletableFuture<EventSink.Written> f;
        try {
            f = sink.send(item.playerId(), item.bytes());
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.whenComplete((w, e) -> {
            inFlight.release(1);
            if (e == null) {
                metrics.kafkaAck(System.nanoTime() - start);
            }
        });
    }

    private static ItemResult outcome(Item item, EventSink.Written w, Throwable e, boolean duplicate) {
        if (e == null) {
            return ItemResult.accepted(item, w, duplicate);
        }
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return ItemResult.retry(item, ItemResult.KAFKA_ERROR, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    private IngestResult collect(List<Item> items, List<CompletableFuture<ItemResult>> outcomes) {
        List<ItemResult> results = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            CompletableFuture<ItemResult> f = outcomes.get(i);
            ItemResult r = f.isDone() ? f.join() : ItemResult.retry(items.get(i), ItemResult.KAFKA_TIMEOUT,
                    "Kafka did not acknowledge within " + TimeUnit.NANOSECONDS.toMillis(ackTimeoutNanos) + " ms");
            switch (r.status()) {
                case ItemResult.ACCEPTED -> metrics.accepted(Boolean.TRUE.equals(r.duplicate()));
                case ItemResult.REJECTED -> metrics.rejected(items.get(i).reason());
                default -> metrics.retry();
            }
            results.add(r);
        }
        return IngestResult.of(results);
    }
}
