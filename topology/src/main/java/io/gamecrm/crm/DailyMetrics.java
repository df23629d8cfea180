package io.gamecrm.crm;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The daily analytics fed by the update path: for each tracked profile metric (e.g.
 * {@code lost_streak}), the players who reached each value 1..cap during a UTC day. When an event
 * raises a player's highest value of the day from m to v, one row per value in (m, v] is written,
 * so "how many players lost three fights in a row today" is the size of one partition
 * ({@code (day, 'lost_streak', 3)}), not a scan of player_events. Rows are keyed by player, so
 * rewriting them (a replay) changes nothing; a player counts once per value and day.
 *
 * @param metrics profile keys to track (numbers)
 * @param cap     highest value tracked; higher values count as the cap
 */
public record DailyMetrics(Set<String> metrics, int cap) implements Serializable {
    public static final DailyMetrics NONE = new DailyMetrics(Set.of(), 0);

    /** One row of daily_metric_players. */
    public record Row(LocalDate day, String metric, int reached, String playerId, long atMillis) {
    }

    public DailyMetrics {
        metrics = Set.copyOf(metrics);
        if (cap < 0 || cap > 1000) {
            throw new IllegalArgumentException("the daily metrics cap must be within 0..1000, got " + cap);
        }
    }

    /** Parses "lost_streak,logins" (blank: none). */
    public static DailyMetrics of(String metrics, int cap) {
        if (metrics == null || metrics.isBlank()) {
            return NONE;
        }
        return new DailyMetrics(Set.of(metrics.trim().split("\\s*,\\s*")), cap);
    }

    /** Rows to write for the changes an event made to the player's profile; updates the day's maxima. */
    List<Row> observe(PlayerState state, Map<String, Object> changes, long eventTimeMs) {
        if (metrics.isEmpty() || changes.isEmpty()) {
            return List.of();
        }
        List<Row> rows = new ArrayList<>(0);
        long epochDay = Math.floorDiv(eventTimeMs, 86_400_000L);
        for (String metric : metrics) {
            if (!(changes.get(metric) instanceof Number n)) {
                continue;
            }
            int value = (int) Math.min(cap, Math.max(0, Math.floor(n.doubleValue())));
            int before = state.dailyMax(epochDay, metric);
            if (value <= before) {
                continue;
            }
            LocalDate day = LocalDate.ofEpochDay(epochDay);
            for (int v = before + 1; v <= value; v++) {
                rows.add(new Row(day, metric, v, state.playerId(), eventTimeMs));
            }
            state.recordDailyMax(epochDay, metric, value);
        }
        return rows;
    }
}
