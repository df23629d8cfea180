package io.gamecrm.campaign;

/** A campaign declared by {@code crm.campaign({id, mode, caps})} in a handler file. */
public record CampaignDef(String id, CampaignMode mode, CampaignCaps caps, String file, String version) {
}
