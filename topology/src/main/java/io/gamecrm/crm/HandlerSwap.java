package io.gamecrm.crm;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.handlers.HandlerBreakers;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerReport;
import io.gamecrm.handlers.HandlerSet;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A CRM task's handler set and campaign control: between two batches it takes a newly compiled
 * set and the latest control from its source, and reports the set as {@code handlers.loaded}, a
 * changed control as {@code campaign.control}.
 * Used by one thread at a time (prepare, then the committer).
 */
public final class HandlerSwap {
    /** The report type of a campaign control that took effect in this task. */
    public static final String CONTROL_REPORT = "campaign.control";
    private final HandlerSource source;
    private final HandlerBreakers breakers;
    private final HandlerReport.Sink sink;
    private final BiConsumer<CampaignControl, CampaignControl> onControl;
    private HandlerSet handlers;
    private CampaignControl control = CampaignControl.NONE;

    /** @param onControl told of each new control: (previous, next) */
    public HandlerSwap(HandlerSource source, HandlerBreakers breakers, HandlerReport.Sink sink,
                       BiConsumer<CampaignControl, CampaignControl> onControl) {
        this.source = source;
        this.breakers = breakers;
        this.sink = sink;
        this.onControl = onControl;
    }

    /** The set in effect; null until the first arrives. */
    public HandlerSet handlers() {
        return handlers;
    }

    public CampaignControl control() {
        return control;
    }

    /** Waits for the first compiled set; reports {@code handlers.waiting} when none arrives in time. */
    public void awaitFirst(Duration timeout, String topic) {
        try {
            if (!source.awaitFirst(timeout)) {
                sink.report(new HandlerReport(HandlerReport.Level.WARN, "handlers.waiting", "no handler set on " + topic
                        + " after " + timeout.toMillis() + " ms; events are failed for replay until one arrives"
                        + (source.lastError() == null ? "" : " (" + source.lastError() + ")"), Map.of()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes a newly compiled set and the latest campaign control; returns whether a set is in effect. */
    public boolean swapIfNew() {
        CampaignControl c = source.control();
        if (c != control) {
            onControl.accept(control, c);
            if (!c.paused().equals(control.paused()) || !c.budgeted().equals(control.budgeted())) {
                // what the kill switch (crm campaign pause) reads back to say which tasks took a pause
                sink.report(new HandlerReport(HandlerReport.Level.INFO, CONTROL_REPORT, "campaign control in effect:"
                        + " paused " + c.paused().keySet() + ", paused by budget " + c.budgeted().keySet(),
                        Map.of("paused", Map.copyOf(c.paused()), "budgeted", Map.copyOf(c.budgeted()))));
            }
            control = c;
        }
        HandlerSource.Loaded loaded = source.takeLoaded();
        if (loaded != null) {
            take(loaded);
        }
        return handlers != null;
    }

    private void take(HandlerSource.Loaded loaded) {
        handlers = loaded.set();
        for (HandlerProblem p : loaded.problems()) {
            sink.report(HandlerReport.rejected(p, "loaded"));
        }
        // a handler the watchdog had to stop while the set warmed up is disabled before it meets an event
        handlers.stoppedInWarmUp().forEach(s -> breakers.record(s.handler(), s.phase(), s.invocation()));
        sink.report(HandlerReport.loaded(handlers, loaded.manifestSeq(), loaded.compileMillis()));
    }
}
