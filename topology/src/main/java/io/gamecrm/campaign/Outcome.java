package io.gamecrm.campaign;

/** What became of an offer a campaign handler asked for (or could not ask for). */
public enum Outcome {
    /** Emitted to crm-trigger. */
    FIRED(false),
    /**
     * The player is in the campaign's control group ({@link Holdout}): the offer would have fired and
     * counts against the caps and the budget like a fired one, but is not emitted.
     */
    HOLDOUT(true),
    /**
     * The player is in the game's global holdout ({@code crm.holdout.global}, {@link Holdout}): gets
     * no offer of any campaign; counted against the caps and the budget like {@link #HOLDOUT}.
     */
    HOLDOUT_GLOBAL(true),
    /** The campaign runs in shadow mode: audited, not emitted. */
    SHADOW(true),
    /** The campaign is paused (its mode, the kill switch, or its budget). */
    PAUSED(true),
    /** The player already had perPlayerPerDay offers of this campaign today. */
    CAP_PER_DAY(true),
    /** The player's last offer of this campaign is more recent than its cooldown. */
    COOLDOWN(true),
    /** The campaign's budget for the current window is spent: it pauses itself. */
    BUDGET(true),
    /** The trigger the handler asked for breaks the trigger schema. */
    INVALID_TRIGGER(true),
    /** The campaign was already asked for on this event (a campaign fires at most once per event). */
    ONCE_PER_EVENT(true),
    /** The campaign handler failed on this event (threw, a budget, the watchdog, skipped). */
    HANDLER_ERROR(true),
    /** The campaign handler is disabled by its circuit breaker. */
    HANDLER_DISABLED(true);

    private final boolean suppressed;

    Outcome(boolean suppressed) {
        this.suppressed = suppressed;
    }

    public boolean suppressed() {
        return suppressed;
    }
}
