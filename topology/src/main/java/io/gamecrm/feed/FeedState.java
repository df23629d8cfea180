package io.gamecrm.feed;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.handlers.HandlerFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The handlers topic folded into state: the latest value of every key. Pure; fed record by record
 * in topic order by whoever follows the topic (each CRM task, and the publisher at start).
 */
public final class FeedState {
    private final Map<String, HandlerFile> files = new TreeMap<>();
    private final Map<String, String> paused = new LinkedHashMap<>();
    private String controlVersion;
    private final Map<String, String> budgeted = new TreeMap<>();
    private HandlerRecords.Manifest manifest;

    /** Applies one record (value null = tombstone). Returns what kind of key it was. */
    public Kind apply(String key, String value) {
        if (key == null) {
            return Kind.OTHER;
        }
        if (key.startsWith(HandlerRecords.FILE_PREFIX)) {
            String name = key.substring(HandlerRecords.FILE_PREFIX.length());
            if (value == null) {
                files.remove(name);
            } else {
                files.put(name, HandlerRecords.parseFile(value));
            }
            return Kind.FILE;
        }
        if (key.equals(HandlerRecords.CONTROL)) {
            paused.clear();
            if (value != null) {
                paused.putAll(HandlerRecords.parseControlPaused(value));
                controlVersion = HandlerRecords.controlVersion(value);
            } else {
                controlVersion = null;
            }
            return Kind.CONTROL;
        }
        if (key.startsWith(HandlerRecords.BUDGET_PREFIX)) {
            String campaign = key.substring(HandlerRecords.BUDGET_PREFIX.length());
            if (value == null) {
                budgeted.remove(campaign);
            } else {
                budgeted.put(campaign, HandlerRecords.budgetReason(value));
            }
            return Kind.CONTROL;
        }
        if (key.equals(HandlerRecords.MANIFEST)) {
            manifest = value == null ? null : HandlerRecords.parseManifest(value);
            return Kind.MANIFEST;
        }
        return Kind.OTHER;
    }

    /** What a record changed. */
    public enum Kind { FILE, CONTROL, MANIFEST, OTHER }

    public HandlerRecords.Manifest manifest() {
        return manifest;
    }

    /**
     * The files of the latest manifest, in the order they were first published (precedence), when
     * every one has arrived in the listed version; null while some are missing (a manifest is
     * written after its files, so this is only a moment during compaction or a torn read).
     */
    public List<HandlerFile> manifestFiles() {
        if (manifest == null) {
            return null;
        }
        List<HandlerFile> out = new ArrayList<>();
        for (String name : manifest.order()) {
            HandlerFile f = files.get(name);
            if (f == null || !f.version().equals(manifest.files().get(name))) {
                return null;
            }
            out.add(f);
        }
        return out;
    }

    public CampaignControl control() {
        return HandlerRecords.control(paused, budgeted);
    }

    public Map<String, String> paused() {
        return Map.copyOf(paused);
    }

    public String controlVersion() {
        return controlVersion;
    }

    public Map<String, HandlerFile> files() {
        return Map.copyOf(files);
    }
}
