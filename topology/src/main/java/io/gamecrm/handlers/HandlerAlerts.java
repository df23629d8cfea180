package io.gamecrm.handlers;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns breaker changes and handler failures into {@link HandlerReport}s, as a CRM task sends them
 * to crm-maintenance: every disable and re-enable, and at most one failure report per handler per
 * ten seconds, with the count since the last one. Shared by the CRM bolt and the offline runner, so
 * a designer sees what the topology would report. Single-threaded.
 */
public final class HandlerAlerts implements HandlerBreakers.Listener {
    private static final long INTERVAL_MS = 10_000;

    /** Told about every invocation (metrics). */
    public interface Invocations {
        void invoked(HandlerSet.Handler handler, HandlerFailure.Phase phase, Invocation invocation);
    }

    private final LongSupplier clockMillis;
    private final HandlerReport.Sink sink;
    private final Invocations invocations;
    private final Map<String, long[]> errorReports = new HashMap<>(); // handler -> {last report ms, count}

    public HandlerAlerts(LongSupplier clockMillis, HandlerReport.Sink sink, Invocations invocations) {
        this.clockMillis = clockMillis;
        this.sink = sink;
        this.invocations = invocations;
    }

    @Override
    public void disabled(HandlerSet.Handler handler, String reason) {
        sink.report(HandlerReport.disabled(handler, reason));
    }

    @Override
    public void enabled(HandlerSet.Handler handler) {
        sink.report(HandlerReport.enabled(handler));
    }

    @Override
    public void invoked(HandlerSet.Handler h, HandlerFailure.Phase phase, Invocation inv) {
        invocations.invoked(h, phase, inv);
        if (!inv.failed()) {
            return;
        }
        long now = clockMillis.getAsLong();
        long[] r = errorReports.computeIfAbsent(h.name(), k -> new long[] {Long.MIN_VALUE / 2, 0});
        r[1]++;
        if (now - r[0] >= INTERVAL_MS) {
            sink.report(HandlerReport.error(h, phase, inv, r[1]));
            r[0] = now;
            r[1] = 0;
        }
    }
}
