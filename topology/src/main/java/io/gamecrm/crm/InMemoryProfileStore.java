package io.gamecrm.crm;

import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.PlayerCampaigns;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ProfileStore} in memory, for the offline handler tool and for tests. It stores copies,
 * as a database would: a state changed after save is not changed in the store. Rows are keyed like
 * the Cassandra tables, so writing them twice keeps one.
 */
public class InMemoryProfileStore implements ProfileStore {
    private final Map<String, PlayerState> states = new HashMap<>();
    private final Map<String, List<String>> events = new HashMap<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final Map<String, DailyMetrics.Row> metrics = new HashMap<>();
    private final Map<String, String> outbox = new HashMap<>();
    private final Map<String, Exposure> exposures = new LinkedHashMap<>();
    private final Map<String, Conversion> conversions = new LinkedHashMap<>();

    @Override
    public synchronized Map<String, CompletableFuture<PlayerState>> loadAll(Collection<String> playerIds) {
        Map<String, CompletableFuture<PlayerState>> out = new LinkedHashMap<>();
        for (String p : playerIds) {
            out.put(p, CompletableFuture.completedFuture(state(p)));
        }
        return out;
    }

    @Override
    public synchronized Map<String, CompletableFuture<Void>> writeRows(Map<String, PlayerRows> rowsByPlayer) {
        Map<String, CompletableFuture<Void>> out = new LinkedHashMap<>();
        rowsByPlayer.forEach((player, rows) -> {
            List<String> ids = events.computeIfAbsent(player, p -> new ArrayList<>());
            for (EventRow e : rows.events()) {
                if (!ids.contains(e.eventId())) {
                    ids.add(e.eventId());
                }
            }
            for (Decision d : rows.decisions()) {
                if (!decisions.contains(d)) {
                    decisions.add(d);
                }
            }
            for (DailyMetrics.Row r : rows.metrics()) {
                metrics.put(r.day() + "/" + r.metric() + "/" + r.reached() + "/" + r.playerId(), r);
            }
            for (OutboxRow t : rows.triggers()) {
                outbox.put(t.playerId() + "/" + t.triggerId(), t.json());
            }
            // keyed like campaign_exposures and campaign_conversions: (campaign, player, trigger id)
            for (Exposure x : rows.exposures()) {
                exposures.put(x.campaign() + "/" + x.playerId() + "/" + x.triggerId(), x);
            }
            for (Conversion c : rows.conversions()) {
                Exposure x = c.exposure();
                conversions.put(x.campaign() + "/" + x.playerId() + "/" + x.triggerId(), c);
            }
            out.put(player, CompletableFuture.completedFuture(null));
        });
        return out;
    }

    @Override
    public synchronized CompletableFuture<Map<String, String>> loadTriggers(String playerId, Collection<String> ids) {
        Map<String, String> out = new HashMap<>();
        for (String id : ids) {
            String json = outbox.get(playerId + "/" + id);
            if (json != null) {
                out.put(id, json);
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public synchronized Map<String, CompletableFuture<Void>> saveAll(Collection<PlayerState> toSave, Instant updatedAt) {
        Map<String, CompletableFuture<Void>> out = new LinkedHashMap<>();
        for (PlayerState s : toSave) {
            states.put(s.playerId(), copy(s));
            out.put(s.playerId(), CompletableFuture.completedFuture(null));
        }
        return out;
    }

    /** A copy as the store keeps it: the outbox without the triggers (they are in the outbox rows). */
    private static PlayerState copy(PlayerState s) {
        return new PlayerState(s.playerId(), s.profileJson(), PlayerCampaigns.fromJson(s.campaigns().toJson()),
                s.version(), s.applied(), PlayerState.outboxFromJson(s.outboxJson()), s.dailyJson(), s.exposuresJson());
    }

    public synchronized PlayerState state(String playerId) {
        PlayerState s = states.get(playerId);
        return s == null ? PlayerState.fresh(playerId) : copy(s);
    }

    public synchronized List<String> eventIds(String playerId) {
        return List.copyOf(events.getOrDefault(playerId, List.of()));
    }

    public synchronized List<Decision> decisions() {
        return List.copyOf(decisions);
    }

    public synchronized List<Exposure> exposures() {
        return List.copyOf(exposures.values());
    }

    public synchronized List<Conversion> conversions() {
        return List.copyOf(conversions.values());
    }

    /** Players who reached {@code value} of {@code metric} on {@code day}. */
    public synchronized long countReached(LocalDate day, String metric, int value) {
        return metrics.values().stream().filter(r -> r.day().equals(day) && r.metric().equals(metric)
                && r.reached() == value).count();
    }
}
