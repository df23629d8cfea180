package io.gamecrm.crm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.TreeSet;

/**
 * Keeps each player's events in raw-topic order when some of them fail. The Kafka spout replays a
 * failed offset later, on its own schedule (each failed offset has its own back-off), and does not
 * replay the later offsets that succeeded. So the gate remembers, per player, every offset that
 * failed and has not been applied since: an event is let through only if no earlier offset of its
 * player is still pending. Any later event is failed too (and becomes pending), so it comes back
 * after the earlier ones, and the player's events apply exactly as in a clean run.
 *
 * <p>A player's pending offsets are dropped after {@code ttl} without news, in case a replay never
 * comes (the partition moved to another consumer), so a player is never blocked forever.
 * Single-threaded (the executor thread). Bounded: at most {@code maxPlayers} players.
 */
public final class PlayerGate {
    private record Pending(int partition, TreeSet<Long> offsets) {
    }

    private final Cache<String, Pending> pending;

    public PlayerGate(Duration ttl, long maxPlayers) {
        this.pending = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxPlayers).executor(Runnable::run).build();
    }

    /**
     * Whether the event must wait: an earlier offset of its player failed and has not been applied
     * yet. The earliest pending offset itself (its replay) passes.
     */
    public boolean blocks(CrmEvent e) {
        Pending p = pending.getIfPresent(e.playerId());
        if (p == null || p.partition() != e.partition() || p.offsets().isEmpty()) {
            return false;
        }
        return e.offset() > p.offsets().first();
    }

    /** The event failed: it is pending, and the player's later events wait for its replay. */
    public void failed(CrmEvent e) {
        Pending p = pending.getIfPresent(e.playerId());
        if (p == null || p.partition() != e.partition()) {
            p = new Pending(e.partition(), new TreeSet<>());
        }
        p.offsets().add(e.offset());
        pending.put(e.playerId(), p);
    }

    /** The event is applied (or was already): it is no longer pending. */
    public void applied(CrmEvent e) {
        Pending p = pending.getIfPresent(e.playerId());
        if (p != null && p.partition() == e.partition() && p.offsets().remove(e.offset())) {
            if (p.offsets().isEmpty()) {
                pending.invalidate(e.playerId());
            }
        }
    }

    public long blockedPlayers() {
        return pending.estimatedSize();
    }
}
