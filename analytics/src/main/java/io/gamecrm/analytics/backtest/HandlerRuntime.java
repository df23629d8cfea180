package io.gamecrm.analytics.backtest;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.PlayerCampaigns;
import io.gamecrm.crm.CrmCore;
import io.gamecrm.crm.CrmEvent;
import io.gamecrm.crm.DailyMetrics;
import io.gamecrm.crm.PlayerState;
import io.gamecrm.feed.DirectorySnapshot;
import io.gamecrm.feed.HandlerRecords;
import io.gamecrm.handlers.BreakerSettings;
import io.gamecrm.handlers.HandlerBreakers;
import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.EventValidator;
import io.gamecrm.validation.SchemaCatalog;
import io.gamecrm.validation.ValidEvent;
import io.gamecrm.validation.ValidationResult;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The one adapter between analytics and the topology's handler runtime: the same validation,
 * sandbox, time budget, circuit breakers, campaign caps, budgets and modes as the CRM bolt, fed
 * one player's events after another in order, on in-memory player states. Nothing else in this
 * module touches {@code io.gamecrm.handlers}, {@code io.gamecrm.crm} or {@code io.gamecrm.campaign}:
 * when the runtime's signatures change, this class is what changes.
 *
 * <p>Clock: caps, cooldowns, budget windows and breakers run on event time (the latest event seen),
 * as {@code crm handlers test} does, so a replay of last week decides as last week did. The campaign
 * budget is shared as in the topology: each of {@code tasks} runtimes (one per Spark partition,
 * players spread by hash) enforces {@code max / tasks}, rounded up.
 *
 * <p>Not thread-safe: one instance per thread (a Nashorn engine lives in it).
 */
public final class HandlerRuntime {
    /** A handlers folder as shipped to executors: file name to source, and control.json (or null). */
    public record Source(Map<String, String> files, String controlJson) implements Serializable {
        public Source {
            files = new TreeMap<>(files);
        }

        /** Reads {@code dir} as the topology's handler-watcher does (every *.js file, control.json). */
        public static Source read(Path dir) throws IOException {
            DirectorySnapshot snapshot = DirectorySnapshot.read(dir);
            Map<String, String> files = new TreeMap<>();
            snapshot.files().forEach((name, f) -> files.put(name, f.source()));
            return new Source(files, snapshot.controlJson());
        }
    }

    /** A file the runtime refused (it does not run), and why. */
    public record Problem(String file, String reason) implements Serializable {
    }

    /** A decision about one offer a campaign handler asked for (or failed to ask for). */
    public record Offer(String campaign, String handler, String handlerVersion, String outcome, boolean fired,
                        String reason, String triggerId, String params) {
    }

    /** What one event did; {@code invalidReason} is set (and nothing else) when validation refused it. */
    public record Step(String playerId, String eventId, String eventType, Instant eventTime, String invalidReason,
                       List<Offer> offers, List<String> triggers, Map<String, Object> changes) {
    }

    private final String setVersion;
    private final List<Problem> problems;
    private final EventValidator validator;
    private final CrmCore core;
    private final long[] clock;
    private final Map<String, PlayerState> states = new HashMap<>();
    private long offset;

    private HandlerRuntime(String setVersion, List<Problem> problems, EventValidator validator, CrmCore core,
                           long[] clock) {
        this.setVersion = setVersion;
        this.problems = problems;
        this.validator = validator;
        this.core = core;
        this.clock = clock;
    }

    /**
     * Compiles the handler set (a refused file is left out, as the topology would keep it out) and
     * prepares an empty runtime.
     *
     * @param tasks how many runtimes share the campaign budgets (at least 1)
     */
    public static HandlerRuntime start(Source source, int tasks) {
        return start(source, tasks, 0);
    }

    /**
     * Like {@link #start(Source, int)}, with the game's global holdout ({@code crm.holdout.global},
     * in [0, 0.5]) as the topology applies it: its players get {@code HOLDOUT_GLOBAL}, not offers.
     */
    public static HandlerRuntime start(Source source, int tasks, double globalHoldout) {
        long[] clock = {0};
        Wiring w = wire(source, tasks, DailyMetrics.NONE, () -> clock[0], globalHoldout);
        return new HandlerRuntime(w.set().version(), w.problems(),
                new EventValidator(w.catalog(), EventValidator.DEFAULT_MAX_BYTES), w.core(), clock);
    }

