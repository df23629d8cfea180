package io.gamecrm.profile;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic time-based (version 1) UUIDs for player_events: the time is the event's timestamp,
 * the remaining bits come from the event's own id. The same event always maps to the same
 * timeuuid, so a replay overwrites its row instead of adding one, and rows sort by event time.
 */
public final class TimeUuids {
    /** 100-ns intervals between 1582-10-15 (UUID epoch) and 1970-01-01. */
    private static final long UUID_EPOCH_OFFSET = 0x01B21DD213814000L;

    private TimeUuids() {
    }

    public static UUID of(long epochMillis, String key) {
        long h = fnv1a64(key);
        // ticks of 100 ns: the millisecond, plus a sub-millisecond spread from the key (0..9999)
        long ticks = epochMillis * 10_000L + UUID_EPOCH_OFFSET + Math.floorMod(h, 10_000L);
        long timeLow = ticks & 0xFFFFFFFFL;
        long timeMid = (ticks >>> 32) & 0xFFFFL;
        long timeHi = (ticks >>> 48) & 0x0FFFL;
        long msb = (timeLow << 32) | (timeMid << 16) | 0x1000L | timeHi;
        long lsb = (h & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    private static long fnv1a64(String s) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
