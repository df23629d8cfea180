package io.gamecrm.campaign;

import java.util.Locale;

/** How a campaign acts on its decisions. */
public enum CampaignMode {
    /** Triggers go to the crm-trigger topic. */
    LIVE,
    /** Evaluated on live traffic and audited, but nothing is emitted. */
    SHADOW,
    /** Not evaluated for emission; requests are audited as suppressed (kill switch). */
    PAUSED;

    public static CampaignMode parse(String mode) {
        return CampaignMode.valueOf(mode.toUpperCase(Locale.ROOT));
    }
}
