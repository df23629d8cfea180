package io.gamecrm.it;

import io.gamecrm.RepoPaths;
import io.gamecrm.offline.OfflineRun;
import io.gamecrm.testing.Events;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic stream of fights and logins for a few players, and what it implies: the
 * profiles and the trigger ids the shipped handlers produce, computed offline (no server) by the
 * same runtime. The integration tests compare what the topology stored and emitted with this.
 */
public final class StreamOracle {
    /** One record for the raw topic. */
    public record Record(String player, String json) {
    }

    private final List<Record> records = new ArrayList<>();
    private final Map<String, Map<String, Object>> profiles;
    private final Set<String> triggerIds = new LinkedHashSet<>();
    private final Map<String, Integer> eventsPerPlayer = new LinkedHashMap<>();

    public StreamOracle(long seed, int players, int events) throws IOException {
        Random random = new Random(seed);
        Instant t0 = Instant.parse("2026-11-26T08:00:00Z");
        List<String> jsons = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String player = "p" + random.nextInt(players);
            String id = Events.id(player + "/" + seed, i);
            Instant at = t0.plusMillis(i * 50L);
            String json = random.nextInt(5) == 0 ? Events.loginJson(id, player, at)
                    : Events.fightJson(id, player, random.nextInt(100) < 55 ? "lost" : "won", at);
            records.add(new Record(player, json));
            jsons.add(json);
            eventsPerPlayer.merge(player, 1, Integer::sum);
        }
        OfflineRun.Report report = OfflineRun.run(RepoPaths.handlers(), jsons, Map.of());
        report.events().forEach(e -> e.triggers().forEach(t -> triggerIds.add((String) t.get("trigger_id"))));
        profiles = report.profiles();
    }

    public List<Record> records() {
        return records;
    }

    public Map<String, Map<String, Object>> profiles() {
        return profiles;
    }

    public Set<String> triggerIds() {
        return triggerIds;
    }

    public Map<String, Integer> eventsPerPlayer() {
        return eventsPerPlayer;
    }
}
