package io.gamecrm.crm;

import io.gamecrm.handlers.HandlerReport;
import java.util.Map;

/** Cassandra trouble and recovery, as reports for the maintenance topic. */
public final class StoreAlerts implements BatchProcessor.Listener {
    private final HandlerReport.Sink sink;

    public StoreAlerts(HandlerReport.Sink sink) {
        this.sink = sink;
    }

    @Override
    public void storeFailed(String what, Throwable error, long backoffMillis) {
        sink.report(new HandlerReport(HandlerReport.Level.ERROR, "cassandra.failing", "Cassandra failed " + what + ": "
                + error + "; inputs are failed for replay, backing off " + backoffMillis + " ms",
                Map.of("error", String.valueOf(error), "backoff_ms", backoffMillis)));
    }

    @Override
    public void storeRecovered(long downMillis) {
        sink.report(new HandlerReport(HandlerReport.Level.INFO, "cassandra.recovered", "Cassandra answers again after "
                + downMillis + " ms", Map.of("down_ms", downMillis)));
    }
}
