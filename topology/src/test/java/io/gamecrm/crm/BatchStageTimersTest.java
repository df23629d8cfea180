package io.gamecrm.crm;

import static io.gamecrm.crm.BatchStepsFixtures.drive;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerFailure;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.InvocationPolicy;
import io.gamecrm.handlers.Invocation;
import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The CRM task's stage timers ({@link StageTimers}) from the processor's nanosecond clock, which
 * the test moves between the steps of a scripted batch: each input's wait for its batch, the
 * batch's state read, its apply (each handler invocation costs a fixed time) and its writes.
 */
class BatchStageTimersTest {
    private static final HandlerSet SHIPPED = HandlerSet.compile(HandlerDirectory.read(RepoPaths.handlers())).set();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private static final long INVOCATION_NANOS = 700;

    /** An in-memory store whose every call answers when the test says so. */
    static final class HeldStore implements ProfileStore {
        final InMemoryProfileStore data = new InMemoryProfileStore();
        private final List<Runnable> held = new ArrayList<>();

        private <V> Map<String, CompletableFuture<V>> held(Map<String, CompletableFuture<V>> answers) {
            Map<String, CompletableFuture<V>> out = new LinkedHashMap<>();
            answers.forEach((player, answer) -> {
                CompletableFuture<V> later = new CompletableFuture<>();
                held.add(() -> answer.whenComplete((v, e) -> later.complete(v)));
                out.put(player, later);
            });
            return out;
        }

        @Override
        public Map<String, CompletableFuture<PlayerState>> loadAll(Collection<String> playerIds) {
            return held(data.loadAll(playerIds));
        }

        @Override
        public Map<String, CompletableFuture<Void>> writeRows(Map<String, PlayerRows> rowsByPlayer) {
            return held(data.writeRows(rowsByPlayer));
        }

        @Override
        public CompletableFuture<Map<String, String>> loadTriggers(String playerId, Collection<String> triggerIds) {
            return data.loadTriggers(playerId, triggerIds);
        }

        @Override
        public Map<String, CompletableFuture<Void>> saveAll(Collection<PlayerState> states, Instant updatedAt) {
            return held(data.saveAll(states, updatedAt));
        }

        void answer() {
            held.forEach(Runnable::run);
            held.clear();
        }
    }

    private final HeldStore store = new HeldStore();
    private final StageTimers stages = StageTimers.unregistered();
    private long nanos;
    private int invocations;

    /** Every handler invocation costs {@link #INVOCATION_NANOS} on the processor's clock. */
    private final InvocationPolicy costly = new InvocationPolicy() {
        @Override
        public boolean allowed(HandlerSet.Handler handler, HandlerFailure.Phase phase) {
            return true;
        }

        @Override
        public void record(HandlerSet.Handler handler, HandlerFailure.Phase phase, Invocation invocation) {
            invocations++;
            nanos += INVOCATION_NANOS;
        }
    };

    private BatchProcessor<CrmEvent> processor() {
        CampaignGuard guard = new CampaignGuard(1, CLOCK::millis, () -> CampaignControl.NONE, (c, r) -> { });
        CrmCore core = new CrmCore(() -> SHIPPED, costly, guard, new Triggers(SchemaCatalog.fromClasspath()), CLOCK,
                DailyMetrics.of("lost_streak", 20));
        return new BatchProcessor<>(store, core, new BatchProcessor.Settings(100, 3_600_000, 100, 800, 1000), CLOCK,
                () -> nanos, new BatchProcessor.Listener() {
                    @Override
                    public void storeFailed(String what, Throwable error, long backoffMillis) {
                    }

                    @Override
                    public void storeRecovered(long downMillis) {
                    }
                }, stages);
    }

    private static long[] values(com.codahale.metrics.Timer t) {
        return t.getSnapshot().getValues();
    }

    @Test
    void eachStageOfAScriptedBatchGetsItsTimeOnTheProcessorsClock() {
        BatchProcessor<CrmEvent> p = processor();
        CrmEvent bob = Events.fight("bob", 1, "lost", 0, 0);
        CrmEvent ann = Events.login("ann", 1, 1, 0);
        nanos = 50_000;
        p.offer(bob, bob, 1_000); // handed to the committer at 1 000 and 1 500
        p.offer(ann, ann, 1_500);

        nanos = 4_000;
        GroupCommit.Pending<CrmEvent> run = p.start(); // both wait for this batch; its reads go out
        assertThat(drive(run)).as("its reads are in flight").isNull();

        nanos = 10_000;
        store.answer(); // the reads answer after 6 000
        assertThat(drive(run)).as("its rows are in flight").isNull();
        long applied = invocations * INVOCATION_NANOS;
        assertThat(invocations).as("the shipped handlers ran").isPositive();

        nanos += 20_000;
        store.answer(); // the rows
        assertThat(drive(run)).as("its states are in flight").isNull();
        nanos += 5_000;
        store.answer(); // the states: writes took 25 000
        BatchProcessor.Flushed<CrmEvent> f = drive(run);

        assertThat(f.acked()).hasSize(2);
        assertThat(values(stages.waiting())).containsExactly(2_500, 3_000);
        assertThat(values(stages.reading())).containsExactly(6_000);
        assertThat(values(stages.applying())).containsExactly(applied);
        assertThat(values(stages.writing())).containsExactly(25_000);
        assertThat(values(stages.emitting())).as("emits are timed by the pipeline").isEmpty();
    }

    @Test
    void aCachedBatchReadsNothingAndAnInputOfferedWithoutAHandOverTimeWaitsFromItsOffer() {
        BatchProcessor<CrmEvent> p = processor();
        CrmEvent bob1 = Events.fight("bob", 1, "lost", 0, 0);
        p.offer(bob1, bob1, 0);
        GroupCommit.Pending<CrmEvent> first = p.start();
        store.answer();
        drive(first);
        store.answer();
        drive(first);
        store.answer();
        assertThat(drive(first).acked()).hasSize(1);

        nanos = 100_000;
        CrmEvent bob2 = Events.fight("bob", 2, "lost", 0, 1);
        p.offer(bob2, bob2); // the processor's clock: 100 000
        nanos = 100_400;
        GroupCommit.Pending<CrmEvent> second = p.start();
        drive(second); // bob's state is cached: no read, the rows go out at once

        assertThat(values(stages.waiting())).containsExactly(0, 400);
        assertThat(values(stages.reading())).containsExactly(0, 0);
    }
}
