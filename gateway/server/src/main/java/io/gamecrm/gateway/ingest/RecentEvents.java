package io.gamecrm.gateway.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event ids this gateway sent lately, per game: what makes a client's retry idempotent. An
 * event whose id was acknowledged within the window is answered "accepted" again without being
 * sent twice; one whose first send is still waiting for Kafka waits for that send instead of
 * making a second record. Ids in flight are held until Kafka decides (bounded by {@link InFlight});
 * acknowledged ids are kept in a bounded Caffeine cache ({@code maxEvents}, {@code window}).
 */
public final class RecentEvents {
    private final Cache<String, EventSink.Written> written;
    private final ConcurrentHashMap<String, CompletableFuture<EventSink.Written>> pending = new ConcurrentHashMap<>();

    public RecentEvents(long maxEvents, Duration window) {
        if (maxEvents < 0 || window.isNegative()) {
            throw new IllegalArgumentException("the dedup size and window must not be negative");
        }
        this.written = Caffeine.newBuilder().maximumSize(maxEvents).expireAfterWrite(window).build();
    }

    /** What the caller should do with an event id. */
    public sealed interface Claim {
    }

    /** Acknowledged before: do not send. */
    public record Known(EventSink.Written where) implements Claim {
    }

    /** Being sent by another request: wait for that outcome. */
    public record InProgress(CompletableFuture<EventSink.Written> outcome) implements Claim {
    }

    /** Yours to send: report the send's outcome with {@link #track}. */
    public record Owned(String key, CompletableFuture<EventSink.Written> outcome) implements Claim {
    }

    public Claim claim(String game, String eventId) {
        String key = game + '\u0000' + eventId;
        EventSink.Written w = written.getIfPresent(key);
        if (w != null) {
            return new Known(w);
        }
        CompletableFuture<EventSink.Written> mine = new CompletableFuture<>();
        CompletableFuture<EventSink.Written> other = pending.putIfAbsent(key, mine);
        if (other != null) {
            return new InProgress(other);
        }
        // a send may have finished between the two looks: it puts into written before leaving pending
        w = written.getIfPresent(key);
        if (w != null) {
            pending.remove(key, mine);
            mine.complete(w);
            return new Known(w);
        }
        return new Owned(key, mine);
    }

    /** Records the outcome of an owned send: acknowledged ids are remembered, failed ones forgotten. */
    public void track(Owned owned, CompletableFuture<EventSink.Written> send) {
        send.whenComplete((w, e) -> {
            if (e == null) {
                written.put(owned.key(), w);
                pending.remove(owned.key(), owned.outcome());
                owned.outcome().complete(w);
            } else {
                pending.remove(owned.key(), owned.outcome());
                owned.outcome().completeExceptionally(e);
            }
        });
    }

    /** Ids whose send is waiting for Kafka. */
    public int pending() {
        return pending.size();
    }
}
