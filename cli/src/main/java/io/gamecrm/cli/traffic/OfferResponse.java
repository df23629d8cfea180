package io.gamecrm.cli.traffic;

import io.gamecrm.campaign.CampaignDef;
import java.time.Duration;

/**
 * How the players of the generated traffic answer the offer of the shipped story
 * (handlers-js/battle-tanks-offer.js: a third fight lost in a row, at most one offer per player and
 * UTC day of event time), so that the uplift the topology measures has a known true value.
 *
 * <p>A player whose offer would fire is exposed; {@link io.gamecrm.campaign.Holdout#group} (the
 * topology's own function) puts them in a group. Then, in event time, the player buys once within
 * {@code maxDelay} with probability {@code treatedRate} (treated) or {@code heldOutRate} (either
 * holdout), and makes no other purchase until the conversion window ends: the true conversion rates
 * within the window are exactly the two rates, and the true uplift their difference.
 *
 * <p>What the model does not know: a campaign paused by its budget (the demo's rate stays far below
 * the shipped 600 a minute) and players' events the generator did not make (Bob's story).
 *
 * @param campaign      the campaign's id
 * @param holdout       the campaign's holdout share, as declared
 * @param globalHoldout the topology's {@code crm.holdout.global}
 * @param perPlayerPerDay the campaign's daily cap per player (0: none), which held-out players count against too
 * @param within        the campaign's conversion window
 * @param treatedRate   chance that a player who got the offer buys within the window
 * @param heldOutRate   the same for a held-out player
 * @param maxDelay      the purchase comes uniformly within (0, maxDelay] of event time after the offer
 * @param reportOffers  whether the game also reports: an {@code offer_shown} a second after each offer,
 *                      and the offer's trigger id in the purchase that answers it ({@code offer_trigger_id})
 */
public record OfferResponse(String campaign, double holdout, double globalHoldout, int perPlayerPerDay, Duration within,
                            double treatedRate, double heldOutRate, Duration maxDelay, boolean reportOffers) {
    /** The demo's default response: 30% of treated players buy, 20% of held-out ones. */
    public static final double DEFAULT_TREATED_RATE = 0.30;
    public static final double DEFAULT_HELD_OUT_RATE = 0.20;
    /** Short enough that a demo of a few minutes sees the purchases. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(2);

    static final String PURCHASE = "purchase";

    public OfferResponse {
        if (campaign == null || campaign.isBlank()) {
            throw new IllegalArgumentException("the response needs a campaign id");
        }
        if (!(holdout >= 0 && holdout <= 0.5) || !(globalHoldout >= 0 && globalHoldout <= 0.5)) {
            throw new IllegalArgumentException("holdout shares must be within [0, 0.5], got " + holdout + " and "
                    + globalHoldout);
        }
        if (perPlayerPerDay < 0) {
            throw new IllegalArgumentException("perPlayerPerDay must be >= 0, got " + perPlayerPerDay);
        }
        if (!(treatedRate >= 0 && treatedRate <= 1) || !(heldOutRate >= 0 && heldOutRate <= 1)) {
            throw new IllegalArgumentException("response rates must be within [0, 1], got " + treatedRate + " and "
                    + heldOutRate);
        }
        if (within == null || maxDelay == null || maxDelay.isNegative() || maxDelay.isZero()
                || maxDelay.compareTo(within) > 0) {
            throw new IllegalArgumentException("the response delay must be positive and within the conversion window ("
                    + within + "), got " + maxDelay);
        }
    }

    /**
     * The response to a campaign as the topology loaded it, with the given rates and delay (capped at
     * the campaign's window), or null when the campaign declares no conversion or one that a purchase
     * does not make (the model answers with purchases).
     */
    public static OfferResponse to(CampaignDef campaign, double globalHoldout, double treatedRate, double heldOutRate,
                                   Duration maxDelay, boolean reportOffers) {
        if (campaign.conversion() == null || !PURCHASE.equals(campaign.conversion().on())) {
            return null;
        }
        Duration within = campaign.conversion().within();
        return new OfferResponse(campaign.id(), campaign.holdout(), globalHoldout, campaign.caps().perPlayerPerDay(), within, treatedRate, heldOutRate,
                maxDelay.compareTo(within) > 0 ? within : maxDelay, reportOffers);
    }

    /** The true uplift of the conversion rate (treated minus held out). */
    public double trueUplift() {
        return treatedRate - heldOutRate;
    }
}
