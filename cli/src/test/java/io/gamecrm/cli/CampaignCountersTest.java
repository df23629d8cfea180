package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spec of {@code crm query campaign}'s counters: the campaign.stats reports of every task are
 * summed (each counts since its previous report); other campaigns and other events are left out.
 */
class CampaignCountersTest {
    private static Map<String, Object> stats(String task, String decisions, String measured) {
        return Json.readObject("{\"type\":\"campaign.stats\",\"component\":\"crm\",\"task\":" + task
                + ",\"details\":{\"decisions\":" + decisions + (measured == null ? "" : ",\"measured\":" + measured)
                + ",\"since_ms\":0}}");
    }

    @Test
    void theReportsOfAllTasksAreSummedPerOutcomeAndGroup() {
        List<Map<String, Object>> events = List.of(
                stats("2", "{\"tanks\":{\"FIRED\":3,\"HOLDOUT\":1},\"other\":{\"FIRED\":9}}",
                        "{\"tanks\":{\"exposures.treated\":3,\"exposures.holdout\":1,\"conversions.treated\":1}}"),
                stats("3", "{\"tanks\":{\"FIRED\":2,\"CAPPED\":4}}",
                        "{\"tanks\":{\"exposures.treated\":2,\"conversions.holdout\":1},\"other\":{\"exposures.treated\":9}}"),
                stats("3", "{\"other\":{\"FIRED\":1}}", null),
                Json.readObject("{\"type\":\"campaign.control\",\"details\":{\"paused\":{\"tanks\":\"x\"}}}"));

        CampaignCounters c = CampaignCounters.sum(events, "tanks");

        assertThat(c.reports()).isEqualTo(2);
        assertThat(c.decisions()).isEqualTo(Map.of("FIRED", 5L, "HOLDOUT", 1L, "CAPPED", 4L));
        assertThat(c.exposures()).isEqualTo(Map.of("treated", 5L, "holdout", 1L));
        assertThat(c.conversions()).isEqualTo(Map.of("treated", 1L, "holdout", 1L));
        assertThat(c.lines("tanks")).anySatisfy(l -> assertThat(l).matches("treated +5 +1 +20\\.0%"))
                .anySatisfy(l -> assertThat(l).matches("holdout +1 +1 +100\\.0%"));
    }

    @Test
    void aCampaignNoReportMentionsSaysSo() {
        CampaignCounters c = CampaignCounters.sum(List.of(stats("2", "{\"other\":{\"FIRED\":1}}", null)), "tanks");

        assertThat(c.reports()).isZero();
        assertThat(c.lines("tanks")).singleElement().asString().startsWith("no campaign.stats report mentions tanks");
    }

    @Test
    void decisionsWithoutExposuresSayWhy() {
        CampaignCounters c = CampaignCounters.sum(List.of(stats("2", "{\"tanks\":{\"FIRED\":1}}", null)), "tanks");

        assertThat(c.lines("tanks")).contains("decisions: {FIRED=1}").anySatisfy(l -> assertThat(l).startsWith("exposures: none"));
    }
}
