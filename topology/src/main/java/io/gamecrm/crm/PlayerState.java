package io.gamecrm.crm;

import io.gamecrm.campaign.OpenExposures;
import io.gamecrm.campaign.PlayerCampaigns;
import io.gamecrm.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A player's state in the CRM task: the profile handlers see, the campaign history, where in the
 * raw topic the last applied event of each partition was, the triggers of the last events (so a
 * replayed event re-emits the same triggers), and the day's highest value of each tracked metric
 * (for the daily analytics), and the exposures that may still convert. Mutable; owned by one CRM task (fields grouping). Written as one
 * Cassandra row, which is what makes an event applied.
 */
public final class PlayerState {
    /** How many recent events keep their triggers for re-emission on replay. */
    static final int OUTBOX_SIZE = 16;

    private final String playerId;
    private String profileJson;
    private final PlayerCampaigns campaigns;
    private long version;
    private final Map<Integer, Long> applied;
    private final List<OutboxEntry> outbox;
    private long dailyDay;
    private final Map<String, Integer> dailyMax;
    private final OpenExposures exposures;
    /** Whether the profile was checked against the limits since it was read (a fresh one needs no check). */
    private boolean profileChecked;

    /**
     * A trigger emitted for the event at (partition, offset). {@code json} is known for triggers
     * made by this task; for a state read from the store it is null, and the trigger is read from
     * trigger_outbox if the event is ever replayed.
     */
    public record OutboxEntry(int partition, long offset, String triggerId, String json) {
    }

    public PlayerState(String playerId, String profileJson, PlayerCampaigns campaigns, long version,
                       Map<Integer, Long> applied, List<OutboxEntry> outbox) {
        this(playerId, profileJson, campaigns, version, applied, outbox, null);
    }

    public PlayerState(String playerId, String profileJson, PlayerCampaigns campaigns, long version,
                       Map<Integer, Long> applied, List<OutboxEntry> outbox, String dailyJson) {
        this(playerId, profileJson, campaigns, version, applied, outbox, dailyJson, null);
    }

    /** @param exposuresJson the open exposures as {@link #exposuresJson()} wrote them; null: none */
    public PlayerState(String playerId, String profileJson, PlayerCampaigns campaigns, long version,
                       Map<Integer, Long> applied, List<OutboxEntry> outbox, String dailyJson, String exposuresJson) {
        this.exposures = OpenExposures.fromJson(playerId, exposuresJson);
        this.playerId = playerId;
        this.profileJson = profileJson == null ? "{}" : profileJson;
        this.campaigns = campaigns;
        this.version = version;
        this.applied = new HashMap<>(applied);
        this.outbox = new ArrayList<>(outbox);
        this.dailyMax = new HashMap<>();
        this.dailyDay = -1;
        if (dailyJson != null && !dailyJson.isBlank()) {
            Map<String, Object> d = Json.readObject(dailyJson);
            this.dailyDay = ((Number) d.get("day")).longValue();
            @SuppressWarnings("unchecked")
            Map<String, Object> max = (Map<String, Object>) d.get("max");
            max.forEach((k, v) -> dailyMax.put(k, ((Number) v).intValue()));
        }
    }

    public static PlayerState fresh(String playerId) {
        PlayerState s = new PlayerState(playerId, "{}", PlayerCampaigns.empty(), 0, Map.of(), List.of());
        s.profileChecked = true;
        return s;
    }

    boolean profileChecked() {
        return profileChecked;
    }

    /** The profile passed the limits check, or was replaced by its repair. */
    void profileChecked(String repairedJson) {
        if (repairedJson != null) {
            profileJson = repairedJson;
        }
        profileChecked = true;
    }

    public String playerId() {
        return playerId;
    }

    public String profileJson() {
        return profileJson;
    }

    public PlayerCampaigns campaigns() {
        return campaigns;
    }

    /** The exposures that may still convert (campaigns with a conversion rule, within their window). */
    public OpenExposures exposures() {
        return exposures;
    }

    /** The open exposures as stored in the state row; null when there are none. */
    public String exposuresJson() {
        return exposures.isEmpty() ? null : exposures.toJson();
    }

    public long version() {
        return version;
    }

    /** The offset of the last event applied to this state, per raw-topic partition. */
    public Map<Integer, Long> applied() {
        return Map.copyOf(applied);
    }

    public List<OutboxEntry> outbox() {
        return List.copyOf(outbox);
    }

    public boolean isNew() {
        return version == 0;
    }

    /** Whether the event at (partition, offset) was already applied to this state. */
    public boolean hasApplied(int partition, long offset) {
        Long last = applied.get(partition);
        return last != null && offset <= last;
    }

    /** The triggers recorded for the event at (partition, offset). */
    public List<OutboxEntry> triggersOf(int partition, long offset) {
        return outbox.stream().filter(e -> e.partition() == partition && e.offset() == offset).toList();
    }

    /** Today's highest value of a tracked metric (0 when none, or when {@code epochDay} is a new day). */
    int dailyMax(long epochDay, String metric) {
        return dailyDay == epochDay ? dailyMax.getOrDefault(metric, 0) : 0;
    }

    void recordDailyMax(long epochDay, String metric, int value) {
        if (dailyDay != epochDay) {
            if (epochDay < dailyDay) {
                return; // a late event of an earlier day: the analytics of that day are closed
            }
            dailyDay = epochDay;
            dailyMax.clear();
        }
        dailyMax.put(metric, value);
    }

    /** Records the event at (partition, offset) as applied: its new profile (null = unchanged) and triggers. */
    void markApplied(int partition, long offset, String newProfileJson, List<OutboxEntry> triggers) {
        if (newProfileJson != null) {
            profileJson = newProfileJson;
        }
        applied.put(partition, offset);
        version++;
        outbox.addAll(triggers);
        // keep the triggers of the last OUTBOX_SIZE events that had any
        while (outbox.stream().map(e -> e.partition() + ":" + e.offset()).distinct().count() > OUTBOX_SIZE) {
            OutboxEntry first = outbox.get(0);
            outbox.removeIf(e -> e.partition() == first.partition() && e.offset() == first.offset());
        }
    }

    public String dailyJson() {
        return dailyDay < 0 ? null : Json.write(Map.of("day", dailyDay, "max", dailyMax));
    }

    /** The outbox as stored in the state row: positions and trigger ids, not the triggers. */
    public String outboxJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (OutboxEntry e : outbox) {
            out.add(Map.of("p", e.partition(), "o", e.offset(), "id", e.triggerId()));
        }
        return Json.write(out);
    }

    @SuppressWarnings("unchecked")
    public static List<OutboxEntry> outboxFromJson(String json) {
        List<OutboxEntry> out = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        try {
            for (Object o : Json.MAPPER.readValue(json, List.class)) {
                Map<String, Object> m = (Map<String, Object>) o;
                out.add(new OutboxEntry(((Number) m.get("p")).intValue(), ((Number) m.get("o")).longValue(),
                        (String) m.get("id"), null));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt outbox: " + e.getMessage(), e);
        }
        return out;
    }
}
