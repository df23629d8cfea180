package io.gamecrm.campaign;

/**
 * An exposure that converted: a later event of the player that the campaign's conversion rule
 * counts, within its window, or an {@code offer_accepted} naming the exposure's trigger id. At
 * most one per exposure.
 *
 * @param exposure    the exposure it converts
 * @param eventId     the converting event
 * @param eventTimeMs its event time
 * @param value       the rule's value read from the event's payload, or null
 * @param attribution how the event was tied to the exposure
 */
public record Conversion(Exposure exposure, String eventId, String eventType, long eventTimeMs, Double value,
                         Attribution attribution) {

    /** How a conversion was attributed to its exposure. */
    public enum Attribution {
        /** An {@code offer_accepted} event with the exposure's trigger id. */
        OFFER_ACCEPTED,
        /** An event of the rule's type whose payload names the exposure's trigger id ({@code offer_trigger_id}). */
        TRIGGER_ID,
        /** An event of the rule's type within the window: the latest open exposure of the campaign. */
        WINDOW
    }
}
