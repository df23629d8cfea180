package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.handlers.HandlerReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cassandra's failures are reported as errors with the back-off; its recovery with the time it was down. */
class StoreAlertsTest {
    private final List<HandlerReport> reports = new ArrayList<>();
    private final StoreAlerts alerts = new StoreAlerts(reports::add);

    @Test
    void aFailureIsAnErrorWithItsBackOff() {
        alerts.storeFailed("writing player states", new RuntimeException("down"), 400);

        assertThat(reports).containsExactly(new HandlerReport(HandlerReport.Level.ERROR, "cassandra.failing",
                "Cassandra failed writing player states: java.lang.RuntimeException: down; inputs are failed for"
                        + " replay, backing off 400 ms",
                Map.of("error", "java.lang.RuntimeException: down", "backoff_ms", 400L)));
    }

    @Test
    void aRecoveryTellsHowLongTheStoreWasDown() {
        alerts.storeRecovered(1500);

        assertThat(reports).containsExactly(new HandlerReport(HandlerReport.Level.INFO, "cassandra.recovered",
                "Cassandra answers again after 1500 ms", Map.of("down_ms", 1500L)));
    }
}
