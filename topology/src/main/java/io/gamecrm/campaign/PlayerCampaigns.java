package io.gamecrm.campaign;

import io.gamecrm.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A player's history with each campaign, kept with the profile but out of handlers' reach: the
 * UTC day and count of the offers of that day, and the time of the last offer (event time, ms).
 * Shadow campaigns keep their own entries ("shadow:" + id), so a shadow run sees the caps it would
 * see live without touching the live ones.
 */
public final class PlayerCampaigns {
    private final Map<String, Entry> entries;

    /** One campaign's entry. */
    public record Entry(long day, int countOnDay, long lastMs) {
    }

    private PlayerCampaigns(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static PlayerCampaigns empty() {
        return new PlayerCampaigns(new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    public static PlayerCampaigns fromJson(String json) {
        PlayerCampaigns pc = empty();
        if (json == null || json.isBlank()) {
            return pc;
        }
        Json.readObject(json).forEach((key, value) -> {
            Map<String, Object> m = (Map<String, Object>) value;
            pc.entries.put(key, new Entry(((Number) m.get("day")).longValue(), ((Number) m.get("count")).intValue(),
                    ((Number) m.get("last")).longValue()));
        });
        return pc;
    }

    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        entries.forEach((k, e) -> out.put(k, Map.of("day", e.day(), "count", e.countOnDay(), "last", e.lastMs())));
        return Json.write(out);
    }

    public Entry get(String key) {
        return entries.get(key);
    }

    /** Records an offer at {@code eventTimeMs}. */
    public void record(String key, long eventTimeMs) {
        long day = Math.floorDiv(eventTimeMs, 86_400_000L);
        Entry e = entries.get(key);
        int count = e != null && e.day() == day ? e.countOnDay() + 1 : 1;
        entries.put(key, new Entry(day, count, Math.max(eventTimeMs, e == null ? eventTimeMs : e.lastMs())));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
