package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.Outcome;
import io.gamecrm.handlers.HandlerReport;
import io.gamecrm.handlers.ProfileHealth;
import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a CRM task counts of its inputs: a new event's triggers are all emitted; a replay's only
 * those never sent, counted as resent; an acked input's decisions are passed on, its repair
 * reported, a replay counted as duplicate, its latency since ingestion timed; a batch counts its
 * acked and failed inputs; refusals are counted by reason; the totals make the stop report.
 */
class BatchOutcomesTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<HandlerReport> reports = new ArrayList<>();
    private final Triggers.Trigger sent = new Triggers.Trigger("t1", "tanks", "bob", "{\"trigger_id\":\"t1\"}");
    private final Triggers.Trigger lost = new Triggers.Trigger("t2", "tanks", "bob", "{\"trigger_id\":\"t2\"}");
    private final BatchOutcomes outcomes = new BatchOutcomes(registry::counter, registry::timer, registry::histogram,
            triggers -> triggers.stream().filter(t -> t != sent).toList(), decisions::add, reports::add);

    @Test
    void allTriggersOfANewEventAreEmitted() {
        assertThat(outcomes.triggersToEmit(acked(false, List.of(sent, lost), List.of(), null))).containsExactly(sent, lost);
        assertThat(registry.counter("crm.triggers.resent").getCount()).isZero();
    }

    @Test
    void aReplayEmitsOnlyTheTriggersNeverSentAndCountsThemAsResent() {
        assertThat(outcomes.triggersToEmit(acked(true, List.of(sent, lost), List.of(), null))).containsExactly(lost);
        assertThat(registry.counter("crm.triggers.resent").getCount()).isEqualTo(1);
    }

    @Test
    void anAckedInputPassesItsDecisionsOnAndTimesItsLatencySinceIngestion() {
        Decision d = new Decision("bob", "tanks", "three-losses", "v1", Outcome.FIRED, null, null, "e1", "fight", 0L, "{}");

        outcomes.acked(acked(false, List.of(), List.of(d), null), 250);

        assertThat(decisions).containsExactly(d);
        assertThat(registry.timer("crm.events.latency").getSnapshot().getMax())
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(registry.counter("crm.events.duplicate").getCount()).isZero();
        assertThat(reports).isEmpty();
    }

    @Test
    void anAckedReplayIsCountedAsDuplicate() {
        outcomes.acked(acked(true, List.of(), List.of(), null), 250);

        assertThat(registry.counter("crm.events.duplicate").getCount()).isEqualTo(1);
    }

    @Test
    void anAckedInputPassesItsExposuresAndConversionsOn() {
        List<Object> measured = new ArrayList<>();
        BatchOutcomes counting = new BatchOutcomes(registry::counter, registry::timer, registry::histogram,
                triggers -> triggers, decisions::add, new BatchOutcomes.Measurements(measured::add, measured::add),
                reports::add);
        Exposure exposure = new Exposure("tanks", "bob", Exposure.Group.HOLDOUT, "t1", "e0", 0);
        Conversion conversion = new Conversion(exposure, "e1", "purchase", 10, 4.99, Conversion.Attribution.WINDOW);
        CrmEvent e = Events.login("bob", 1, 0, 0);

        counting.acked(new BatchProcessor.Acked<>("input", e, new CrmCore.Result(false, List.of(), List.of(), List.of(),
                Map.of(), List.of(), List.of(), null, List.of(), List.of(exposure), List.of(conversion))), 250);

        assertThat(measured).containsExactly(exposure, conversion);
    }

    @Test
    void aRepairedProfileIsCountedAndReported() {
        ProfileHealth.Repair repair = new ProfileHealth.Repair("{}", List.of("junk"), "too large");

        outcomes.acked(acked(false, List.of(), List.of(), repair), 250);

        assertThat(registry.counter("crm.profiles.repaired").getCount()).isEqualTo(1);
        assertThat(reports).containsExactly(HandlerReport.profileRepaired("bob", repair));
    }

    @Test
    void aBatchCountsItsAckedAndFailedInputs() {
        BatchProcessor.Acked<String> a = acked(false, List.of(), List.of(), null);

        outcomes.flushed(new BatchProcessor.Flushed<>(List.of(a, a), List.of("x"), 5_000));

        assertThat(registry.counter("crm.events.processed").getCount()).isEqualTo(2);
        assertThat(registry.counter("crm.events.failed").getCount()).isEqualTo(1);
        assertThat(registry.counter("crm.batches.flushed").getCount()).isEqualTo(1);
        assertThat(registry.histogram("crm.batches.size").getSnapshot().getMax()).isEqualTo(3);
        assertThat(registry.timer("crm.batches.latency").getSnapshot().getMax()).isEqualTo(5_000);
    }

    @Test
    void refusalsAreCountedByReasonAndAbandonedInputsAsFailed() {
        outcomes.refused(GroupCommit.Refusal.NOT_READY);
        outcomes.refused(GroupCommit.Refusal.BACKING_OFF);
        outcomes.refused(GroupCommit.Refusal.BACKING_OFF);
        outcomes.abandoned(4);

        assertThat(registry.counter("crm.events.not-ready").getCount()).isEqualTo(1);
        assertThat(registry.counter("crm.events.rejected").getCount()).isEqualTo(2);
        assertThat(registry.counter("crm.events.failed").getCount()).isEqualTo(4);
    }

    @Test
    void theTotalsMakeTheStopReport() {
        BatchProcessor.Acked<String> replay = acked(true, List.of(), List.of(), null);
        outcomes.acked(replay, 250);
        outcomes.flushed(new BatchProcessor.Flushed<>(List.of(replay), List.of("x"), 0));
        outcomes.refused(GroupCommit.Refusal.BACKING_OFF);

        assertThat(outcomes.stopped()).isEqualTo(new HandlerReport(HandlerReport.Level.INFO, "component.stopped",
                "CRM task stopped after 1 events acked (1 replays of applied events), 1 failed and 1 refused for replay",
                Map.of("acked", 1L, "duplicates", 1L, "failed", 1L, "refused", 1L)));
    }

    private static BatchProcessor.Acked<String> acked(boolean duplicate, List<Triggers.Trigger> triggers,
                                                      List<Decision> decisions, ProfileHealth.Repair repair) {
        CrmEvent e = Events.login("bob", 1, 0, 0);
        CrmEvent ingested = new CrmEvent(e.eventId(), e.eventType(), e.playerId(), e.eventTime(), e.json(),
                e.partition(), e.offset(), 100);
        return new BatchProcessor.Acked<>("input", ingested, new CrmCore.Result(duplicate, triggers, decisions,
                List.of(), Map.of(), List.of(), List.of(), repair, List.of()));
    }
}
