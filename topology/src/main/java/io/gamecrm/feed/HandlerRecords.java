package io.gamecrm.feed;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.json.Json;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The records of the handlers topic (compacted, one partition, crm.topic.handlers), which carries
 * the handler directory to every CRM task:
 * <ul>
 *   <li>{@code file:<name>} - a handler file that passed the publisher's checks: name, version, source;
 *       a tombstone when the file was deleted;</li>
 *   <li>{@code control} - the kill switch (control.json): campaigns paused, with reasons;</li>
 *   <li>{@code budget-pause:<campaign>} - a campaign that spent its budget and paused itself;
 *       a tombstone resumes it;</li>
 *   <li>{@code manifest} - the complete set at a point in time: file names and versions. A task
 *       switches to a new set only when every file a manifest lists has arrived in that version.</li>
 * </ul>
 */
public final class HandlerRecords {
    public static final String FILE_PREFIX = "file:";
    public static final String CONTROL = "control";
    public static final String BUDGET_PREFIX = "budget-pause:";
    public static final String MANIFEST = "manifest";

    private HandlerRecords() {
    }

    /**
     * A manifest: sequence number, files by name with their versions, control version, and the
     * files in the order they were first published (the order of precedence when two files declare
     * the same campaign, handler or profile key: the earlier keeps it).
     */
    public record Manifest(long seq, Map<String, String> files, String controlVersion, List<String> order) {
        public Manifest(long seq, Map<String, String> files, String controlVersion) {
            this(seq, files, controlVersion, List.copyOf(new TreeSet<>(files.keySet())));
        }
    }

    public static String fileKey(String name) {
        return FILE_PREFIX + name;
    }

    public static String fileValue(HandlerFile f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("version", f.version());
        m.put("source", f.source());
        return Json.write(m);
    }

    public static HandlerFile parseFile(String value) {
        Map<String, Object> m = Json.readObject(value);
        HandlerFile f = HandlerFile.of((String) m.get("name"), (String) m.get("source"));
        if (!f.version().equals(m.get("version"))) {
            throw new IllegalArgumentException("file " + f.name() + " does not match its version");
        }
        return f;
    }

    public static String manifestValue(Manifest manifest, String host) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", manifest.seq());
        m.put("files", manifest.files());
        m.put("control", manifest.controlVersion());
        m.put("order", manifest.order());
        m.put("published_by", host);
        m.put("published_at", Instant.now().toString());
        return Json.write(m);
    }

    @SuppressWarnings("unchecked")
    public static Manifest parseManifest(String value) {
        Map<String, Object> m = Json.readObject(value);
        Map<String, String> files = new LinkedHashMap<>((Map<String, String>) m.get("files"));
        List<String> order = (List<String>) m.get("order");
        if (order == null || !new HashSet<>(order).equals(files.keySet())) {
            order = List.copyOf(new TreeSet<>(files.keySet())); // a manifest of an older publisher
        }
        return new Manifest(((Number) m.get("seq")).longValue(), files, (String) m.get("control"), List.copyOf(order));
    }

    /** control.json as published: {"version": …, "paused": {id: reason}}. */
    public static String controlValue(Map<String, String> paused, String version) {
        return Json.write(Map.of("version", version, "paused", paused));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> parseControlPaused(String value) {
        return new LinkedHashMap<>((Map<String, String>) Json.readObject(value).get("paused"));
    }

    public static String controlVersion(String value) {
        return (String) Json.readObject(value).get("version");
    }

    public static String budgetValue(String campaign, String reason, String by) {
        return Json.write(Map.of("campaign", campaign, "reason", reason, "by", by, "at", Instant.now().toString()));
    }

    public static String budgetReason(String value) {
        return (String) Json.readObject(value).get("reason");
    }

    /**
     * Parses the kill-switch file: {@code {"paused": {"campaign-id": "why"}}}. The message of the
     * exception says what is wrong.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, String> parseControlFile(String json) {
        Map<String, Object> m = Json.readObject(json);
        for (String key : m.keySet()) {
            if (!"paused".equals(key) && !"description".equals(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (allowed: paused, description)");
            }
        }
        Object paused = m.getOrDefault("paused", Map.of());
        if (!(paused instanceof Map<?, ?> pm)) {
            throw new IllegalArgumentException("'paused' must be an object of campaign id to reason");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : pm.entrySet()) {
            if (!(e.getValue() instanceof String reason) || reason.isBlank()) {
                throw new IllegalArgumentException("paused campaign '" + e.getKey() + "' needs a reason (a non-empty string)");
            }
            out.put((String) e.getKey(), reason);
        }
        return out;
    }

    static CampaignControl control(Map<String, String> paused, Map<String, String> budgeted) {
        return new CampaignControl(Map.copyOf(paused), Map.copyOf(budgeted));
    }
}
