package io.gamecrm.crm;

import io.gamecrm.campaign.Decision;
import io.gamecrm.handlers.HandlerReport;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Every 5 s at most, the campaign decisions since the last report (fired, and suppressed by
 * reason) go to the maintenance topic as {@code campaign.stats}: what the metrics count, for those
 * who read the topic (the live demo). Used by one thread (the committer).
 */
public final class DecisionStats {
    static final long PERIOD_MS = 5000;

    private final LongSupplier clockMillis;
    private final HandlerReport.Sink sink;
    private Map<String, Map<String, Long>> counts = new TreeMap<>();
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

    /** Reports the decisions counted since the last report, if there are any and the period is over. */
    public void publishIfDue() {
        long now = clockMillis.getAsLong();
        if (now - sinceMs < PERIOD_MS || counts.isEmpty()) {
            return;
        }
        sink.report(new HandlerReport(HandlerReport.Level.INFO, "campaign.stats", "campaign decisions in the last "
                + (now - sinceMs) / 1000 + " s: " + counts, Map.of("decisions", counts, "since_ms", sinceMs)));
        counts = new TreeMap<>();
        sinceMs = now;
    }
}
