package io.gamecrm.handlers;

/**
 * A campaign handler's {@code ctx.trigger(campaign, params)}: a request for an offer, which the
 * runtime then fires or suppresses.
 */
public record TriggerRequest(String campaign, String paramsJson, String handler, String file, String version,
                             CampaignMode mode) {
}
