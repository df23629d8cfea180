package io.gamecrm.crm;

import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.handlers.HandlerReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Every 5 s at most, the campaign decisions since the last report (fired, and suppressed by
 * reason) go to the maintenance topic as {@code campaign.stats}: what the metrics count, for those
 * who read the topic (the live demo). When there were any, the exposures and conversions per
 * campaign and group go with them ({@code measured}: {@code exposures.treated},
 * {@code conversions.holdout}, ...). Used by one thread (the committer).
 */
public final class DecisionStats {
    /** The type of the maintenance report (crm query campaign sums them). */
    public static final String REPORT = "campaign.stats";
    static final long PERIOD_MS = 5000;

    private final LongSupplier clockMillis;
    private final HandlerReport.Sink sink;
    private Map<String, Map<String, Long>> counts = new TreeMap<>();
    private Map<String, Map<String, Long>> measured = new TreeMap<>();
    private long sinceMs;

    public DecisionStats(LongSupplier clockMillis, HandlerReport.Sink sink) {
        this.clockMillis = clockMillis;
        this.sink = sink;
        this.sinceMs = clockMillis.getAsLong();
    }

    /** Counts a decision under its campaign (or its handler, when no campaign decided) and outcome. */
    public void count(Decision d) {
        counts.computeIfAbsent(d.campaign() == null ? "(handler " + d.handler() + ")" : d.campaign(),
                k -> new TreeMap<>()).merge(d.outcome().name(), 1L, Long::sum);
    }

    /** Counts an exposure under its campaign and group. */
    public void exposure(Exposure e) {
        measure(e.campaign(), "exposures." + e.group().label());
    }

    /** Counts a conversion under its exposure's campaign and group. */
    public void conversion(Conversion c) {
        measure(c.exposure().campaign(), "conversions." + c.exposure().group().label());
    }

    private void measure(String campaign, String what) {
        measured.computeIfAbsent(campaign, k -> new TreeMap<>()).merge(what, 1L, Long::sum);
    }

    /** Reports what was counted since the last report, if there is anything and the period is over. */
    public void publishIfDue() {
        long now = clockMillis.getAsLong();
        if (now - sinceMs < PERIOD_MS || counts.isEmpty() && measured.isEmpty()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("decisions", counts);
        details.put("since_ms", sinceMs);
        String message = "campaign decisions in the last " + (now - sinceMs) / 1000 + " s: " + counts;
        if (!measured.isEmpty()) {
            details.put("measured", measured);
            message += "; exposures and conversions: " + measured;
        }
        sink.report(new HandlerReport(HandlerReport.Level.INFO, REPORT, message, details));
        counts = new TreeMap<>();
        measured = new TreeMap<>();
        sinceMs = now;
    }
}
