package io.gamecrm.validation;

import java.time.Instant;

/**
 * An event that passed the envelope and payload schemas.
 *
 * @param json the event exactly as received (UTF-8 text); handlers parse it into a plain JS object
 */
public record ValidEvent(String eventId, String eventType, String playerId, String game, Instant timestamp,
                         String json) {
}
