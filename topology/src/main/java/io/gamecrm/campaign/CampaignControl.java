package io.gamecrm.campaign;

import java.util.Map;

/**
 * Campaigns paused from outside their code: by the kill switch (control.json in the handlers
 * folder) or by their own budget (auto-pause, until someone resumes them). Immutable snapshot.
 *
 * @param paused   kill switch: campaign id to the reason given
 * @param budgeted auto-paused by budget: campaign id to the reason
 */
public record CampaignControl(Map<String, String> paused, Map<String, String> budgeted) {
    public static final CampaignControl NONE = new CampaignControl(Map.of(), Map.of());

    /** Why the campaign is paused, or null if it is not. */
    public String pauseReason(String campaign) {
        String r = paused.get(campaign);
        if (r != null) {
            return "kill switch: " + r;
        }
        r = budgeted.get(campaign);
        return r == null ? null : "budget: " + r;
    }
}
