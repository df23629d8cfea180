package io.gamecrm.handlers;

import io.gamecrm.campaign.CampaignDef;
import io.gamecrm.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * A compiled, immutable set of handler files, ready to process events. Every file runs in a script
 * global of its own ({@link FileScope}), so nothing one file does changes what another reads,
 * decides or emits; the runtime hands a profile from file to file as JSON and checks what each file
 * hands back (the keys it declared, the campaigns it owns, the size limits).
 *
 * <p>For one event: every update handler of its type runs (in file name order, then declaration
 * order), then every campaign handler sees the updated profile. Each call is bounded
 * ({@link HandlerLimits}): CPU time per call, per file and per event, memory per call, a wall-clock
 * deadline enforced by the {@link Watchdog} also inside built-ins. A call that fails in any way is a
 * typed {@link HandlerFailure}: its writes and requests are dropped, the others still run, and no
 * exception leaves {@link #process}.
 *
 * <p>Not thread-safe: one instance per executor. Build a new one to change handlers; swapping the
 * reference between two events is atomic, so one event never sees two versions.
 */
public final class HandlerSet {
    private static final Handler[] NONE = new Handler[0];
    /** Calls of each handler that get ten times the budget while the engine compiles and links them. */
    static final int WARM_CALLS = 3;
    /** Time allowance of the warm calls, as a multiple of the budgets. */
    private static final int WARM_FACTOR = 10;
    /** Memory and watchdog allowance of the warm calls (the engine links and compiles on a first call). */
    private static final int WARM_MEMORY_FACTOR = 2;
    private static final int WARM_DEADLINE_FACTOR = 2;
    private static final int MESSAGE_CHARS = 500;
    /** Event shapes numbered per set (see {@link EventHandover}); events of further shapes go over as JSON. */
    private static final int MAX_SHAPES = 256;

    /**
     * A registered handler; {@code unit} and {@code index} locate it in its file's script global,
     * {@code id} in the set.
     */
    public record Handler(String name, HandlerFile file, List<String> on, List<String> writes, boolean hasUpdate,
                          boolean hasCampaign, int unit, int index, int id) {
    }

    /** The result of compiling files: the set, and the files left out with the reason. */
    public record Compilation(HandlerSet set, List<HandlerProblem> problems) {
    }

    /** One loaded file: its script global (rebuilt if the watchdog stops a call in it) and what it owns. */
    private static final class Unit {
        final HandlerFile file;
        final String instrumented;
        final WritePatterns writes;
        final List<String> campaignIds;
        FileScope scope;
        String dead;

        Unit(HandlerFile file, String instrumented, FileScope scope, WritePatterns writes, List<String> campaignIds) {
            this.file = file;
            this.instrumented = instrumented;
            this.scope = scope;
            this.writes = writes;
            this.campaignIds = campaignIds;
        }
    }

    private final HandlerRuntime runtime;
    private final CallMeter meter;
    private final Unit[] units;
    private final List<Handler> handlers;
    private final Map<String, Handler[]> updatesByType;
    private final Map<String, Handler[]> campaignsByType;
    private final Handler[] wildcardUpdates;
    private final Handler[] wildcardCampaigns;
    private final Map<String, CampaignDef> campaigns;
    private final Map<String, HandlerFile> files;
    private final int[] callCounts;
    /** Per handler id: how the watchdog names its calls. */
    private final String[] callNames;
    private final String version;
    private final Map<String, Integer> shapeIds = new HashMap<>();
    private final List<String> shapes = new ArrayList<>();
    private long eventSeq;

    private HandlerSet(HandlerRuntime runtime, CallMeter meter, List<Unit> units, List<Handler> handlers,
                       Map<String, CampaignDef> campaigns) {
        this.runtime = runtime;
        this.meter = meter;
        this.units = units.toArray(new Unit[0]);
        this.handlers = List.copyOf(handlers);
        this.campaigns = Collections.unmodifiableMap(new LinkedHashMap<>(campaigns));
        Map<String, HandlerFile> byName = new TreeMap<>();
        units.forEach(u -> byName.put(u.file.name(), u.file));
        this.files = Collections.unmodifiableMap(byName);
        this.callCounts = new int[handlers.size()];
        this.callNames = new String[handlers.size()];
        for (Handler h : handlers) {
            callNames[h.id()] = "handler '" + h.name() + "' (" + h.file().name() + ")";
        }

        Map<String, List<Handler>> updates = new HashMap<>();
        Map<String, List<Handler>> camps = new HashMap<>();
        List<Handler> anyUpdates = new ArrayList<>();
        List<Handler> anyCampaigns = new ArrayList<>();
        for (Handler h : handlers) {
            if (h.on().contains("*")) {
                if (h.hasUpdate()) {
                    anyUpdates.add(h);
                }
                if (h.hasCampaign()) {
                    anyCampaigns.add(h);
                }
            }
        }
        for (Handler h : handlers) {
            for (String type : h.on()) {
                if (!"*".equals(type)) {
                    if (h.hasUpdate()) {
                        updates.computeIfAbsent(type, t -> new ArrayList<>(anyUpdates)).add(h);
                    }
                    if (h.hasCampaign()) {
                        camps.computeIfAbsent(type, t -> new ArrayList<>(anyCampaigns)).add(h);
                    }
                }
            }
        }
        // a type with only one kind of handler still gets the wildcard handlers of the other kind
        for (String type : new ArrayList<>(updates.keySet())) {
            camps.computeIfAbsent(type, t -> new ArrayList<>(anyCampaigns));
        }
        for (String type : new ArrayList<>(camps.keySet())) {
            updates.computeIfAbsent(type, t -> new ArrayList<>(anyUpdates));
        }
        this.updatesByType = sortedByPosition(updates);
        this.campaignsByType = sortedByPosition(camps);
        this.wildcardUpdates = anyUpdates.toArray(NONE);
        this.wildcardCampaigns = anyCampaigns.toArray(NONE);
        this.version = setVersion(byName);
    }

    /** A set with no handler: every event passes through unchanged. */
    public static HandlerSet empty() {
        return compile(List.of()).set();
    }

    /** Compiles the files with the default limits; see {@link #compile(List, HandlerRuntime)}. */
    public static Compilation compile(List<HandlerFile> files) {
        return compile(files, HandlerRuntime.defaults());
    }

    /**
     * Compiles the files, each in a script global of its own. The list's order is the order of
     * precedence: a file that declares a handler name, campaign id or profile key an earlier file
     * already has is left out ({@link HandlerProblem.Kind#CLASH}); the publisher lists files in the
     * order they were first published, so the file already published keeps what it declared.
     * Handlers run in file name order whatever the precedence. A file that fails is left out,
     * reported in {@link Compilation#problems()}, and takes none of its registrations with it.
     */
    public static Compilation compile(List<HandlerFile> files, HandlerRuntime runtime) {
        return compile(files, runtime, ScriptSandbox.newEngine());
    }

    static Compilation compile(List<HandlerFile> files, HandlerRuntime runtime, ScriptSandbox.Engine firstEngine) {
        CallMeter meter = new CallMeter(runtime.clock());
        ScriptSandbox.Engine engine = firstEngine;
        List<Unit> units = new ArrayList<>();
        List<FileRegistrations> regs = new ArrayList<>();
        List<HandlerProblem> problems = new ArrayList<>();
        for (HandlerFile file : files) {
            FileLoader.Loading loading = FileLoader.load(engine, file, runtime, meter);
            if (loading.engineSpoiled()) {
                engine = ScriptSandbox.newEngine();
            }
            if (loading.problem() != null) {
                problems.add(loading.problem());
                continue;
            }
            String clash = FileRegistrations.clash(loading.registrations(), regs);
            if (clash != null) {
                problems.add(new HandlerProblem(file.name(), file.version(), HandlerProblem.Kind.CLASH, clash));
                continue;
            }
            regs.add(loading.registrations());
            units.add(new Unit(file, loading.instrumented(), loading.scope(), loading.registrations().writes(),
                    loading.registrations().campaigns().stream().map(CampaignDef::id).toList()));
        }
        // execution order: by file name, then declaration order
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> units.get(a).file.name().compareTo(units.get(b).file.name()));
        List<Unit> sorted = new ArrayList<>();
        List<Handler> handlers = new ArrayList<>();
        Map<String, CampaignDef> campaigns = new LinkedHashMap<>();
        for (int i : order) {
            Unit u = units.get(i);
            FileRegistrations r = regs.get(i);
            int unit = sorted.size();
            sorted.add(u);
            for (int k = 0; k < r.handlers().size(); k++) {
                FileRegistrations.HandlerDecl d = r.handlers().get(k);
                handlers.add(new Handler(d.name(), u.file, d.on(), d.writes(), d.update(), d.campaign(), unit, k,
                        handlers.size()));
            }
            r.campaigns().forEach(c -> campaigns.put(c.id(), c));
        }
        return new Compilation(new HandlerSet(runtime, meter, sorted, handlers, campaigns), List.copyOf(problems));
    }

    /** Runs the handlers of one event with no breaker (tools, tests). */
    public HandlerOutcome process(String eventType, long eventTimeMs, String eventJson, String profileJson) {
        return process(eventType, "", eventTimeMs, eventJson, profileJson, InvocationPolicy.UNGUARDED);
    }

    /** Runs the handlers of one event (tools, tests). */
    public HandlerOutcome process(String eventType, long eventTimeMs, String eventJson, String profileJson,
                                  InvocationPolicy policy) {
        return process(eventType, "", eventTimeMs, eventJson, profileJson, policy);
    }

    /**
     * Runs the handlers of one event. Never throws for anything a handler does.
     *
     * @param eventId     seeds the handlers' Math.random (with the handler's name): a replay draws the same
     * @param eventTimeMs the event's timestamp: the handlers' clock (Date, ctx.eventTime)
     * @param profileJson the player's profile as a JSON object, or null for a new player
     * @param policy      which handlers may run (breakers), and where results are recorded
     */
    public HandlerOutcome process(String eventType, String eventId, long eventTimeMs, String eventJson,
                                  String profileJson, InvocationPolicy policy) {
        Handler[] updates = updatesByType.getOrDefault(eventType, wildcardUpdates);
        Handler[] camps = campaignsByType.getOrDefault(eventType, wildcardCampaigns);
        if (updates.length == 0 && camps.length == 0) {
            return new HandlerOutcome(null, Map.of(), List.of(), List.of(), List.of(), List.of());
        }
        Event ev = new Event(++eventSeq, eventId, eventTimeMs, eventJson, profileJson, warm(updates) || warm(camps));
        int open = -1;
        for (Handler h : updates) {
            if (!policy.allowed(h, HandlerFailure.Phase.UPDATE)) {
                continue;
            }
            if (open != h.unit()) {
                if (open >= 0) {
                    endUpdates(units[open], ev);
                }
                open = h.unit();
                ev.fileStart();
                if (units[open].scope != null) {
                    units[open].scope.changed = false;
                }
            }
            Invocation inv = call(h, HandlerFailure.Phase.UPDATE, ev);
            if (inv.kind() != Invocation.Kind.SKIPPED) {
                policy.record(h, HandlerFailure.Phase.UPDATE, inv);
            }
            if (inv.failed()) {
                ev.fail(h, HandlerFailure.Phase.UPDATE, inv);
            }
        }
        if (open >= 0) {
            endUpdates(units[open], ev);
        }
        open = -1;
        for (Handler h : camps) {
            if (!policy.allowed(h, HandlerFailure.Phase.CAMPAIGN)) {
                ev.skipped = add(ev.skipped, h);
                continue;
            }
            if (open != h.unit()) {
                open = h.unit();
                ev.fileStart();
            }
            Invocation inv = call(h, HandlerFailure.Phase.CAMPAIGN, ev);
            if (inv.kind() != Invocation.Kind.SKIPPED) {
                policy.record(h, HandlerFailure.Phase.CAMPAIGN, inv);
            }
            if (inv.failed()) {
                ev.fail(h, HandlerFailure.Phase.CAMPAIGN, inv);
            }
        }
        return new HandlerOutcome(ev.changes == null ? null : ev.profile,
                ev.changes == null ? Map.of() : ev.changes, ev.requests, ev.failures, ev.skipped, ev.logs);
    }

    /** One event on its way through the handlers: the profile as it stands, budgets, results. */
    private final class Event {
        final long seq;
        final String id;
        final long timeMs;
        final String json;
        private Object handover;
        private int shapeId = -1;
        final boolean warm;
        String profile;
        long profileVersion;
        Map<String, Object> changes;
        List<TriggerRequest> requests = List.of();
        List<HandlerFailure> failures = List.of();
        List<Handler> skipped = List.of();
        List<HandlerOutcome.Log> logs = List.of();
        final long startWall;
        final long startCpuUpper;
        long fileWall;
        long fileCpuUpper;

        Event(long seq, String id, long timeMs, String json, String profile, boolean warm) {
            this.seq = seq;
            this.id = id == null ? "" : id;
            this.timeMs = timeMs;
            this.json = json;
            this.profile = profile;
            this.warm = warm;
            this.startWall = meter.clock().wallNanos();
            this.startCpuUpper = meter.cpuUpperAt(startWall);
        }

        /**
         * The event as the file globals take it, made on first use: the shape's number and the values
         * of its shape (see {@link EventHandover}), or its JSON.
         */
        Object handover() {
            if (handover == null) {
                EventHandover h = EventHandover.of(json);
                Integer id = h == null ? null : shapeIds.get(h.shape());
                if (h != null && id == null && shapeIds.size() < MAX_SHAPES) {
                    id = shapeIds.size();
                    shapeIds.put(h.shape(), id);
                    shapes.add(h.shape());
                }
                shapeId = id == null ? -1 : id;
                if (id == null) {
                    handover = json;
                } else {
                    h.values()[0] = id;
                    handover = h.values();
                }
            }
            return handover;
        }

        /** Names this event with the profile as it stands, for the file globals. */
        double token() {
            return seq * 65536.0 + profileVersion;
        }

        void fileStart() {
            fileWall = meter.clock().wallNanos();
            fileCpuUpper = meter.cpuUpperAt(fileWall);
        }

        /**
         * The CPU budget of the next call, in ms: the call budget, or less when the file's or the
         * event's budget is nearly spent. Wall time bounds CPU time from above, so CPU is read only
         * when the wall clock says a budget may be short.
         */
        long budgetFor(Handler h) {
            HandlerLimits l = runtime.limits();
            long factor = warm ? WARM_FACTOR : 1;
            long call = TimeUnit.MILLISECONDS.toNanos(l.callBudgetMs()) * (callCounts[h.id()] < WARM_CALLS ? WARM_FACTOR : 1);
            long file = TimeUnit.MILLISECONDS.toNanos(l.fileBudgetMs()) * factor;
            long event = TimeUnit.MILLISECONDS.toNanos(l.eventBudgetMs()) * factor;
            long now = meter.clock().wallNanos();
            long left = Math.min(file - (now - fileWall), event - (now - startWall));
            if (left < call) {
                long cpu = meter.readCpu();
                left = Math.min(file - (cpu - fileCpuUpper), event - (cpu - startCpuUpper));
            }
            return Math.min(call, left);
        }

        void fail(Handler h, HandlerFailure.Phase phase, Invocation inv) {
            failures = add(failures, new HandlerFailure(h.name(), h.file().name(), h.file().version(), phase,
                    inv.kind(), inv.message()));
        }
    }

    private boolean warm(Handler[] hs) {
        for (Handler h : hs) {
            if (callCounts[h.id()] < WARM_CALLS) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes a file's profile changes after its update handlers: only keys it declared, within the
     * profile limits; otherwise none of them (defence in depth: the script runtime enforces both).
     */
    private void endUpdates(Unit u, Event ev) {
        FileScope scope = u.scope;
        if (scope == null || !scope.changed || scope.token != ev.token()) {
            return;
        }
        scope.changed = false;
        String profile;
        Map<String, Object> changes;
        try {
            String both = (String) scope.finish.call(null);
            if (both == null) {
                return;
            }
            int split = both.indexOf('\n');
            profile = both.substring(0, split);
            changes = Json.readObject(both.substring(split + 1));
        } catch (RuntimeException e) {
            scope.token = -1;
            ev.failures = add(ev.failures, new HandlerFailure("(file)", u.file.name(), u.file.version(),
                    HandlerFailure.Phase.UPDATE, Invocation.Kind.ERROR, "its profile changes cannot be read: "
                    + truncate(Scripts.describe(e))));
            return;
        }
        for (String key : changes.keySet()) {
            if (!u.writes.allows(key)) {
                rejectChanges(u, ev, "wrote '" + key + "', a key it does not declare in writes");
                return;
            }
        }
        if (profile.length() > runtime.limits().profileBytes()) {
            rejectChanges(u, ev, "would make the profile " + profile.length() + " characters long, over the limit of "
                    + runtime.limits().profileBytes());
            return;
        }
        ev.profile = profile;
        ev.profileVersion++;
        scope.token = ev.token(); // its own changes: it holds the profile as it now stands
        if (ev.changes == null) {
            ev.changes = new LinkedHashMap<>();
        }
        ev.changes.putAll(changes);
    }

    private void rejectChanges(Unit u, Event ev, String why) {
        u.scope.token = -1;
        ev.failures = add(ev.failures, new HandlerFailure("(file)", u.file.name(), u.file.version(),
                HandlerFailure.Phase.UPDATE, Invocation.Kind.ERROR, "its changes were dropped: it " + why));
    }

    /** Holds what one guarded call into a script global gave. */
    private static final class Call {
        Object result;
        Throwable error;
        boolean stopped;
        boolean forMemory;
        long nanos;
        long allocated;
    }

    private Invocation call(Handler h, HandlerFailure.Phase phase, Event ev) {
        Unit u = units[h.unit()];
        if (u.dead != null) {
            return new Invocation(Invocation.Kind.SKIPPED, 0, u.dead);
        }
        long budget = ev.budgetFor(h);
        if (budget <= 0) {
            return new Invocation(Invocation.Kind.SKIPPED, 0, "not run: the event's or the file's CPU budget"
                    + " (crm.handlers.event.budget.ms " + runtime.limits().eventBudgetMs()
                    + ", crm.handlers.file.budget.ms " + runtime.limits().fileBudgetMs() + ") was spent");
        }
        FileScope scope = u.scope;
        double token = ev.token();
        boolean hadChanges = scope.changed && scope.token == token;
        if (scope.token != token) {
            try {
                Object handover = ev.handover();
                if (ev.shapeId >= 0 && !scope.shapes.get(ev.shapeId)) {
                    scope.defineShape.call(null, (double) ev.shapeId, shapes.get(ev.shapeId));
                    scope.shapes.set(ev.shapeId);
                }
                scope.begin.call(null, token, handover, ev.profile, (double) ev.timeMs);
            } catch (RuntimeException e) {
                scope.token = -1;
                return new Invocation(Invocation.Kind.ERROR, 0, "the event or profile cannot be given to the file: "
                        + truncate(Scripts.describe(e)));
            }
            scope.token = token;
        }
        boolean warmCall = callCounts[h.id()]++ < WARM_CALLS;
        Object[] args = {h.index(), (double) Math.max(1, TimeUnit.NANOSECONDS.toMillis(budget)),
            (double) seed(ev.id, h.name())};
        long memoryLimit = runtime.limits().memoryBytes() * (warmCall ? WARM_MEMORY_FACTOR : 1);
        Call c = guarded(phase == HandlerFailure.Phase.UPDATE ? scope.runUpdate : scope.runCampaign, budget, memoryLimit,
                warmCall, callNames[h.id()], args);
        if (c.stopped) {
            rebuild(u);
            if (hadChanges) {
                ev.failures = add(ev.failures, new HandlerFailure("(file)", u.file.name(), u.file.version(),
                        HandlerFailure.Phase.UPDATE, Invocation.Kind.STOPPED, "the profile changes its other handlers made"
                        + " on this event were dropped when the watchdog stopped '" + h.name() + "'"));
            }
            if (c.forMemory) {
                return new Invocation(Invocation.Kind.MEMORY, c.nanos, "allocated more than " + (memoryLimit >> 20)
                        + " MB in one call (crm.handlers.memory.mb); the watchdog stopped it inside a built-in");
            }
            return new Invocation(Invocation.Kind.STOPPED, c.nanos, "was stopped by the watchdog after "
                    + c.nanos / 1_000_000 + " ms (deadline " + runtime.limits().deadlineMs()
                    + " ms of CPU, crm.handlers.deadline.ms): stuck in a built-in, such as a regular expression?");
        }
        int status;
        String requests = null;
        if (c.error != null) {
            status = 0;
            try {
                status = ((Number) scope.abort.call(null)).intValue();
            } catch (Throwable t) {
                if (CallWatch.isStop(t)) {
                    throw t;
                }
                rebuild(u);
            }
            if (status == 0) {
                boolean oom = Scripts.javaError(c.error) instanceof OutOfMemoryError;
                if (oom) {
                    // the script global may be half-way through anything: start it again
                    rebuild(u);
                }
                return new Invocation(oom ? Invocation.Kind.MEMORY : Invocation.Kind.ERROR, c.nanos,
                        truncate(describe(c.error)));
            }
        } else if (c.result instanceof String both) {
            int split = both.indexOf('\n');
            status = Integer.parseInt(both.substring(0, split));
            requests = both.substring(split + 1);
        } else {
            status = ((Number) c.result).intValue();
        }
        int code = status & 15;
        if (code == 0 && c.allocated > memoryLimit) {
            // allocated within one native call, where the guard could not see it: undone all the same
            code = CallMeter.MEMORY;
            requests = null;
            if (phase == HandlerFailure.Phase.UPDATE) {
                try {
                    scope.undoLast.call(null);
                } catch (RuntimeException e) {
                    rebuild(u);
                }
            }
        }
        if (code != 0) {
            return new Invocation(code == CallMeter.MEMORY ? Invocation.Kind.MEMORY : Invocation.Kind.TIMEOUT, c.nanos,
                    code == CallMeter.MEMORY ? "allocated more than " + (memoryLimit >> 20)
                            + " MB in one call (crm.handlers.memory.mb) and was stopped"
                    : "ran past its CPU budget of " + TimeUnit.NANOSECONDS.toMillis(budget) + " ms and was stopped ("
                            + c.nanos / 1_000_000 + " ms)");
        }
        if (phase == HandlerFailure.Phase.UPDATE) {
            scope.changed = true;
        }
        if ((status & 16) != 0) {
            collectLogs(u, h, ev);
        }
        if (requests != null) {
            String refused = collectRequests(u, h, ev, requests);
            if (refused != null) {
                return new Invocation(Invocation.Kind.ERROR, c.nanos, refused);
            }
        }
        return new Invocation(Invocation.Kind.OK, c.nanos, null);
    }

    /**
     * Calls a runtime function of a script global with the watchdog armed; a stop lands inside the
     * protected region (see {@link CallWatch}).
     */
    private Call guarded(ScriptObjectMirror fn, long budgetNanos, long memoryLimit, boolean warmCall, String what,
                         Object[] args) {
        HandlerLimits l = runtime.limits();
        long factor = warmCall ? WARM_DEADLINE_FACTOR : 1;
        CallWatch watch = watch();
        Call c = new Call();
        long t0 = System.nanoTime();
        try {
            meter.arm(budgetNanos, memoryLimit, watch);
            watch.enter(l.deadlineMs() * factor, memoryLimit, what);
            try {
                c.result = fn.call(null, args);
            } catch (Throwable t) {
                c.error = t;
            }
            c.stopped = watch.exit(c.error);
        } catch (ThreadDeath late) {
            c.stopped = true;
            watch.stopped();
        }
        c.nanos = System.nanoTime() - t0;
        c.allocated = meter.allocated();
        c.forMemory = c.stopped && watch.stoppedForMemory();
        return c;
    }

    private Thread watchThread;
    private CallWatch watchOfThread;

    /** The current thread's watchdog registration (kept: a ThreadLocal look-up per call is not free). */
    private CallWatch watch() {
        Thread t = Thread.currentThread();
        if (t != watchThread) {
            watchOfThread = runtime.watchdog().watch();
            watchThread = t;
        }
        return watchOfThread;
    }

    /**
     * Seed of Math.random in one call: 52 bits, the same for the same event and handler on every
     * machine (String.hashCode is specified; splitmix64 mixes).
     */
    static long seed(String eventId, String handler) {
        long z = 0x9E3779B97F4A7C15L * (eventId.hashCode() + 31L * handler.hashCode() + ((long) eventId.length() << 32));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> 12;
    }

    private void collectLogs(Unit u, Handler h, Event ev) {
        try {
            Map<String, Object> m = Json.readObject((String) u.scope.logsJson.call(null));
            @SuppressWarnings("unchecked")
            List<String> lines = (List<String>) m.get("lines");
            ev.logs = add(ev.logs, new HandlerOutcome.Log(h.name(), u.file.name(), List.copyOf(lines),
                    ((Number) m.get("dropped")).intValue()));
        } catch (RuntimeException e) {
            // logs are best effort; a failure to read them never fails the call
        }
    }

    /** The offers a campaign call asked for, checked again here: own campaigns, size limit. */
    private String collectRequests(Unit u, Handler h, Event ev, String json) {
        List<Object> asked;
        try {
            asked = Json.MAPPER.readValue(json, List.class);
        } catch (Exception e) {
            return "its offer requests cannot be read: " + truncate(Scripts.describe(e));
        }
        List<TriggerRequest> out = new ArrayList<>();
        for (Object o : asked) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) o;
            String campaign = (String) r.get("campaign");
            String params = (String) r.get("params");
            CampaignDef def = campaigns.get(campaign);
            if (def == null || !def.file().equals(u.file.name())) {
                return "asked for campaign '" + campaign + "', which its file does not declare";
            }
            if (params == null || params.length() > runtime.limits().paramsBytes()) {
                return "asked for an offer whose params are over " + runtime.limits().paramsBytes() + " bytes";
            }
            out.add(new TriggerRequest(campaign, params, h.name(), u.file.name(), u.file.version(), def.mode(),
                    Boolean.TRUE.equals(r.get("duplicate"))));
        }
        for (TriggerRequest r : out) {
            ev.requests = add(ev.requests, r);
        }
        return null;
    }

    /**
     * After the watchdog stopped a call, the file's script global may be in any state: it is built
     * again, in a new engine, from the same source; its handlers skip the rest of this event.
     */
    private void rebuild(Unit u) {
        FileLoader.Loaded loaded = FileLoader.loadScope(ScriptSandbox.newEngine(), u.file, u.instrumented, runtime, meter);
        if (loaded.problem() != null) {
            u.dead = "not run: its file could not be reloaded after the watchdog stopped it (" + loaded.problem().reason() + ")";
            u.scope = null;
        } else {
            u.scope = loaded.scope();
        }
    }

    private static String describe(Throwable e) {
        if (CallWatch.isStop(e) || CallWatch.isStop(Scripts.javaError(e))) {
            return "was stopped by the watchdog";
        }
        return Scripts.describe(e);
    }

    static String truncate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MESSAGE_CHARS ? s : s.substring(0, MESSAGE_CHARS) + "... (" + s.length() + " characters)";
    }

    /**
     * Runs every handler a few times on sample events, so the engine has compiled and linked them
     * before the first real event (a cold handler call takes tens of milliseconds). Results and
     * errors are ignored; nothing leaves the engine. Bounded like any call, and as a whole by
     * {@code deadlineMs}. Call it off the executor thread, before the swap.
     *
     * @param samples sample events (JSON) by event type; a type without samples gets a minimal event
     */
    public void warmUp(Map<String, List<String>> samples, long deadlineMs) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
        InvocationPolicy watching = new InvocationPolicy() {
            @Override
            public boolean allowed(Handler handler, HandlerFailure.Phase phase) {
                return stoppedInWarmUp.stream().noneMatch(s -> s.handler().equals(handler));
            }

            @Override
            public void record(Handler handler, HandlerFailure.Phase phase, Invocation invocation) {
                if (invocation.kind() == Invocation.Kind.STOPPED) {
                    stoppedInWarmUp.add(new Stopped(handler, phase, invocation));
                }
            }
        };
        Set<String> types = new TreeSet<>(updatesByType.keySet());
        types.addAll(campaignsByType.keySet());
        if (wildcardUpdates.length > 0 || wildcardCampaigns.length > 0) {
            types.addAll(samples.keySet());
        }
        for (String type : types) {
            List<String> events = samples.getOrDefault(type, List.of("{\"event_id\":\"00000000-0000-4000-8000-000000000000\","
                    + "\"event_type\":\"" + type + "\",\"player_id\":\"warm-up\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                    + "\"game\":\"warm-up\",\"payload\":{}}"));
            for (int round = 0; round < 2; round++) {
                String profile = null;
                for (String e : events) {
                    if (System.nanoTime() > until) {
                        Arrays.fill(callCounts, 0);
                        return;
                    }
                    HandlerOutcome out = process(type, "warm-up", 0, e, profile, watching);
                    profile = out.profileChanged() ? out.profileJson() : profile;
                }
            }
        }
        Arrays.fill(callCounts, 0);
    }

    /** A handler the watchdog had to stop while the set warmed up: its breakers should know before the first event. */
    public record Stopped(Handler handler, HandlerFailure.Phase phase, Invocation invocation) {
        /** The stop as the typed failure a report shows (no event failed: the handler starts disabled). */
        public HandlerFailure failure() {
            return new HandlerFailure(handler.name(), handler.file().name(), handler.file().version(), phase,
                    invocation.kind(), "in the warm-up: " + invocation.message());
        }
    }

    private final List<Stopped> stoppedInWarmUp = new ArrayList<>();

    /** The handlers the watchdog stopped during the warm-up. */
    public List<Stopped> stoppedInWarmUp() {
        return List.copyOf(stoppedInWarmUp);
    }

    /** Warms up with a deadline of ten seconds. */
    public void warmUp(Map<String, List<String>> samples) {
        warmUp(samples, 10_000);
    }

    private static <T> List<T> add(List<T> list, T item) {
        List<T> out = list.isEmpty() ? new ArrayList<>(2) : list;
        out.add(item);
        return out;
    }

    private static Map<String, Handler[]> sortedByPosition(Map<String, List<Handler>> byType) {
        Map<String, Handler[]> out = new HashMap<>();
        byType.forEach((type, list) -> {
            List<Handler> sorted = new ArrayList<>(list);
            sorted.sort((a, b) -> a.unit() != b.unit() ? Integer.compare(a.unit(), b.unit())
                    : Integer.compare(a.index(), b.index()));
            out.put(type, sorted.toArray(NONE));
        });
        return Collections.unmodifiableMap(out);
    }

    private static String setVersion(Map<String, HandlerFile> files) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(files).forEach((name, file) -> sb.append(name).append('@').append(file.version()).append('\n'));
        return HandlerFile.versionOf(sb.toString());
    }

    /** Content hash over every loaded file's name and version: equal sets have equal versions. */
    public String version() {
        return version;
    }

    /** The loaded files by name. */
    public Map<String, HandlerFile> files() {
        return files;
    }

    public List<Handler> handlers() {
        return handlers;
    }

    public Map<String, CampaignDef> campaigns() {
        return campaigns;
    }

    /** Whether a loaded file writes this profile key. */
    public boolean writesKey(String key) {
        for (Unit u : units) {
            if (u.writes.allows(key)) {
                return true;
            }
        }
        return false;
    }

    /** The profile keys a loaded file may write. */
    public WritePatterns writes(String fileName) {
        for (Unit u : units) {
            if (u.file.name().equals(fileName)) {
                return u.writes;
            }
        }
        return WritePatterns.NONE;
    }

    /** The limits the set runs with. */
    public HandlerLimits limits() {
        return runtime.limits();
    }
}
