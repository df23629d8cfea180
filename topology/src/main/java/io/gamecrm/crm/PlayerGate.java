package io.gamecrm.crm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Keeps each player's events in raw-topic order when one of them fails. When the Kafka spout
 * replays a failed offset, the later offsets of the partition that already succeeded are not
 * replayed; so once an event of a player fails, every later event of that player (same partition,
 * higher offset) is failed too, until the failed event comes back. Then they all come back after
 * it, in order, and apply as in a clean run. An entry is dropped after {@code ttl} in case the
 * replay never comes (the partition moved to another consumer), so a player is never blocked forever.
 *
 * <p>Single-threaded (the executor thread). Bounded: at most {@code maxPlayers} blocked players.
 */
public final class PlayerGate {
    private final Cache<String, long[]> blocked;

    public PlayerGate(Duration ttl, long maxPlayers) {
        this.blocked = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxPlayers).build();
    }

    /**
     * Whether the event must wait for an earlier failed event of its player. The failed event
     * itself (its replay) opens the gate.
     */
    public boolean blocks(CrmEvent e) {
        long[] b = blocked.getIfPresent(e.playerId());
        if (b == null || b[0] != e.partition()) {
            return false;
        }
        if (e.offset() == b[1]) {
            blocked.invalidate(e.playerId());
            return false;
        }
        return e.offset() > b[1];
    }

    /** Records that this event failed: the player's later events wait for its replay. */
    public void block(CrmEvent e) {
        long[] b = blocked.getIfPresent(e.playerId());
        if (b == null || b[0] != e.partition() || e.offset() < b[1]) {
            blocked.put(e.playerId(), new long[] {e.partition(), e.offset()});
        }
    }

    public long blockedPlayers() {
        return blocked.estimatedSize();
    }
}
