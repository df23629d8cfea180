package io.gamecrm.campaign;

/**
 * A campaign declared by {@code crm.campaign({id, mode, caps, holdout, conversion})} in a handler file.
 *
 * @param holdout    the share of players held out as a control group, in [0, 0.5] ({@link Holdout})
 * @param conversion what counts as converting after an exposure; null when the campaign declares none
 */
public record CampaignDef(String id, CampaignMode mode, CampaignCaps caps, double holdout, ConversionRule conversion,
                          String file, String version) {
    public CampaignDef {
        if (!(holdout >= 0 && holdout <= 0.5)) {
            throw new IllegalArgumentException("holdout must be between 0 and 0.5, got " + holdout);
        }
    }

    /** Without a conversion rule. */
    public CampaignDef(String id, CampaignMode mode, CampaignCaps caps, double holdout, String file, String version) {
        this(id, mode, caps, holdout, null, file, version);
    }
}
