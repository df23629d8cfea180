package io.gamecrm.handlers.offline;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.campaign.Decision;
import io.gamecrm.crm.CrmCore;
import io.gamecrm.crm.CrmEvent;
import io.gamecrm.crm.PlayerState;
import io.gamecrm.handlers.BreakerSettings;
import io.gamecrm.handlers.HandlerBreakers;
import io.gamecrm.handlers.HandlerFailure;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.feed.DirectorySnapshot;
import io.gamecrm.handlers.feed.HandlerRecords;
import io.gamecrm.json.Json;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.EventValidator;
import io.gamecrm.validation.SchemaCatalog;
import io.gamecrm.validation.ValidEvent;
import io.gamecrm.validation.ValidationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs a handlers directory against sample events with no server at all: the same validation,
 * handler runtime, time budget, breakers and campaign guardrails as the topology, on in-memory
 * profiles. For game designers ({@code crm handlers test}) and for the fixture tests.
 *
 * <p>Sample events may leave out what a test does not care about: a missing {@code event_id}
 * becomes a UUID derived from the event's position, a missing {@code timestamp} is one second
 * after the previous event (starting 2026-01-01T10:00:00Z), a missing {@code game} is "test".
 * The clock of caps and budgets is the event time.
 */
public final class OfflineRun {
    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    private OfflineRun() {
    }

    /** What happened to one input event. */
    public record EventReport(int index, String playerId, String eventId, String eventType, String invalidReason,
                              Map<String, Object> changes, List<Map<String, Object>> triggers, List<Decision> decisions,
                              List<HandlerFailure> failures) {
    }

    /** The whole run: rejected files, per-event reports and final profiles. */
    public record Report(String setVersion, List<HandlerProblem> rejectedFiles, Map<String, String> paused,
                         List<EventReport> events, Map<String, Map<String, Object>> profiles) {
    }

    /**
     * @param events   the events, each a JSON object (possibly partial, see the class comment)
     * @param profiles starting profiles by player id
     */
    public static Report run(Path handlersDir, List<String> events, Map<String, Map<String, Object>> profiles)
            throws IOException {
        DirectorySnapshot dir = DirectorySnapshot.read(handlersDir);
        HandlerSet.Compilation compilation = HandlerSet.compile(List.copyOf(dir.files().values()));
        List<HandlerProblem> rejected = new ArrayList<>(compilation.problems());
        Map<String, String> paused = Map.of();
        if (dir.controlJson() != null) {
            try {
                paused = HandlerRecords.parseControlFile(dir.controlJson());
            } catch (IllegalArgumentException e) {
                rejected.add(new HandlerProblem(DirectorySnapshot.CONTROL_FILE, "", e.getMessage()));
            }
        }
        CampaignControl control = new CampaignControl(paused, Map.of());
        HandlerSet set = compilation.set();
        long[] clock = {START.toEpochMilli()};
        CampaignGuard guard = new CampaignGuard(1, () -> clock[0], () -> control, (c, r) -> { });
        HandlerBreakers breakers = new HandlerBreakers(BreakerSettings.DEFAULTS, () -> clock[0],
                new HandlerBreakers.Listener() {
                    @Override
                    public void disabled(HandlerSet.Handler handler, String reason) {
                    }

                    @Override
                    public void enabled(HandlerSet.Handler handler) {
                    }
                });
        SchemaCatalog catalog = SchemaCatalog.fromClasspath();
        EventValidator validator = new EventValidator(catalog, EventValidator.DEFAULT_MAX_BYTES);
        CrmCore core = new CrmCore(() -> set, breakers, guard, new Triggers(catalog),
                Clock.fixed(START, ZoneOffset.UTC));

        Map<String, PlayerState> states = new LinkedHashMap<>();
        profiles.forEach((player, p) -> states.put(player,
                new PlayerState(player, Json.write(p), io.gamecrm.campaign.PlayerCampaigns.empty(), 1, Map.of(), List.of())));
        List<EventReport> reports = new ArrayList<>();
        Instant previous = START.minusSeconds(1);
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> e = new LinkedHashMap<>(Json.readObject(events.get(i)));
            e.putIfAbsent("event_id", UUID.nameUUIDFromBytes(("offline/" + i).getBytes(StandardCharsets.UTF_8)).toString());
            if (!e.containsKey("timestamp")) {
                e.put("timestamp", previous.plusSeconds(1).toString());
            }
            e.putIfAbsent("game", "test");
            String json = Json.write(e);
            ValidationResult result = validator.validate(json.getBytes(StandardCharsets.UTF_8));
            if (result instanceof ValidationResult.Invalid inv) {
                reports.add(new EventReport(i, String.valueOf(e.get("player_id")), String.valueOf(e.get("event_id")),
                        String.valueOf(e.get("event_type")), inv.rejection().reason() + ": " + inv.rejection().message(),
                        Map.of(), List.of(), List.of(), List.of()));
                continue;
            }
            ValidEvent v = ((ValidationResult.Valid) result).event();
            previous = v.timestamp();
            clock[0] = Math.max(clock[0], v.timestamp().toEpochMilli());
            PlayerState state = states.computeIfAbsent(v.playerId(), PlayerState::fresh);
            CrmEvent event = new CrmEvent(v.eventId(), v.eventType(), v.playerId(), v.timestamp(), v.json(), 0, i,
                    v.timestamp().toEpochMilli());
            CrmCore.Result r = core.apply(event, state);
            List<Map<String, Object>> triggers = new ArrayList<>();
            r.triggers().forEach(t -> triggers.add(Json.readObject(t.json())));
            reports.add(new EventReport(i, v.playerId(), v.eventId(), v.eventType(), null, r.changes(), triggers,
                    r.decisions(), r.failures()));
        }
        Map<String, Map<String, Object>> finalProfiles = new LinkedHashMap<>();
        states.forEach((player, s) -> finalProfiles.put(player, Json.readObject(s.profileJson())));
        return new Report(set.version(), rejected, paused, reports, finalProfiles);
    }
}