    /**
     * The CRM bolt's per-event core on this handler set, with the daily analytics of {@code metrics}
     * (as crm.analytics.metrics and crm.analytics.cap), on the given clock: what a test hands to the
     * topology's BatchProcessor to write a history exactly as the topology does.
     */
    public static CrmCore topologyCore(Source source, int tasks, String metrics, int cap, LongSupplier clockMillis) {
        Wiring w = wire(source, tasks, DailyMetrics.of(metrics, cap), clockMillis, 0);
        if (!w.problems().isEmpty()) {
            throw new IllegalArgumentException("handler files refused: " + w.problems());
        }
        return w.core();
    }

    private record Wiring(HandlerSet set, List<Problem> problems, SchemaCatalog catalog, CrmCore core) {
    }

    private static Wiring wire(Source source, int tasks, DailyMetrics daily, LongSupplier clockMillis,
                               double globalHoldout) {
        List<HandlerFile> files = new ArrayList<>();
        source.files().forEach((name, text) -> files.add(HandlerFile.of(name, text)));
        HandlerSet.Compilation compilation = HandlerSet.compile(files);
        List<Problem> problems = new ArrayList<>();
        for (HandlerProblem p : compilation.problems()) {
            problems.add(new Problem(p.file(), p.reason()));
        }
        Map<String, String> paused = Map.of();
        if (source.controlJson() != null) {
            try {
                paused = HandlerRecords.parseControlFile(source.controlJson());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(DirectorySnapshot.CONTROL_FILE, e.getMessage()));
            }
        }
        CampaignControl control = new CampaignControl(paused, Map.of());
        HandlerSet set = compilation.set();
        CampaignGuard guard = new CampaignGuard(tasks, clockMillis, () -> control, (c, r) -> { });
        HandlerBreakers breakers = new HandlerBreakers(BreakerSettings.DEFAULTS, clockMillis,
                new HandlerBreakers.Listener() {
                    @Override
                    public void disabled(HandlerSet.Handler handler, String reason) {
                    }

                    @Override
                    public void enabled(HandlerSet.Handler handler) {
                    }
                });
        SchemaCatalog catalog = SchemaCatalog.fromClasspath();
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(clockMillis.getAsLong());
            }
        };
        CrmCore core = new CrmCore(() -> set, breakers, guard, new Triggers(catalog), clock, daily, globalHoldout);
        return new Wiring(set, List.copyOf(problems), catalog, core);
    }

    /** The version of the compiled set (as {@code handlers.loaded} reports it). */
    public String setVersion() {
        return setVersion;
    }

    public List<Problem> problems() {
        return problems;
    }

    /** Starts a player from a stored profile and campaign history instead of an empty one. */
    public void seed(String playerId, String profileJson, String campaignsJson) {
        states.put(playerId, new PlayerState(playerId, profileJson, PlayerCampaigns.fromJson(campaignsJson), 1,
                Map.of(), List.of()));
    }

    /** Runs one event (the JSON the game sent) through validation and the handlers; events in order. */
    public Step apply(String eventJson) {
        ValidationResult result = validator.validate(eventJson.getBytes(StandardCharsets.UTF_8));
        if (result instanceof ValidationResult.Invalid invalid) {
            return new Step(null, null, null, null,
                    invalid.rejection().reason() + ": " + invalid.rejection().message(), List.of(), List.of(), Map.of());
        }
        ValidEvent v = ((ValidationResult.Valid) result).event();
        clock[0] = Math.max(clock[0], v.timestamp().toEpochMilli());
        PlayerState state = states.computeIfAbsent(v.playerId(), PlayerState::fresh);
        CrmEvent event = new CrmEvent(v.eventId(), v.eventType(), v.playerId(), v.timestamp(), v.json(), 0, offset++,
                v.timestamp().toEpochMilli());
        CrmCore.Result r = core.apply(event, state);
        List<Offer> offers = new ArrayList<>(r.decisions().size());
        for (Decision d : r.decisions()) {
            offers.add(new Offer(d.campaign(), d.handler(), d.handlerVersion(), d.outcome().name(),
                    !d.outcome().suppressed(), d.reason(), d.triggerId(), d.params()));
        }
        List<String> triggers = new ArrayList<>(r.triggers().size());
        r.triggers().forEach(t -> triggers.add(t.json()));
        return new Step(v.playerId(), v.eventId(), v.eventType(), v.timestamp(), null, offers, triggers, r.changes());
    }

    /** Every player's profile (JSON) as the events so far left it. */
    public Map<String, String> profiles() {
        Map<String, String> out = new LinkedHashMap<>();
        states.forEach((player, s) -> out.put(player, s.profileJson()));
        return out;
    }
}
