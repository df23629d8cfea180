package io.gamecrm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyStagesTest {
    // sent 10:00:00.000, appended to raw at .002, decided at .010500, trigger appended at .031
    private static final String TRIGGER = "{\"trigger_id\":\"t\",\"cause_event_time\":\"2026-12-01T10:00:00Z\","
            + "\"created_at\":\"2026-12-01T10:00:00.010500Z\",\"params\":{\"timestamp\":\"2000-01-01T00:00:00Z\"},"
            + "\"ingested_at_ms\":" + (ms("2026-12-01T10:00:00Z") + 2) + "}";

    private static long ms(String iso) {
        return java.time.Instant.parse(iso).toEpochMilli();
    }

    @Test
    void splitsATriggerAtItsCauseTheRawAppendTheDecisionAndTheTriggerAppend() {
        long sent = ms("2026-12-01T10:00:00Z");
        LatencyStages.Sample s = LatencyStages.split(TRIGGER, sent + 31, (sent + 35) * 1000 + 250);
        assertThat(s.sentMicros()).isEqualTo(sent * 1000);
        assertThat(s.totalMicros()).isEqualTo(35_250);
        assertThat(s.stageMicros()).containsExactly(
                java.util.Map.entry(LatencyStages.PRODUCE, 2_000L),
                java.util.Map.entry(LatencyStages.TO_DECISION, 8_500L),
                java.util.Map.entry(LatencyStages.TO_OUTPUT, 20_500L),
                java.util.Map.entry(LatencyStages.TO_CONSUMER, 4_250L));
        // the stages add up to the whole
        assertThat(s.stageMicros().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(s.totalMicros());
    }

    @Test
    void splitsAPassedThroughEventAtTheOutputAppend() {
        String event = "{\"event_id\":\"e\",\"timestamp\":\"2026-12-01T10:00:00.100Z\",\"payload\":{}}";
        long sent = ms("2026-12-01T10:00:00.100Z");
        LatencyStages.Sample s = LatencyStages.split(event, sent + 7, (sent + 9) * 1000);
        assertThat(s.stageMicros()).containsExactly(
                java.util.Map.entry(LatencyStages.THROUGH, 7_000L),
                java.util.Map.entry(LatencyStages.TO_CONSUMER, 2_000L));
    }

    @Test
    void ignoresAnOutputWithoutASendTime() {
        assertThat(LatencyStages.split("{\"something\":1}", 0, 0)).isNull();
    }

    @Test
    void percentilesPerStageCountRoundingBelowZeroAsZero() {
        LatencyStages stages = new LatencyStages();
        long sent = ms("2026-12-01T10:00:00Z");
        for (int i = 0; i < 100; i++) {
            // the append is stamped in whole ms: it may look earlier than the decision by a fraction
            stages.record(LatencyStages.split(TRIGGER, sent + 10, (sent + 12) * 1000));
        }
        List<LatencyStages.Stage> out = stages.stages();
        assertThat(out).extracting(LatencyStages.Stage::name).containsExactly(LatencyStages.PRODUCE,
                LatencyStages.TO_DECISION, LatencyStages.TO_OUTPUT, LatencyStages.TO_CONSUMER);
        assertThat(out.get(2).p50Ms()).isZero();
        assertThat(out.get(1).p99Ms()).isBetween(8.49, 8.51);
        assertThat(stages.count()).isEqualTo(100);
        assertThat(stages.totalMs(50)).isBetween(11.99, 12.01);
    }
}
