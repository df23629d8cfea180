package io.gamecrm.crm;

import java.time.Instant;

/**
 * A valid event as the CRM bolt sees it, with its position in the raw topic (partition, offset),
 * which identifies it for idempotence, and when it entered the topology (epoch ms).
 */
public record CrmEvent(String eventId, String eventType, String playerId, Instant eventTime, String json,
                       int partition, long offset, long ingestedAtMs) {
}
