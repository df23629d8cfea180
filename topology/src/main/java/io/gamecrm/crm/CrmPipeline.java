package io.gamecrm.crm;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Timer;
import io.gamecrm.campaign.CampaignDef;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.handlers.HandlerAlerts;
import io.gamecrm.handlers.HandlerBreakers;
import io.gamecrm.handlers.HandlerOutcome;
import io.gamecrm.handlers.HandlerReport;
import io.gamecrm.handlers.HandlerSettings;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CRM task's pipeline, wired: the handler set and campaign control ({@link HandlerSwap}), the
 * campaign guard, the core ({@link CrmCore}), the write-behind ({@link BatchProcessor}) behind its
 * committer thread ({@link GroupCommit}), and what is counted and reported ({@link BatchOutcomes},
 * {@link DecisionStats}). It knows no Storm: inputs come in through {@link #submit}, outcomes go out
 * through a {@link Collector} (the bolt's collector), on the committer thread.
 *
 * @param <T> the input handle (a Storm tuple)
 */
public final class CrmPipeline<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CrmPipeline.class);
    private static final long IDLE_MS = 1000;
    /**
     * Batches in flight at once: while one batch's writes are in flight, the next is read and
     * applied (for other players) and its writes go out too.
     */
    static final int BATCHES_IN_FLIGHT = 2;

    /** Where inputs end (the bolt's output collector); called on the committer thread. */
    public interface Collector<T> {
        /** Emits a trigger anchored to its input. */
        void emit(T anchor, Triggers.Trigger trigger);

        void ack(T input);

        void fail(T input);
    }

    /** Where the task's metrics are registered and told (Storm's metrics v2 in the topology). */
    public interface Metrics {
        Counter counter(String name);

        Timer timer(String name);

        Histogram histogram(String name);

        void gauge(String name, Supplier<? extends Number> value);

        HandlerAlerts.Invocations invocations();

        void decision(Decision d);

        void exposure(Exposure e);

        void conversion(Conversion c);
    }

    /**
     * The task's ports.
     *
     * @param handlers the handler sets and campaign control
     * @param store    player states and the keyed rows
     * @param unsent   of a replayed input's triggers, those that never reached the trigger topic
     * @param pause    pauses a campaign whose budget is spent, for every task (the handlers topic)
     * @param reports  crm-maintenance (and the log)
     */
    public record Ports(HandlerSource handlers, ProfileStore store, UnaryOperator<List<Triggers.Trigger>> unsent,
                        BiConsumer<CampaignDef, String> pause, HandlerReport.Sink reports) {
    }

    private final int taskId;
    private final CrmSettings settings;
    private final Ports ports;
    private final Collector<T> out;
    private final HandlerSwap handlers;
    private final DecisionStats stats;
    private final BatchOutcomes outcomes;
    private final BatchProcessor<T> batch;
    private final GroupCommit<T> commit;
    private final LongSupplier nanoTime;
    private final StageTimers stages;
    private CampaignGuard guard;

    private CrmPipeline(int taskId, int tasks, CrmSettings settings, HandlerSettings handlerSettings, Ports ports,
                        Metrics metrics, Collector<T> out, LongSupplier nanoTime) {
        this.taskId = taskId;
        this.nanoTime = nanoTime;
        this.stages = StageTimers.of(metrics::timer);
        this.settings = settings;
        this.ports = ports;
        this.out = out;
        this.stats = new DecisionStats(System::currentTimeMillis, ports.reports());
        HandlerBreakers breakers = new HandlerBreakers(handlerSettings.breaker(), System::currentTimeMillis,
                new HandlerAlerts(System::currentTimeMillis, ports.reports(), metrics.invocations()));
        this.handlers = new HandlerSwap(ports.handlers(), breakers, ports.reports(), (before, after) -> guard.onControl(before, after));
        this.guard = new CampaignGuard(tasks, System::currentTimeMillis, handlers::control, this::budgetExceeded);
        this.outcomes = new BatchOutcomes(metrics::counter, metrics::timer, metrics::histogram, ports.unsent(), d -> {
            metrics.decision(d);
            stats.count(d);
        }, new BatchOutcomes.Measurements(e -> {
            metrics.exposure(e);
            stats.exposure(e);
        }, c -> {
            metrics.conversion(c);
            stats.conversion(c);
        }), ports.reports());
        CrmCore core = new CrmCore(handlers::handlers, breakers, guard, new Triggers(SchemaCatalog.fromClasspath()),
                Clock.systemUTC(), settings.dailyMetrics(), settings.globalHoldout());
        this.batch = new BatchProcessor<>(ports.store(), core, settings.batch(), Clock.systemUTC(), nanoTime,
                new StoreAlerts(ports.reports()), stages);
        handlers.awaitFirst(Duration.ofMillis(handlerSettings.startupTimeoutMs()), handlerSettings.topic());
        handlers.swapIfNew();
        this.commit = new GroupCommit<>(batch, new Outcomes(), settings.batchMaxEvents(), BATCHES_IN_FLIGHT,
                settings.commitCapacity(), IDLE_MS, nanoTime, "crm-commit-" + taskId);
        BatchOutcomes.gauges(batch, commit).forEach(metrics::gauge);
    }

    /**
     * Wires the task's pipeline, waits for the first handler set (up to the handler settings'
     * start-up timeout) and starts the committer.
     */
    public static <T> CrmPipeline<T> start(int taskId, int tasks, CrmSettings settings, HandlerSettings handlerSettings,
                                           Ports ports, Metrics metrics, Collector<T> out) {
        return start(taskId, tasks, settings, handlerSettings, ports, metrics, out, System::nanoTime);
    }

    /** @param nanoTime the clock of the stage timers ({@link StageTimers}; tests drive their own) */
    public static <T> CrmPipeline<T> start(int taskId, int tasks, CrmSettings settings, HandlerSettings handlerSettings,
                                           Ports ports, Metrics metrics, Collector<T> out, LongSupplier nanoTime) {
        CrmPipeline<T> p = new CrmPipeline<>(taskId, tasks, settings, handlerSettings, ports, metrics, out, nanoTime);
        p.commit.start();
        return p;
    }

    /** The version of the handler set in effect, or "none". */
    public String handlersVersion() {
        return handlers.handlers() == null ? "none" : handlers.handlers().version();
    }

    /** Hands an input to the committer (the executor thread); blocks only while the committer is far behind. */
    public void submit(T input, CrmEvent event) {
        commit.submit(input, event);
    }

    /** Clean shutdown: what was handed over is processed and written (what fails is replayed after restart). */
    @Override
    public void close() {
        commit.close(settings.closeTimeoutMs());
        BatchProcessor.TimeSplit split = batch.timeSplit();
        LOG.info("CRM task {}: flushes spent {} ms reading states, {} ms applying events, {} ms writing, for {} events",
                taskId, split.readingMillis(), split.applyingMillis(), split.writingMillis(), split.events());
        ports.reports().report(outcomes.stopped());
    }

    private void budgetExceeded(CampaignDef campaign, String reason) {
        ports.pause().accept(campaign, reason);
        ports.reports().report(HandlerReport.campaignPaused(campaign, reason));
    }

    /** The committer's outcomes, to the collector. */
    private final class Outcomes implements GroupCommit.Sink<T> {
        @Override
        public boolean beforeBatch() {
            return handlers.swapIfNew();
        }

        @Override
        public void refused(T input, GroupCommit.Refusal why) {
            outcomes.refused(why);
            out.fail(input);
        }

        @Override
        public void flushed(BatchProcessor.Flushed<T> f) {
            long released = nanoTime.getAsLong();
            long now = System.currentTimeMillis();
            for (BatchProcessor.Acked<T> a : f.acked()) {
                for (Triggers.Trigger t : outcomes.triggersToEmit(a)) {
                    out.emit(a.handle(), t);
                }
                outcomes.acked(a, now);
                for (HandlerOutcome.Log l : a.result().logs()) {
                    LOG.debug("{}", HandlerReport.logged(a.event().playerId(), a.event().eventId(), l).message());
                }
                out.ack(a.handle());
            }
            if (!f.acked().isEmpty()) {
                stages.emitting().update(nanoTime.getAsLong() - released, TimeUnit.NANOSECONDS);
            }
            f.failed().forEach(out::fail);
            outcomes.flushed(f);
        }

        @Override
        public void abandoned(List<T> inputs, Throwable cause) {
            LOG.error("CRM task {}: failing {} inputs for replay: {}", taskId, inputs.size(), cause.toString(), cause);
            inputs.forEach(out::fail);
            outcomes.abandoned(inputs.size());
        }

        @Override
        public void idle() {
            handlers.swapIfNew(); // an idle task takes a new control (a kill switch) or set too, and reports it
            stats.publishIfDue();
        }
    }
}
