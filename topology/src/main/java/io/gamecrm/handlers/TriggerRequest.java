package io.gamecrm.handlers;

import io.gamecrm.campaign.CampaignMode;

/**
 * A campaign handler's {@code ctx.trigger(campaign, params)}: a request for an offer, which the
 * runtime then fires or suppresses. {@code duplicate}: the campaign was already asked for on this
 * event (a campaign fires at most once per event).
 */
public record TriggerRequest(String campaign, String paramsJson, String handler, String file, String version,
                             CampaignMode mode, boolean duplicate) {
    public TriggerRequest(String campaign, String paramsJson, String handler, String file, String version,
                          CampaignMode mode) {
        this(campaign, paramsJson, handler, file, version, mode, false);
    }
}
