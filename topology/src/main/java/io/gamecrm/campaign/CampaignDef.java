package io.gamecrm.campaign;

/**
 * A campaign declared by {@code crm.campaign({id, mode, caps, holdout})} in a handler file.
 *
 * @param holdout the share of players held out as a control group, in [0, 0.5] ({@link Holdout})
 */
public record CampaignDef(String id, CampaignMode mode, CampaignCaps caps, double holdout, String file,
                          String version) {
    public CampaignDef {
        if (!(holdout >= 0 && holdout <= 0.5)) {
            throw new IllegalArgumentException("holdout must be between 0 and 0.5, got " + holdout);
        }
    }
}
