package io.gamecrm.analytics.it;

import io.gamecrm.analytics.history.GameHistory;
import io.gamecrm.campaign.Holdout;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a generated history implies, computed in plain Java from the event list (not from Cassandra
 * nor Spark): the answers the tests expect.
 */
final class HistoryOracle {
    private final List<GameHistory.Event> events;
    private final String campaign;
    private final double holdout;

    /**
     * @param campaign the campaign of the decisions
     * @param holdout  its holdout share, as the handler files declare it (read by the offline runner,
     *                 {@link #declaredHoldout}), so the expected decisions follow the shipped file
     */
    HistoryOracle(List<GameHistory.Event> events, String campaign, double holdout) {
        this.events = events;
        this.campaign = campaign;
        this.holdout = holdout;
    }

    /** The holdout share of a campaign as a CRM task loads the handler files of {@code dir}. */
    static double declaredHoldout(java.nio.file.Path dir, String campaign) throws java.io.IOException {
        return io.gamecrm.offline.OfflineRun.run(dir, List.of(), Map.of()).campaigns().get(campaign).holdout();
    }

    static LocalDate day(Instant t) {
        return t.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    Map<String, Long> countsByType() {
        Map<String, Long> out = new TreeMap<>();
        events.forEach(e -> out.merge(e.type(), 1L, Long::sum));
        return out;
    }

    /** Players with a fight on {@code day} after which their lost streak (across days) was at least {@code min}. */
    Set<String> lostStreak(LocalDate day, int min) {
        Set<String> out = new TreeSet<>();
        Map<String, Integer> streak = new HashMap<>();
        for (GameHistory.Event e : events) {
            if (!e.type().equals("fight")) {
                continue;
            }
            int s = e.result().equals("lost") ? streak.getOrDefault(e.playerId(), 0) + 1 : 0;
            streak.put(e.playerId(), s);
            if (s >= min && day(e.time()).equals(day)) {
                out.add(e.playerId());
            }
        }
        return out;
    }

    /**
     * The decisions of a "offer after exactly {@code threshold} lost fights in a row, one a day"
     * campaign: cause event id -> FIRED, HOLDOUT (the player is in the campaign's control group,
     * {@link Holdout#heldOut}; counted against the daily cap like a fired offer) or CAP_PER_DAY.
     */
    Map<String, String> decisions(int threshold) {
        Map<String, String> out = new TreeMap<>();
        Map<String, Integer> streak = new HashMap<>();
        Set<String> offeredOn = new HashSet<>();
        for (GameHistory.Event e : events) {
            if (!e.type().equals("fight")) {
                continue;
            }
            int s = e.result().equals("lost") ? streak.getOrDefault(e.playerId(), 0) + 1 : 0;
            streak.put(e.playerId(), s);
            if (e.result().equals("lost") && s == threshold) {
                boolean underCap = offeredOn.add(e.playerId() + "/" + day(e.time()));
                out.put(e.eventId(), !underCap ? "CAP_PER_DAY"
                        : Holdout.heldOut(campaign, e.playerId(), holdout) ? "HOLDOUT" : "FIRED");
            }
        }
        return out;
    }

    /** Per day: [fired, suppressed] of {@link #decisions(int)} (held out is suppressed, as in the offers question). */
    Map<LocalDate, long[]> offersPerDay(int threshold) {
        Map<String, GameHistory.Event> byId = new HashMap<>();
        events.forEach(e -> byId.put(e.eventId(), e));
        Map<LocalDate, long[]> out = new TreeMap<>();
        decisions(threshold).forEach((id, outcome) -> {
            long[] c = out.computeIfAbsent(day(byId.get(id).time()), d -> new long[2]);
            c[outcome.equals("FIRED") ? 0 : 1]++;
        });
        return out;
    }

    /** Players reaching each step of the funnel (first occurrence at or after the previous step's). */
    long[] funnel(List<String> steps) {
        Map<String, Instant> at = new HashMap<>();
        long[] out = new long[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Instant> next = new HashMap<>();
            for (GameHistory.Event e : events) {
                if (!e.type().equals(steps.get(i)) || next.containsKey(e.playerId())) {
                    continue;
                }
                Instant previous = at.get(e.playerId());
                if (i == 0 || (previous != null && !e.time().isBefore(previous))) {
                    next.put(e.playerId(), e.time());
                }
            }
            out[i] = next.size();
            at = next;
        }
        return out;
    }

    /** A player's profile key as the shipped handlers keep it: fights, wins, lost_streak, logins. */
    Map<String, Long> profile(String player) {
        Map<String, Long> p = new TreeMap<>();
        for (GameHistory.Event e : events) {
            if (!e.playerId().equals(player)) {
                continue;
            }
            if (e.type().equals("login")) {
                p.merge("logins", 1L, Long::sum);
            } else if (e.type().equals("fight")) {
                p.merge("fights", 1L, Long::sum);
                if (e.result().equals("lost")) {
                    p.merge("lost_streak", 1L, Long::sum);
                } else {
                    p.put("lost_streak", 0L);
                    if (e.result().equals("won")) {
                        p.merge("wins", 1L, Long::sum);
                    }
                }
            }
        }
        return p;
    }

    /** Wins per player (players with at least one). */
    Map<String, Long> wins() {
        Map<String, Long> out = new TreeMap<>();
        events.stream().filter(e -> "won".equals(e.result())).forEach(e -> out.merge(e.playerId(), 1L, Long::sum));
        return out;
    }

    Set<LocalDate> days() {
        Set<LocalDate> out = new TreeSet<>();
        events.forEach(e -> out.add(day(e.time())));
        return out;
    }
}
