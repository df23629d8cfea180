package io.gamecrm.crm;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Timer;
import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.handlers.HandlerReport;
import io.gamecrm.trigger.Triggers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What a CRM task counts and reports of its inputs, besides acking, failing and emitting them:
 * the {@code crm.events.*}, {@code crm.batches.*}, {@code crm.triggers.resent} and
 * {@code crm.profiles.repaired} metrics (registered once, in the constructor), the triggers a
 * replayed input sends again, its decisions and profile repairs.
 */
public final class BatchOutcomes {
    /** Told of the exposures and conversions of every acked input that was not a replay. */
    public record Measurements(Consumer<Exposure> exposures, Consumer<Conversion> conversions) {
        public static final Measurements NONE = new Measurements(e -> { }, c -> { });
    }

    private final UnaryOperator<List<Triggers.Trigger>> unsent;
    private final Consumer<Decision> decisions;
    private final Measurements measurements;
    private final HandlerReport.Sink sink;
    private final Counter events;
    private final Counter duplicates;
    private final Counter failed;
    private final Counter notReady;
    private final Timer latency;
    private final Counter rejected;
    private final Counter resentTriggers;
    private final Counter repairedProfiles;
    private final Counter flushes;
    private final Histogram batchSizes;
    private final Timer flushLatency;

    /**
     * @param counters   registers a counter by name
     * @param timers     registers a timer by name
     * @param histograms registers a histogram by name
     * @param unsent     of a replayed input's triggers, those that never reached the trigger topic
     * @param decisions  told of every decision of an acked input
     * @param sink       where profile repairs are reported
     */
    public BatchOutcomes(Function<String, Counter> counters, Function<String, Timer> timers,
                         Function<String, Histogram> histograms, UnaryOperator<List<Triggers.Trigger>> unsent,
                         Consumer<Decision> decisions, HandlerReport.Sink sink) {
        this(counters, timers, histograms, unsent, decisions, Measurements.NONE, sink);
    }

    /** @param measurements told of every exposure and conversion of an acked input */
    public BatchOutcomes(Function<String, Counter> counters, Function<String, Timer> timers,
                         Function<String, Histogram> histograms, UnaryOperator<List<Triggers.Trigger>> unsent,
                         Consumer<Decision> decisions, Measurements measurements, HandlerReport.Sink sink) {
        this.unsent = unsent;
        this.decisions = decisions;
        this.measurements = measurements;
        this.sink = sink;
        this.events = counters.apply("crm.events.processed");
        this.duplicates = counters.apply("crm.events.duplicate");
        this.failed = counters.apply("crm.events.failed");
        this.notReady = counters.apply("crm.events.not-ready");
        this.latency = timers.apply("crm.events.latency");
        this.rejected = counters.apply("crm.events.rejected");
        this.resentTriggers = counters.apply("crm.triggers.resent");
        this.repairedProfiles = counters.apply("crm.profiles.repaired");
        this.flushes = counters.apply("crm.batches.flushed");
        this.batchSizes = histograms.apply("crm.batches.size");
        this.flushLatency = timers.apply("crm.batches.latency");
    }

    /** The gauges of a task's write-behind and committer, by metric name. */
    public static Map<String, Supplier<? extends Number>> gauges(BatchProcessor<?> batch, GroupCommit<?> commit) {
        Map<String, Supplier<? extends Number>> gauges = new LinkedHashMap<>();
        gauges.put("crm.cache.players", batch::cachedPlayers);
        gauges.put("crm.cache.hits", batch::cacheHits);
        gauges.put("crm.cache.misses", batch::cacheMisses);
        gauges.put("crm.players.blocked", batch::blockedPlayers);
        gauges.put("crm.batches.reading.ms", () -> batch.timeSplit().readingMillis());
        gauges.put("crm.batches.applying.ms", () -> batch.timeSplit().applyingMillis());
        gauges.put("crm.batches.writing.ms", () -> batch.timeSplit().writingMillis());
        gauges.put("crm.inputs.waiting", commit::waiting);
        return gauges;
    }

    /** The triggers to emit for an acked input: of a replayed event, only those that never reached the topic. */
    public List<Triggers.Trigger> triggersToEmit(BatchProcessor.Acked<?> a) {
        List<Triggers.Trigger> triggers = a.result().triggers();
        if (a.result().duplicate() && !triggers.isEmpty()) {
            triggers = unsent.apply(triggers);
            resentTriggers.inc(triggers.size());
        }
        return triggers;
    }

    /**
     * An input acked at {@code nowMs}: its profile repair, its decisions, exposures and conversions, its
     * latency since ingestion.
     */
    public void acked(BatchProcessor.Acked<?> a, long nowMs) {
        if (a.result().repair() != null) {
            repairedProfiles.inc();
            sink.report(HandlerReport.profileRepaired(a.event().playerId(), a.result().repair()));
        }
        a.result().decisions().forEach(decisions);
        a.result().exposures().forEach(measurements.exposures());
        a.result().conversions().forEach(measurements.conversions());
        if (a.result().duplicate()) {
            duplicates.inc();
        }
        latency.update(Math.max(0, nowMs - a.event().ingestedAtMs()), TimeUnit.MILLISECONDS);
    }

    /** A processed batch, once acked and failed. */
    public void flushed(BatchProcessor.Flushed<?> f) {
        events.inc(f.acked().size());
        failed.inc(f.failed().size());
        flushes.inc();
        batchSizes.update(f.acked().size() + f.failed().size());
        flushLatency.update(f.nanos(), TimeUnit.NANOSECONDS);
    }

    /** An input failed at once, without being processed. */
    public void refused(GroupCommit.Refusal why) {
        (why == GroupCommit.Refusal.NOT_READY ? notReady : rejected).inc();
    }

    /** Inputs failed without being processed because the committer stopped. */
    public void abandoned(int inputs) {
        failed.inc(inputs);
    }

    /** The task's totals, as its {@code component.stopped} report. */
    public HandlerReport stopped() {
        return new HandlerReport(HandlerReport.Level.INFO, "component.stopped", "CRM task stopped after "
                + events.getCount() + " events acked (" + duplicates.getCount() + " replays of applied events), "
                + failed.getCount() + " failed and " + rejected.getCount() + " refused for replay",
                Map.of("acked", events.getCount(), "duplicates", duplicates.getCount(), "failed", failed.getCount(),
                        "refused", rejected.getCount()));
    }
}
