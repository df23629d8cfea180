package io.gamecrm.crm;

import io.gamecrm.campaign.PlayerCampaigns;
import io.gamecrm.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A player's state in the CRM task: the profile handlers see, the campaign history, where in the
 * raw topic the last applied event of each partition was, and the triggers of the last events
 * (so a replayed event re-emits the same triggers). Mutable; owned by one CRM task (fields grouping).
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

    /** A trigger emitted for the event at (partition, offset). */
    public record OutboxEntry(int partition, long offset, String triggerId, String json) {
    }

    public PlayerState(String playerId, String profileJson, PlayerCampaigns campaigns, long version,
                       Map<Integer, Long> applied, List<OutboxEntry> outbox) {
        this.playerId = playerId;
        this.profileJson = profileJson == null ? "{}" : profileJson;
        this.campaigns = campaigns;
        this.version = version;
        this.applied = new HashMap<>(applied);
        this.outbox = new ArrayList<>(outbox);
    }

    public static PlayerState fresh(String playerId) {
        return new PlayerState(playerId, "{}", PlayerCampaigns.empty(), 0, Map.of(), List.of());
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

    public long version() {
        return version;
    }

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

    void applied(int partition, long offset, String newProfileJson, List<OutboxEntry> triggers) {
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

    public String appliedJson() {
        return Json.write(applied);
    }

    public String outboxJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (OutboxEntry e : outbox) {
            out.add(Map.of("p", e.partition(), "o", e.offset(), "id", e.triggerId(), "json", e.json()));
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
                        (String) m.get("id"), (String) m.get("json")));
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("corrupt outbox: " + e.getMessage(), e);
        }
        return out;
    }
}
