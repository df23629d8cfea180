package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamecrm.campaign.CampaignCaps;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignCapsTest {
    @Test
    void readsEveryCap() {
        CampaignCaps caps = CampaignCaps.parse("{\"perPlayerPerDay\":2,\"cooldown\":\"6h\",\"budget\":{\"max\":600,\"per\":\"1m\"}}");

        assertThat(caps).isEqualTo(new CampaignCaps(2, Duration.ofHours(6), 600, Duration.ofMinutes(1)));
    }

    @Test
    void noCapsMeansNone() {
        assertThat(CampaignCaps.parse("{}")).isEqualTo(CampaignCaps.NONE);
    }

    @Test
    void aTypoIsAnErrorNotAMissingGuardrail() {
        assertThatThrownBy(() -> CampaignCaps.parse("{\"perPlayerPerDy\":1}")).hasMessageContaining("unknown cap 'perPlayerPerDy'");
        assertThatThrownBy(() -> CampaignCaps.parse("{\"budget\":{\"max\":5,\"every\":\"1m\"}}")).hasMessageContaining("unknown budget key");
    }

    @Test
    void badValuesAreErrors() {
        assertThatThrownBy(() -> CampaignCaps.parse("{\"perPlayerPerDay\":0}")).hasMessageContaining("positive integer");
        assertThatThrownBy(() -> CampaignCaps.parse("{\"cooldown\":\"soon\"}")).hasMessageContaining("duration like");
        assertThatThrownBy(() -> CampaignCaps.parse("{\"budget\":600}")).hasMessageContaining("budget must be an object");
    }

    @Test
    void aFileDeclaringBadCapsIsRejectedAtLoad() {
        HandlerSet.Compilation c = HandlerSet.compile(List.of(HandlerFile.of("c.js",
                "crm.campaign({id: 'c', caps: {perPlayerPerDay: -1}});")));

        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p.reason()).contains("campaign 'c'"));
    }

    @Test
    void anUnknownModeIsRejectedAtLoad() {
        HandlerSet.Compilation c = HandlerSet.compile(List.of(HandlerFile.of("c.js",
                "crm.campaign({id: 'c', mode: 'yolo'});")));

        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p.reason()).contains("'mode' must be"));
    }
}
