package io.gamecrm.offline;

import io.gamecrm.Names;
import io.gamecrm.campaign.CampaignDef;
import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Holdout;
import io.gamecrm.campaign.PlayerCampaigns;
import io.gamecrm.crm.CrmCore;
import io.gamecrm.crm.CrmEvent;
import io.gamecrm.crm.DailyMetrics;
import io.gamecrm.crm.PlayerState;
import io.gamecrm.crm.TaskRouting;
import io.gamecrm.feed.DirectorySnapshot;
import io.gamecrm.feed.FeedState;
import io.gamecrm.feed.HandlerPublisher;
import io.gamecrm.handlers.BreakerSettings;
import io.gamecrm.handlers.HandlerAlerts;
import io.gamecrm.handlers.HandlerBreakers;
import io.gamecrm.handlers.HandlerFailure;
import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.handlers.HandlerLimits;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerReport;
import io.gamecrm.handlers.HandlerRuntime;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.ThreadClock;
import io.gamecrm.handlers.Watchdog;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Runs a handlers directory against sample events with no server at all, the way the topology
 * would: the files go through the watcher's publisher (the same checks and rejections, the same
 * precedence of campaign ids), the published set is compiled and warmed up as a CRM task does it,
 * and each event goes to the simulated CRM task that owns its player (its own breakers, its share
 * of each campaign's budget), with the limits of the same properties file. What the topology would
 * send to crm-maintenance (rejections, disabled handlers, paused campaigns, handler errors, repaired
 * profiles) is in the report. For game designers ({@code crm handlers test}) and the fixture tests.
 *
 * <p>Sample events may leave out what a test does not care about: a missing {@code event_id}
 * becomes a UUID derived from the event's position, a missing {@code timestamp} is one second
 * after the previous event (starting 2026-01-01T10:00:00Z), a missing {@code game} is "test".
 * Caps use the event time; budgets and breakers use the clock given (the system clock in the CLI,
 * as in the topology).
 */
public final class OfflineRun {
    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    private OfflineRun() {
    }

    /**
     * How the run is set up, as the topology would be from the same properties.
     *
     * @param tasks       CRM tasks (crm.crm.tasks): players are spread over them as the fields grouping does
     * @param clock       wall clock of budgets, breakers and trigger creation times
     * @param maxBytes    largest event (crm.event.max.bytes)
     * @param threadClock the clocks of handler calls (tests drive their own)
     * @param watchdog    the watchdog of handler calls
     * @param globalHoldout the share of each game's players that gets no campaign (crm.holdout.global)
     */
    public record Options(HandlerLimits limits, BreakerSettings breaker, int tasks, Clock clock, int maxBytes,
                          ThreadClock threadClock, Watchdog watchdog, double globalHoldout) {
        public Options {
            Holdout.checkGlobalShare(globalHoldout);
        }

        public Options(HandlerLimits limits, BreakerSettings breaker, int tasks, Clock clock, int maxBytes) {
            this(limits, breaker, tasks, clock, maxBytes, ThreadClock.SYSTEM, Watchdog.shared(), 0);
        }

        public static Options defaults() {
            return fromProperties(new Properties(), Clock.systemUTC());
        }

        public HandlerRuntime runtime() {
            return new HandlerRuntime(limits, watchdog, threadClock);
        }

        /** The settings a topology started with these properties would have. */
        public static Options fromProperties(Properties p, Clock clock) {
            int tasks = Integer.parseInt(p.getProperty(Names.Props.CRM_TASKS, "16").trim());
            int maxBytes = Integer.parseInt(p.getProperty(Names.Props.EVENT_MAX_BYTES,
                    Integer.toString(EventValidator.DEFAULT_MAX_BYTES)).trim());
            double globalHoldout = Holdout.globalShareOf(p);
            return new Options(HandlerLimits.fromProperties(p), BreakerSettings.fromProperties(p), Math.max(1, tasks),
                    clock, maxBytes, ThreadClock.SYSTEM, Watchdog.shared(), globalHoldout);
        }

        public Options withClock(Clock c) {
            return new Options(limits, breaker, tasks, c, maxBytes, threadClock, watchdog, globalHoldout);
        }

        /** The same, with handler calls measured by these clocks and watchdog (tests). */
        public Options withCalls(HandlerLimits l, ThreadClock t, Watchdog w) {
            return new Options(l, breaker, tasks, clock, maxBytes, t, w, globalHoldout);
        }
    }

    /**
     * What happened to one input event; {@code exposures} and {@code conversions} are those the
     * topology would record for it (campaigns with a conversion rule).
     */
    public record EventReport(int index, String playerId, String eventId, String eventType, String invalidReason,
                              int task, Map<String, Object> changes, List<Map<String, Object>> triggers,
                              List<Decision> decisions, List<HandlerFailure> failures, List<String> logs,
                              List<Exposure> exposures, List<Conversion> conversions) {
    }

    /**
     * The whole run: rejected files, the calls the watchdog stopped while the set warmed up (a CRM
     * task disables those handlers before its first event, so they fail no event), per-event reports,
     * final profiles, the maintenance reports, and the campaigns the set declares (as a CRM task
     * loaded them: id, caps, holdout, conversion).
     */
    public record Report(String setVersion, List<HandlerProblem> rejectedFiles, List<HandlerFailure> warmUpFailures,
                         Map<String, String> paused, List<EventReport> events, Map<String, Map<String, Object>> profiles,
                         List<HandlerReport> reports, Map<String, CampaignDef> campaigns) {
    }

    /** Runs with the default settings and the system clock. */
    public static Report run(Path handlersDir, List<String> events, Map<String, Map<String, Object>> profiles)
            throws IOException {
        return run(handlersDir, events, profiles, Options.defaults());
    }

    /**
     * @param events   the events, each a JSON object (possibly partial, see the class comment)
     * @param profiles starting profiles by player id
     */
    public static Report run(Path handlersDir, List<String> events, Map<String, Map<String, Object>> profiles,
                             Options options) throws IOException {
        List<HandlerReport> reports = new ArrayList<>();
        HandlerRuntime runtime = options.runtime();

        // the watcher: what would be published
        DirectorySnapshot dir = DirectorySnapshot.read(handlersDir);
        FeedState topic = new FeedState();
        HandlerPublisher.Plan plan = new HandlerPublisher(runtime).plan(topic, dir.files(), dir.controlJson());
        plan.records().forEach(c -> topic.apply(c.key(), c.value()));
        List<HandlerProblem> rejected = new ArrayList<>(plan.rejected());
        plan.rejected().forEach(p -> reports.add(HandlerReport.rejected(p, "published")));

        // a CRM task: the published set, compiled and warmed up
        List<HandlerFile> files = topic.manifestFiles() == null ? List.of() : topic.manifestFiles();
        HandlerSet.Compilation compilation = HandlerSet.compile(files, runtime);
        compilation.problems().forEach(p -> reports.add(HandlerReport.rejected(p, "loaded")));
        rejected.addAll(compilation.problems());
        HandlerSet set = compilation.set();
        SchemaCatalog catalog = SchemaCatalog.fromClasspath();
        set.warmUp(catalog.validExamples());
        List<HandlerFailure> warmUpFailures = set.stoppedInWarmUp().stream().map(HandlerSet.Stopped::failure).toList();

        CampaignControl[] control = {topic.control()};
        Map<String, String> paused = topic.paused();
        Clock clock = options.clock();
        List<CrmCore> tasks = new ArrayList<>();
        for (int t = 0; t < options.tasks(); t++) {
            CampaignGuard guard = new CampaignGuard(options.tasks(), clock::millis, () -> control[0], (c, reason) -> {
                reports.add(HandlerReport.campaignPaused(c, reason));
                Map<String, String> budgeted = new LinkedHashMap<>(control[0].budgeted());
                budgeted.put(c.id(), reason);
                control[0] = new CampaignControl(control[0].paused(), budgeted);
            });
            HandlerBreakers breakers = new HandlerBreakers(options.breaker(), clock::millis,
                    new HandlerAlerts(clock::millis, reports::add, (h, phase, inv) -> { }));
            // as a CRM task does when it swaps the set in
            set.stoppedInWarmUp().forEach(st -> breakers.record(st.handler(), st.phase(), st.invocation()));
            tasks.add(new CrmCore(() -> set, breakers, guard, new Triggers(catalog), clock, DailyMetrics.NONE,
                    options.globalHoldout()));
        }
        EventValidator validator = new EventValidator(catalog, options.maxBytes());

        Map<String, PlayerState> states = new LinkedHashMap<>();
        profiles.forEach((player, p) -> states.put(player,
                new PlayerState(player, Json.write(p), PlayerCampaigns.empty(), 1, Map.of(), List.of())));
        List<EventReport> out = new ArrayList<>();
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
                out.add(new EventReport(i, String.valueOf(e.get("player_id")), String.valueOf(e.get("event_id")),
                        String.valueOf(e.get("event_type")), inv.rejection().reason() + ": " + inv.rejection().message(),
                        -1, Map.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of()));
                continue;
            }
            ValidEvent v = ((ValidationResult.Valid) result).event();
            previous = v.timestamp();
            int task = TaskRouting.taskIndex(v.playerId(), options.tasks());
            PlayerState state = states.computeIfAbsent(v.playerId(), PlayerState::fresh);
            CrmEvent event = new CrmEvent(v.eventId(), v.eventType(), v.playerId(), v.timestamp(), v.json(), 0, i,
                    v.timestamp().toEpochMilli());
            CrmCore.Result r = tasks.get(task).apply(event, state);
            if (r.repair() != null) {
                reports.add(HandlerReport.profileRepaired(v.playerId(), r.repair()));
            }
            List<Map<String, Object>> triggers = new ArrayList<>();
            r.triggers().forEach(t -> triggers.add(Json.readObject(t.json())));
            List<String> logs = new ArrayList<>();
            r.logs().forEach(l -> logs.add(HandlerReport.logged(v.playerId(), v.eventId(), l).message()));
            out.add(new EventReport(i, v.playerId(), v.eventId(), v.eventType(), null, task, r.changes(), triggers,
                    r.decisions(), r.failures(), logs, r.exposures(), r.conversions()));
        }
        Map<String, Map<String, Object>> finalProfiles = new LinkedHashMap<>();
        states.forEach((player, s) -> finalProfiles.put(player, Json.readObject(s.profileJson())));
        return new Report(set.version(), List.copyOf(rejected), warmUpFailures, paused, out, finalProfiles,
                List.copyOf(reports), Map.copyOf(set.campaigns()));
    }
}
