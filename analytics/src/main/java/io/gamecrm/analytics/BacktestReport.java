package io.gamecrm.analytics;

import io.gamecrm.analytics.backtest.Backtest;
import io.gamecrm.analytics.questions.Formats;
import io.gamecrm.analytics.questions.ResultTable;
import io.gamecrm.json.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints a backtest's outcome: a summary, per day and campaign, the suppressions, the differences. */
final class BacktestReport {
    private BacktestReport() {
    }

    static void print(Backtest.Result r, Path handlers, LocalDate from, LocalDate to, int details, boolean json,
                      PrintStream out) {
        ResultTable perDay = ResultTable.collect(r.perDay(), 100_000);
        ResultTable suppressed = ResultTable.collect(r.suppressed(), 1_000);
        ResultTable differences = ResultTable.collect(r.differences(), Math.max(1, details));
        long newCount = sum(perDay, "new");
        long gone = sum(perDay, "gone");
        long changed = sum(perDay, "changed");
        String summary = String.format(java.util.Locale.ROOT,
                "backtest of %s (set %s) on %s..%s: %d events replayed (%d invalid) in %.1f s (%.0f events/s); "
                        + "%d offers would fire (%d fired), %d would be suppressed; %d new, %d gone, %d changed",
                handlers, r.setVersion(), from, to, r.events(), r.invalid(), r.millis() / 1000.0, r.eventsPerSecond(),
                sum(perDay, "backtest_fired"), sum(perDay, "actual_fired"), sum(perDay, "backtest_suppressed"),
                newCount, gone, changed);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("summary", summary);
            doc.put("set_version", r.setVersion());
            doc.put("events", r.events());
            doc.put("invalid", r.invalid());
            doc.put("millis", r.millis());
            doc.put("new", newCount);
            doc.put("gone", gone);
            doc.put("changed", changed);
            doc.put("per_day", Formats.json(perDay));
            doc.put("suppressed", Formats.json(suppressed));
            doc.put("differences", Formats.json(differences));
            out.println(Json.write(doc));
            return;
        }
        out.println(summary);
        out.println();
        out.println("Per day and campaign (backtest vs recorded in campaign_decisions):");
        out.print(Formats.TABLE.render(perDay));
        out.println();
        out.println("Why the backtest would suppress offers:");
        out.print(Formats.TABLE.render(suppressed));
        if (newCount + gone + changed > 0) {
            out.println();
            out.println("New, gone and changed decisions (first " + details + "):");
            out.print(Formats.TABLE.render(differences));
        }
        out.flush();
    }

    private static long sum(ResultTable t, String column) {
        return t.column(column).stream().mapToLong(v -> v == null ? 0 : ((Number) v).longValue()).sum();
    }
}
