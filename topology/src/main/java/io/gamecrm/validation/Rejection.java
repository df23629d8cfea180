package io.gamecrm.validation;

import java.util.List;

/**
 * The typed outcome of a refused record.
 *
 * @param schema     the schema that refused it ("envelope" or an event type), null when no schema ran
 * @param pointer    JSON pointer into the event of the first violation, null when no schema ran
 * @param schemaPath where the first violated rule lives in its schema
 * @param eventId    the event id when it could be read, else null (same for eventType, playerId)
 */
public record Rejection(InvalidReason reason, String message, String schema, String pointer, String schemaPath,
                        List<Violation> violations, String eventId, String eventType, String playerId) {

    public static Rejection of(InvalidReason reason, String message) {
        return new Rejection(reason, message, null, null, null, List.of(), null, null, null);
    }
}
