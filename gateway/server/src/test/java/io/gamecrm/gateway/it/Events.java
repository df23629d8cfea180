package io.gamecrm.gateway.it;

import java.nio.charset.StandardCharsets;

/** Event JSON for the ITs, each with a unique id and a per-player sequence number. */
final class Events {
    private Events() {
    }

    static String fight(String eventId, String player, int seq) {
        return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"fight\",\"player_id\":\"" + player
                + "\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"game\":\"tank-wars\",\"payload\":{\"result\":\"lost\","
                + "\"opponent\":{\"kind\":\"npc\",\"id\":\"camp\"},\"mode\":\"pvp\",\"seq\":" + seq + "}}";
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The value of a field of an event as the ITs write them (no escaping in these strings). */
    static String field(String json, String name) {
        String marker = "\"" + name + "\":";
        int at = json.indexOf(marker) + marker.length();
        if (json.charAt(at) == '"') {
            return json.substring(at + 1, json.indexOf('"', at + 1));
        }
        int end = at;
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-')) {
            end++;
        }
        return json.substring(at, end);
    }
}
