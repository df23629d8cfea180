package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.Outcome;
import io.gamecrm.handlers.HandlerReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Campaign decision stats: nothing before 5 s have passed; then the counts per campaign (or
 * handler) and outcome since the last report; counting starts over after a report; no report
 * without decisions.
 */
class DecisionStatsTest {
    private long now = 10_000;
    private final List<HandlerReport> reports = new ArrayList<>();
    private final DecisionStats stats = new DecisionStats(() -> now, reports::add);

    @Test
    void nothingIsReportedBeforeFiveSeconds() {
        stats.count(decision("tanks", Outcome.FIRED));
        now += 4_999;

        stats.publishIfDue();

        assertThat(reports).isEmpty();
    }

    @Test
    void reportsTheCountsPerCampaignAndOutcomeSinceTheLastReport() {
        stats.count(decision("tanks", Outcome.FIRED));
        stats.count(decision("tanks", Outcome.COOLDOWN));
        stats.count(decision("tanks", Outcome.FIRED));
        stats.count(decision(null, Outcome.FIRED));
        now += 6_000;

        stats.publishIfDue();

        Map<String, Map<String, Long>> counts = Map.of("(handler three-losses)", Map.of("FIRED", 1L),
                "tanks", Map.of("COOLDOWN", 1L, "FIRED", 2L));
        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.level()).isEqualTo(HandlerReport.Level.INFO);
            assertThat(r.type()).isEqualTo("campaign.stats");
            assertThat(r.message()).isEqualTo("campaign decisions in the last 6 s: {(handler three-losses)={FIRED=1},"
                    + " tanks={COOLDOWN=1, FIRED=2}}");
            assertThat(r.details()).isEqualTo(Map.of("decisions", counts, "since_ms", 10_000L));
        });
    }

    @Test
    void countingStartsOverAfterAReport() {
        stats.count(decision("tanks", Outcome.FIRED));
        now += 5_000;
        stats.publishIfDue();
        stats.count(decision("tanks", Outcome.COOLDOWN));
        now += 5_000;

        stats.publishIfDue();

        assertThat(reports).hasSize(2);
        assertThat(reports.get(1).details()).isEqualTo(Map.of("decisions", Map.of("tanks", Map.of("COOLDOWN", 1L)),
                "since_ms", 15_000L));
    }

    @Test
    void nothingIsReportedWithoutDecisions() {
        now += 60_000;

        stats.publishIfDue();

        assertThat(reports).isEmpty();
    }

    @Test
    void exposuresAndConversionsArePublishedPerCampaignAndGroupWhenThereAreAny() {
        Exposure held = new Exposure("tanks", "ann", Exposure.Group.HOLDOUT, "t2", "e2", 0);
        stats.count(decision("tanks", Outcome.FIRED));
        stats.exposure(new Exposure("tanks", "bob", Exposure.Group.TREATED, "t1", "e1", 0));
        stats.conversion(new Conversion(held, "e3", "purchase", 1, null, Conversion.Attribution.WINDOW));
        now += 5_000;

        stats.publishIfDue();

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.details()).containsEntry("measured",
                    Map.of("tanks", Map.of("exposures.treated", 1L, "conversions.holdout", 1L)));
            assertThat(r.message()).endsWith("exposures and conversions: {tanks={conversions.holdout=1,"
                    + " exposures.treated=1}}");
        });
    }

    @Test
    void aConversionAloneIsReportedToo() {
        stats.conversion(new Conversion(new Exposure("tanks", "ann", Exposure.Group.TREATED, "t2", "e2", 0), "e3",
                "purchase", 1, 2.0, Conversion.Attribution.WINDOW));
        now += 5_000;

        stats.publishIfDue();

        assertThat(reports).singleElement().satisfies(r -> assertThat(r.details())
                .containsEntry("decisions", Map.of()).containsKey("measured"));
    }

    private static Decision decision(String campaign, Outcome outcome) {
        return new Decision("bob", campaign, "three-losses", "v1", outcome, null, null, "e1", "fight", 0L, "{}");
    }
}
