package io.gamecrm.campaign;

import java.util.Locale;

/**
 * A player exposed to a campaign: an offer that fired (treated) or would have fired but the
 * player is held out (the campaign's control group, or the game's global holdout). The unit the
 * uplift is measured on: exposed players per group, and how many of each converted.
 *
 * @param triggerId   the trigger id the offer had (treated) or would have had (held out)
 * @param eventTimeMs the event time of the event that caused the offer
 */
public record Exposure(String campaign, String playerId, Group group, String triggerId, String causeEventId,
                       long eventTimeMs) {

    /** Which group an exposed player is in. */
    public enum Group {
        /** Got the offer. */
        TREATED,
        /** In the campaign's control group ({@code holdout}). */
        HOLDOUT,
        /** In the game's global holdout ({@code crm.holdout.global}). */
        HOLDOUT_GLOBAL;

        /** The group of a decision's outcome, or null when the outcome exposes nobody. */
        public static Group of(Outcome outcome) {
            return switch (outcome) {
                case FIRED -> TREATED;
                case HOLDOUT -> HOLDOUT;
                case HOLDOUT_GLOBAL -> HOLDOUT_GLOBAL;
                default -> null;
            };
        }

        /** The name in metrics and records: treated, holdout, holdout_global. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
