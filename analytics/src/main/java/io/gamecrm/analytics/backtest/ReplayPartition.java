package io.gamecrm.analytics.backtest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Replays one Spark partition: its players' rows, sorted by time (a player's snapshot row first),
 * through one {@link HandlerRuntime}, and yields every decision. Rows: player_id, kind
 * ({@link #SNAPSHOT} or {@link #EVENT}), time, event_id, payload (the event JSON, or the snapshot's
 * profile JSON), campaigns (the snapshot's campaign history JSON, else null).
 */
final class ReplayPartition implements MapPartitionsFunction<Row, ReplayedDecision> {
    static final int SNAPSHOT = 0;
    static final int EVENT = 1;

    private final HandlerRuntime.Source source;
    private final int tasks;
    private final double globalHoldout;
    private final LongAccumulator events;
    private final LongAccumulator invalid;

    ReplayPartition(HandlerRuntime.Source source, int tasks, double globalHoldout, LongAccumulator events,
                    LongAccumulator invalid) {
        this.globalHoldout = globalHoldout;
        this.source = source;
        this.tasks = tasks;
        this.events = events;
        this.invalid = invalid;
    }

    @Override
    public Iterator<ReplayedDecision> call(Iterator<Row> rows) {
        HandlerRuntime runtime = HandlerRuntime.start(source, tasks, globalHoldout);
        return new Iterator<>() {
            private final List<ReplayedDecision> ready = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                while (next >= ready.size() && rows.hasNext()) {
                    ready.clear();
                    next = 0;
                    replay(runtime, rows.next(), ready);
                }
                return next < ready.size();
            }

            @Override
            public ReplayedDecision next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.get(next++);
            }
        };
    }

    private void replay(HandlerRuntime runtime, Row row, List<ReplayedDecision> out) {
        String player = row.getString(0);
        if (row.getInt(1) == SNAPSHOT) {
            runtime.seed(player, row.getString(4), row.isNullAt(5) ? null : row.getString(5));
            return;
        }
        events.add(1);
        HandlerRuntime.Step step = runtime.apply(row.getString(4));
        if (step.invalidReason() != null) {
            invalid.add(1);
            return;
        }
        for (HandlerRuntime.Offer o : step.offers()) {
            out.add(ReplayedDecision.of(step, o));
        }
    }
}
