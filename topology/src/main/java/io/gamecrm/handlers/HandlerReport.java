package io.gamecrm.handlers;

import io.gamecrm.campaign.CampaignDef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report about handlers for crm-maintenance: its type, level, one-line message and details. Built
 * here, in one place, so the topology publishes and the offline runner prints the same reports.
 * The CRM task's own reports (store alerts, decision stats, totals) take the same form, built in
 * {@code io.gamecrm.crm}.
 */
public record HandlerReport(Level level, String type, String message, Map<String, Object> details) {
    public enum Level { INFO, WARN, ERROR }

    /** Where reports go: the maintenance topic in the topology, a list in the offline runner. */
    public interface Sink {
        void report(HandlerReport report);
    }

    public static HandlerReport rejected(HandlerProblem p, String what) {
        return new HandlerReport(Level.ERROR, "handlers.rejected", p.file() + " was not " + what + ": " + p.reason(),
                details("file", p.file(), "version", p.version(), "kind", p.kind().name(), "reason", p.reason()));
    }

    /** A compiled set in effect: its version, its manifest's sequence number, its files' versions, its campaigns. */
    public static HandlerReport loaded(HandlerSet set, long manifestSeq, long compileMillis) {
        Map<String, String> files = new LinkedHashMap<>();
        set.files().forEach((name, f) -> files.put(name, f.version()));
        return new HandlerReport(Level.INFO, "handlers.loaded", "handler set " + set.version() + " (" + files.size()
                + " files, manifest " + manifestSeq + ") in effect", details("set_version", set.version(),
                "manifest_seq", manifestSeq, "files", files, "campaigns", List.copyOf(set.campaigns().keySet()),
                "compile_ms", compileMillis));
    }

    public static HandlerReport disabled(HandlerSet.Handler h, String reason) {
        return new HandlerReport(Level.ERROR, "handler.disabled", "handler '" + h.name() + "' (" + h.file().name() + "@"
                + h.file().version() + ") is disabled: " + reason, details("handler", h.name(), "file", h.file().name(),
                "version", h.file().version(), "reason", reason));
    }

    public static HandlerReport enabled(HandlerSet.Handler h) {
        return new HandlerReport(Level.INFO, "handler.enabled", "handler '" + h.name() + "' runs again after its cool-down",
                details("handler", h.name(), "file", h.file().name(), "version", h.file().version()));
    }

    /** A handler's failure; {@code count} failures of it since its last report. */
    public static HandlerReport error(HandlerSet.Handler h, HandlerFailure.Phase phase, Invocation inv, long count) {
        return new HandlerReport(Level.WARN, "handler.error", "handler '" + h.name() + "' (" + h.file().name() + "@"
                + h.file().version() + ") failed in " + phase.name().toLowerCase(Locale.ROOT) + " ("
                + inv.kind().name().toLowerCase(Locale.ROOT) + "): " + inv.message()
                + (count > 1 ? " (" + count + " failures since the last report)" : ""),
                details("handler", h.name(), "file", h.file().name(), "version", h.file().version(),
                        "kind", inv.kind().name(), "message", inv.message(), "count", count));
    }

    public static HandlerReport campaignPaused(CampaignDef campaign, String reason) {
        return new HandlerReport(Level.ERROR, "campaign.paused", "campaign '" + campaign.id()
                + "' spent its budget and paused itself: " + reason + "; resume it with: crm campaign resume "
                + campaign.id(), details("campaign", campaign.id(), "reason", reason));
    }

    public static HandlerReport profileRepaired(String playerId, ProfileHealth.Repair repair) {
        return new HandlerReport(Level.WARN, "profile.repaired", "profile of player " + playerId + " repaired: "
                + repair.reason(), details("player_id", playerId, "dropped", repair.dropped(), "reason", repair.reason()));
    }

    public static HandlerReport logged(String playerId, String eventId, HandlerOutcome.Log log) {
        return new HandlerReport(Level.INFO, "handler.log", "handler '" + log.handler() + "' on event " + eventId + ": "
                + String.join(" | ", log.lines()) + (log.dropped() > 0 ? " (+" + log.dropped() + " lines dropped)" : ""),
                details("handler", log.handler(), "file", log.file(), "player_id", playerId, "event_id", eventId,
                        "lines", log.lines(), "dropped", log.dropped()));
    }

    private static Map<String, Object> details(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1] instanceof List<?> l ? List.copyOf(l) : kv[i + 1]);
        }
        return m;
    }
}
