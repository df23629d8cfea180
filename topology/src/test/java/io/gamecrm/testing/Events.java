package io.gamecrm.testing;

import io.gamecrm.crm.CrmEvent;
import java.time.Instant;
import java.util.UUID;

/** Builds events for tests, in the raw topic's JSON shape. */
public final class Events {
    private Events() {
    }

    public static String fightJson(String eventId, String player, String result, Instant at) {
        return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"fight\",\"player_id\":\"" + player
                + "\",\"timestamp\":\"" + at + "\",\"game\":\"tank-wars\",\"payload\":{\"result\":\"" + result
                + "\",\"opponent\":{\"kind\":\"npc\",\"id\":\"camp\"}}}";
    }

    public static String loginJson(String eventId, String player, Instant at) {
        return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"login\",\"player_id\":\"" + player
                + "\",\"timestamp\":\"" + at + "\",\"game\":\"tank-wars\",\"payload\":{\"platform\":\"android\"}}";
    }

    /** A deterministic event id for (player, sequence number). */
    public static String id(String player, int seq) {
        return UUID.nameUUIDFromBytes((player + "/" + seq).getBytes()).toString();
    }

    public static CrmEvent fight(String player, int seq, String result, int partition, long offset) {
        Instant at = Instant.parse("2026-11-26T10:00:00Z").plusSeconds(seq);
        String id = id(player, seq);
        return new CrmEvent(id, "fight", player, at, fightJson(id, player, result, at), partition, offset, 0);
    }

    public static CrmEvent login(String player, int seq, int partition, long offset) {
        Instant at = Instant.parse("2026-11-26T10:00:00Z").plusSeconds(seq);
        String id = id(player, seq);
        return new CrmEvent(id, "login", player, at, loginJson(id, player, at), partition, offset, 0);
    }

    /** An event of {@code type} with this payload (JSON), at 10:00 UTC + {@code seconds} on 2026-11-26. */
    public static CrmEvent of(String type, String player, int seq, long seconds, String payloadJson, int partition,
                              long offset) {
        Instant at = Instant.parse("2026-11-26T10:00:00Z").plusSeconds(seconds);
        String id = id(player, seq);
        String json = "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"player_id\":\"" + player
                + "\",\"timestamp\":\"" + at + "\",\"game\":\"tank-wars\",\"payload\":" + payloadJson + "}";
        return new CrmEvent(id, type, player, at, json, partition, offset, 0);
    }
}
