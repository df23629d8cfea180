package io.gamecrm.profile;

import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.PlayerCampaigns;
import io.gamecrm.crm.DailyMetrics;
import io.gamecrm.crm.PlayerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ProfileStore} in memory, for the offline handler tool and for tests. It stores copies,
 * as a database would: a state changed after save is not changed in the store. Appending the same
 * event twice keeps one entry, like the Cassandra table.
 */
public final class InMemoryProfileStore implements ProfileStore {
    private final Map<String, PlayerState> states = new ConcurrentHashMap<>();
    private final Map<String, List<String>> events = new ConcurrentHashMap<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final Map<String, DailyMetrics.Row> metrics = new java.util.HashMap<>();

    @Override
    public CompletionStage<PlayerState> load(String playerId) {
        PlayerState s = states.get(playerId);
        return CompletableFuture.completedFuture(s == null ? PlayerState.fresh(playerId) : copy(s));
    }

    @Override
    public CompletionStage<Void> save(PlayerState state, Instant updatedAt) {
        states.put(state.playerId(), copy(state));
        return CompletableFuture.completedFuture(null);
    }

    private static PlayerState copy(PlayerState s) {
        return new PlayerState(s.playerId(), s.profileJson(), PlayerCampaigns.fromJson(s.campaigns().toJson()),
                s.version(), s.applied(), s.outbox(), s.dailyJson());
    }

    @Override
    public CompletionStage<Void> appendEvent(String playerId, Instant eventTime, String eventId, String eventType,
                                             String eventJson) {
        List<String> list = events.computeIfAbsent(playerId, p -> new ArrayList<>());
        synchronized (list) {
            if (!list.contains(eventId)) {
                list.add(eventId);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> recordDecisions(List<Decision> list) {
        for (Decision d : list) {
            if (!decisions.contains(d)) {
                decisions.add(d);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> recordMetrics(List<DailyMetrics.Row> rows) {
        for (DailyMetrics.Row r : rows) {
            metrics.put(r.day() + "/" + r.metric() + "/" + r.reached() + "/" + r.playerId(), r);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Players who reached {@code value} of {@code metric} on {@code day}. */
    public synchronized long countReached(java.time.LocalDate day, String metric, int value) {
        return metrics.values().stream().filter(r -> r.day().equals(day) && r.metric().equals(metric)
                && r.reached() == value).count();
    }

    public PlayerState state(String playerId) {
        PlayerState s = states.get(playerId);
        return s == null ? PlayerState.fresh(playerId) : copy(s);
    }

    public List<String> eventIds(String playerId) {
        return List.copyOf(events.getOrDefault(playerId, List.of()));
    }

    public synchronized List<Decision> decisions() {
        return List.copyOf(decisions);
    }
}
