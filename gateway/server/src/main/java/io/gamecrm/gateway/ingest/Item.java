package io.gamecrm.gateway.ingest;

/**
 * One event of a request as parsed: its bytes exactly as received, and either its player id (it
 * may go on) or the reason it was rejected.
 *
 * @param index    position in the request, from 0
 * @param bytes    the event's bytes as received (for a rejected item, possibly empty)
 * @param playerId the Kafka key, when valid
 * @param eventId  the event's {@code event_id} when it is a string (used to recognise a retry), else null
 * @param reason   null when the item may go on
 * @param detail   human-readable detail of the reason
 */
public record Item(int index, byte[] bytes, String playerId, String eventId, RejectReason reason, String detail) {
    public static Item valid(int index, byte[] bytes, String playerId, String eventId) {
        return new Item(index, bytes, playerId, eventId, null, null);
    }

    public static Item rejected(int index, byte[] bytes, String eventId, RejectReason reason, String detail) {
        return new Item(index, bytes, null, eventId, reason, detail);
    }

    public boolean valid() {
        return reason == null;
    }
}
