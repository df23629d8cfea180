package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The CRM task's settings: the defaults are the write-behind's; the write-behind's shortest
 * back-off is 200 ms unless the longest is shorter; a missing trigger topic means none; the
 * committer's capacity and the shutdown's time follow from the batch and the store timeout; bad
 * values are refused where the write-behind is made.
 */
class CrmSettingsTest {

    @Test
    void defaultsAreTheWriteBehindDefaults() {
        assertThat(CrmSettings.DEFAULTS.batch()).isEqualTo(BatchProcessor.Settings.DEFAULTS);
        assertThat(CrmSettings.DEFAULTS.analyticsMetrics()).isEqualTo("lost_streak");
        assertThat(CrmSettings.DEFAULTS.analyticsCap()).isEqualTo(20);
        assertThat(CrmSettings.DEFAULTS.readsTriggerTopic()).isFalse();
    }

    @Test
    void theShortestBackOffIs200MsUnlessTheLongestIsShorter() {
        assertThat(withBackoffMax(1000).batch().backoffMinMillis()).isEqualTo(200);
        assertThat(withBackoffMax(50).batch().backoffMinMillis()).isEqualTo(50);
        assertThat(withBackoffMax(50).batch().backoffMaxMillis()).isEqualTo(50);
    }

    @Test
    void aMissingTriggerTopicMeansNoneIsRead() {
        assertThat(withTriggerTopic(null).triggerTopic()).isEmpty();
        assertThat(withTriggerTopic(" ").readsTriggerTopic()).isFalse();
        assertThat(withTriggerTopic("crm-triggers").readsTriggerTopic()).isTrue();
    }

    @Test
    void theCommitterAndTheShutdownFollowFromTheBatchAndTheStoreTimeout() {
        CrmSettings s = new CrmSettings(50, 700, 900, 10, "wins", 5, "t");

        assertThat(s.batch()).isEqualTo(new BatchProcessor.Settings(50, 700, 200, 900, 10));
        assertThat(s.commitCapacity()).isEqualTo(200);
        assertThat(s.closeTimeoutMs()).isEqualTo(2 * 700 + 5000);
    }

    @Test
    void badValuesAreRefusedWhenTheWriteBehindIsMade() {
        CrmSettings s = new CrmSettings(0, 700, 900, 10, "wins", 5, "t");

        assertThatThrownBy(s::batch).isInstanceOf(IllegalArgumentException.class);
    }

    private static CrmSettings withBackoffMax(long ms) {
        return new CrmSettings(500, 5000, ms, 100_000, "lost_streak", 20, "");
    }

    private static CrmSettings withTriggerTopic(String topic) {
        return new CrmSettings(500, 5000, 5000, 100_000, "lost_streak", 20, topic);
    }
}
