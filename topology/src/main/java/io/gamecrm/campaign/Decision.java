package io.gamecrm.campaign;

/**
 * One line of the audit trail: what was decided about an offer for a player, and why. Answers "why
 * did, or didn't, Bob get the offer".
 *
 * @param campaign  the campaign, or null when a campaign handler failed before asking for one
 * @param triggerId the (deterministic) id of the trigger that fired or would have fired; null if none
 * @param reason    in words, for suppressions
 * @param params    the params the handler asked for (JSON), or null
 */
public record Decision(String playerId, String campaign, String handler, String handlerVersion, Outcome outcome,
                       String reason, String triggerId, String causeEventId, String causeEventType, long eventTimeMs,
                       String params) {
}
