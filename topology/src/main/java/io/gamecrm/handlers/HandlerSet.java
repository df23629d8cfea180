package io.gamecrm.handlers;

import io.gamecrm.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.script.Compilable;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * A compiled, immutable set of handler files in its own script engine, ready to process events.
 * Each file's handlers are indexed by event type, so handlers of other types cost an event nothing.
 * For one event: every update handler of its type runs (in file, then declaration order), then
 * every campaign handler sees the updated profile. A handler that throws is recorded and its
 * profile writes undone; the others still run.
 *
 * <p>Not thread-safe: one instance per executor. Build a new one to change handlers; swapping the
 * reference between two events is atomic, so one event never sees two versions.
 */
public final class HandlerSet {
    private static final Handler[] NONE = new Handler[0];
    /** Calls of each handler that get a generous budget while the engine compiles and links them. */
    static final int WARM_CALLS = 3;
    private final java.util.Map<Handler, int[]> callCounts = new java.util.IdentityHashMap<>();

    private final ScriptSandbox.Engine engine;
    private final ScriptObjectMirror startEvent;
    private final ScriptObjectMirror runUpdate;
    private final ScriptObjectMirror runCampaign;
    private final ScriptObjectMirror abort;
    private final ScriptObjectMirror finish;
    private final ScriptObjectMirror changesJson;
    private final ScriptObjectMirror requestCampaign;
    private final ScriptObjectMirror requestParams;
    private final Object declaredCampaigns;
    private final Map<String, Handler[]> updatesByType;
    private final Map<String, Handler[]> campaignsByType;
    private final Handler[] wildcardUpdates;
    private final Handler[] wildcardCampaigns;
    private final Map<String, CampaignDef> campaigns;
    private final Map<String, HandlerFile> files;
    private final List<Handler> handlers;
    private final String version;

    /** A registered handler. */
    public record Handler(String name, HandlerFile file, List<String> on, ScriptObjectMirror update,
                          ScriptObjectMirror campaign) {
        public boolean hasUpdate() {
            return update != null;
        }

        public boolean hasCampaign() {
            return campaign != null;
        }
    }

    /** The result of compiling files: the set, and the files left out with the reason. */
    public record Compilation(HandlerSet set, List<HandlerProblem> problems) {
    }

    private HandlerSet(ScriptSandbox.Engine engine, List<Handler> handlers, Map<String, CampaignDef> campaigns,
                       Map<String, HandlerFile> files) {
        this.engine = engine;
        this.startEvent = (ScriptObjectMirror) engine.runtime().getMember("startEvent");
        this.runUpdate = (ScriptObjectMirror) engine.runtime().getMember("runUpdate");
        this.runCampaign = (ScriptObjectMirror) engine.runtime().getMember("runCampaign");
        this.abort = (ScriptObjectMirror) engine.runtime().getMember("abort");
        this.finish = (ScriptObjectMirror) engine.runtime().getMember("finish");
        this.changesJson = (ScriptObjectMirror) engine.runtime().getMember("changesJson");
        this.requestCampaign = (ScriptObjectMirror) engine.runtime().getMember("requestCampaign");
        this.requestParams = (ScriptObjectMirror) engine.runtime().getMember("requestParams");
        this.declaredCampaigns = engine.runtime().callMember("declaredSet", Json.write(new ArrayList<>(campaigns.keySet())));
        this.handlers = List.copyOf(handlers);
        this.campaigns = Collections.unmodifiableMap(new LinkedHashMap<>(campaigns));
        this.files = Collections.unmodifiableMap(new TreeMap<>(files));

        Map<String, List<Handler>> updates = new HashMap<>();
        Map<String, List<Handler>> camps = new HashMap<>();
        List<Handler> anyUpdates = new ArrayList<>();
        List<Handler> anyCampaigns = new ArrayList<>();
        for (Handler h : handlers) {
            for (String type : h.on()) {
                if ("*".equals(type)) {
                    if (h.hasUpdate()) {
                        anyUpdates.add(h);
                    }
                    if (h.hasCampaign()) {
                        anyCampaigns.add(h);
                    }
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
        this.updatesByType = freeze(updates);
        this.campaignsByType = freeze(camps);
        this.wildcardUpdates = anyUpdates.toArray(NONE);
        this.wildcardCampaigns = anyCampaigns.toArray(NONE);
        this.version = setVersion(files);
    }

    /** A set with no handler: every event passes through unchanged. */
    public static HandlerSet empty() {
        return compile(List.of()).set();
    }

    /**
     * Compiles the files, in the order given, into a new engine. A file that fails is left out,
     * reported in {@link Compilation#problems()}, and takes none of its registrations with it.
     */
    public static Compilation compile(List<HandlerFile> files) {
        return compile(files, DEFAULT_LOAD_BUDGET_MS);
    }

    /** Time a file's top-level code may take to load (register its handlers). */
    public static final long DEFAULT_LOAD_BUDGET_MS = 1000;

    /**
     * Compiles the files, in the order given, into a new engine; a file whose top-level code runs
     * longer than {@code loadBudgetMs} is left out.
     */
    public static Compilation compile(List<HandlerFile> files, long loadBudgetMs) {
        return compile(files, loadBudgetMs, ScriptSandbox.newEngine());
    }

    static Compilation compile(List<HandlerFile> files, long loadBudgetMs, ScriptSandbox.Engine engine) {
        List<Handler> handlers = new ArrayList<>();
        Map<String, CampaignDef> campaigns = new LinkedHashMap<>();
        Map<String, HandlerFile> loaded = new LinkedHashMap<>();
        List<HandlerProblem> problems = new ArrayList<>();
        for (HandlerFile file : files) {
            try {
                FileRegistrations regs = load(engine, file, loadBudgetMs);
                String clash = clash(regs, handlers, campaigns);
                if (clash != null) {
                    problems.add(new HandlerProblem(file.name(), file.version(), clash));
                    continue;
                }
                handlers.addAll(regs.handlers());
                regs.campaigns().forEach(c -> campaigns.put(c.id(), c));
                loaded.put(file.name(), file);
            } catch (LoadException e) {
                problems.add(new HandlerProblem(file.name(), file.version(), e.getMessage()));
            }
        }
        return new Compilation(new HandlerSet(engine, handlers, campaigns, loaded), List.copyOf(problems));
    }

    private record FileRegistrations(List<Handler> handlers, List<CampaignDef> campaigns) {
    }

    private static final class LoadException extends Exception {
        LoadException(String message) {
            super(message);
        }
    }

    private static FileRegistrations load(ScriptSandbox.Engine sandbox, HandlerFile file, long loadBudgetMs)
            throws LoadException {
        ScriptEngine engine = sandbox.engine();
        ScriptObjectMirror fileFunction;
        try {
            engine.put(ScriptEngine.FILENAME, file.name());
            // strict mode, and the same first line as the file, so reported line numbers are the designer's
            String wrapped = "(function (crm, " + sandbox.guardName() + ") {'use strict';" + file.source() + "\n})";
            String instrumented = ScriptInstrumenter.instrument(wrapped, file.name(), sandbox.guardName());
            fileFunction = (ScriptObjectMirror) ((Compilable) engine).compile(instrumented).eval();
        } catch (ScriptInstrumenter.SyntaxError e) {
            throw new LoadException("does not compile: " + e.getMessage());
        } catch (ScriptException e) {
            throw new LoadException("does not compile: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new LoadException("does not compile: " + e);
        }
        ScriptObjectMirror holder = (ScriptObjectMirror) sandbox.runtime().callMember("apiFor", file.name());
        ScriptObjectMirror armFn = (ScriptObjectMirror) sandbox.runtime().getMember("arm");
        ScriptObjectMirror disarmFn = (ScriptObjectMirror) sandbox.runtime().getMember("disarm");
        armFn.call(null, (double) loadBudgetMs);
        try {
            fileFunction.call(null, holder.getMember("api"), sandbox.runtime().getMember("guard"));
        } catch (RuntimeException | StackOverflowError e) {
            boolean timedOut = Boolean.TRUE.equals(disarmFn.call(null));
            throw new LoadException(timedOut ? "takes longer than " + loadBudgetMs + " ms to load (a runaway loop?)"
                    : "throws while loading: " + Scripts.describe(e));
        }
        if (Boolean.TRUE.equals(disarmFn.call(null))) {
            throw new LoadException("takes longer than " + loadBudgetMs + " ms to load (a runaway loop?)");
        }
        List<Handler> handlers = new ArrayList<>();
        ScriptObjectMirror hs = (ScriptObjectMirror) holder.getMember("handlers");
        for (int i = 0; i < hs.size(); i++) {
            ScriptObjectMirror h = (ScriptObjectMirror) hs.getSlot(i);
            List<String> on = new ArrayList<>();
            ScriptObjectMirror onArray = (ScriptObjectMirror) h.getMember("on");
            for (int j = 0; j < onArray.size(); j++) {
                on.add((String) onArray.getSlot(j));
            }
            handlers.add(new Handler((String) h.getMember("name"), file, List.copyOf(on),
                    function(h.getMember("update")), function(h.getMember("campaign"))));
        }
        List<CampaignDef> campaigns = new ArrayList<>();
        ScriptObjectMirror cs = (ScriptObjectMirror) holder.getMember("campaigns");
        for (int i = 0; i < cs.size(); i++) {
            ScriptObjectMirror c = (ScriptObjectMirror) cs.getSlot(i);
            String id = (String) c.getMember("id");
            CampaignCaps caps;
            try {
                caps = CampaignCaps.parse((String) c.getMember("caps"));
            } catch (IllegalArgumentException e) {
                throw new LoadException("campaign '" + id + "': " + e.getMessage());
            }
            campaigns.add(new CampaignDef(id, CampaignMode.parse((String) c.getMember("mode")), caps, file.name(),
                    file.version()));
        }
        if (handlers.isEmpty() && campaigns.isEmpty()) {
            throw new LoadException("registers no handler and no campaign (call crm.handler({...}) or crm.campaign({...}))");
        }
        return new FileRegistrations(handlers, campaigns);
    }

    private static String clash(FileRegistrations regs, List<Handler> handlers, Map<String, CampaignDef> campaigns) {
        List<String> seen = new ArrayList<>();
        for (Handler h : regs.handlers()) {
            if (seen.contains(h.name())) {
                return "registers handler '" + h.name() + "' twice";
            }
            seen.add(h.name());
            for (Handler other : handlers) {
                if (other.name().equals(h.name())) {
                    return "handler '" + h.name() + "' is already registered by " + other.file().name();
                }
            }
        }
        List<String> ids = new ArrayList<>();
        for (CampaignDef c : regs.campaigns()) {
            if (ids.contains(c.id())) {
                return "declares campaign '" + c.id() + "' twice";
            }
            ids.add(c.id());
            CampaignDef other = campaigns.get(c.id());
            if (other != null) {
                return "campaign '" + c.id() + "' is already declared by " + other.file();
            }
        }
        return null;
    }

    private static ScriptObjectMirror function(Object member) {
        return member instanceof ScriptObjectMirror m && m.isFunction() ? m : null;
    }

    /** Runs the handlers of one event with no breaker and a generous budget (tools, tests). */
    public HandlerOutcome process(String eventType, long eventTimeMs, String eventJson, String profileJson) {
        return process(eventType, eventTimeMs, eventJson, profileJson, InvocationPolicy.UNGUARDED);
    }

    /**
     * Runs the handlers of one event.
     *
     * @param eventTimeMs the event's timestamp, given to campaign handlers as {@code ctx.eventTime}
     * @param profileJson the player's profile as a JSON object, or null for a new player
     * @param policy      which handlers may run, their time budget, and where results are recorded
     */
    public HandlerOutcome process(String eventType, long eventTimeMs, String eventJson, String profileJson,
                                  InvocationPolicy policy) {
        Handler[] updates = updatesByType.getOrDefault(eventType, wildcardUpdates);
        Handler[] camps = campaignsByType.getOrDefault(eventType, wildcardCampaigns);
        if (updates.length == 0 && camps.length == 0) {
            return new HandlerOutcome(null, Map.of(), List.of(), List.of(), List.of());
        }
        startEvent.call(null, eventJson, profileJson);
        double budget = policy.budgetMillis();
        List<HandlerFailure> failures = List.of();
        List<Handler> skipped = List.of();
        for (Handler h : updates) {
            if (!policy.allowed(h, HandlerFailure.Phase.UPDATE)) {
                continue;
            }
            Invocation inv = invoke(h, HandlerFailure.Phase.UPDATE, budget, 0).invocation();
            if (inv.failed()) {
                failures = add(failures, new HandlerFailure(h.name(), h.file().name(), h.file().version(),
                        HandlerFailure.Phase.UPDATE, inv.message(), inv.kind() == Invocation.Kind.TIMEOUT));
            }
            policy.record(h, HandlerFailure.Phase.UPDATE, inv);
        }
        List<TriggerRequest> requests = List.of();
        double eventTime = eventTimeMs;
        for (Handler h : camps) {
            if (!policy.allowed(h, HandlerFailure.Phase.CAMPAIGN)) {
                skipped = add(skipped, h);
                continue;
            }
            Call call = invoke(h, HandlerFailure.Phase.CAMPAIGN, budget, eventTime);
            Invocation inv = call.invocation();
            policy.record(h, HandlerFailure.Phase.CAMPAIGN, inv);
            if (inv.failed()) {
                failures = add(failures, new HandlerFailure(h.name(), h.file().name(), h.file().version(),
                        HandlerFailure.Phase.CAMPAIGN, inv.message(), inv.kind() == Invocation.Kind.TIMEOUT));
                continue;
            }
            for (int i = 0; i < call.requests(); i++) {
                String campaign = (String) requestCampaign.call(null, i);
                String params = (String) requestParams.call(null, i);
                requests = add(requests, new TriggerRequest(campaign, params, h.name(), h.file().name(),
                        h.file().version(), campaigns.get(campaign).mode()));
            }
        }
        String profileAfter = (String) finish.call(null);
        if (profileAfter == null) {
            return new HandlerOutcome(null, Map.of(), requests, failures, skipped);
        }
        return new HandlerOutcome(profileAfter,
                Json.readObject((String) changesJson.call(null)), requests, failures, skipped);
    }

    /**
     * Calls a handler function within the time budget: the guard inside the instrumented code stops
     * it once the budget is spent (a timeout: its effects are undone). A call that completes, even
     * late (a GC pause, a slow built-in the guard cannot see), keeps its effects: its latency is in
     * the metrics. The first calls of a handler in a new set get ten times the budget, for the
     * engine's lazy compilation and linking.
     */
    /** One handler call: how it went, and the offers a campaign handler asked for. */
    private record Call(Invocation invocation, int requests) {
    }

    private Call invoke(Handler h, HandlerFailure.Phase phase, double budgetMs, double eventTime) {
        int[] calls = callCounts.computeIfAbsent(h, k -> new int[1]);
        if (calls[0]++ < WARM_CALLS) {
            budgetMs *= 10;
        }
        long start = System.nanoTime();
        boolean tripped;
        int requests = 0;
        Throwable error = null;
        try {
            if (phase == HandlerFailure.Phase.UPDATE) {
                tripped = Boolean.TRUE.equals(runUpdate.call(null, h.update(), budgetMs));
            } else {
                int count = ((Number) runCampaign.call(null, h.campaign(), budgetMs, declaredCampaigns, eventTime))
                        .intValue();
                tripped = count < 0;
                requests = Math.max(count, 0);
            }
        } catch (RuntimeException | StackOverflowError e) {
            error = e;
            tripped = Boolean.TRUE.equals(abort.call(null));
        }
        long nanos = System.nanoTime() - start;
        if (tripped) {
            return new Call(new Invocation(Invocation.Kind.TIMEOUT, nanos, "ran past its time budget of "
                    + (long) budgetMs + " ms and was stopped (" + nanos / 1_000_000 + " ms)"), 0);
        }
        if (error != null) {
            return new Call(new Invocation(Invocation.Kind.ERROR, nanos, Scripts.describe(error)), 0);
        }
        return new Call(new Invocation(Invocation.Kind.OK, nanos, null), requests);
    }

    /**
     * Runs every handler a few times on sample events, so the engine has compiled and linked them
     * before the first real event (a cold handler call takes tens of milliseconds). Results and
     * errors are ignored; nothing leaves the engine. Call it off the executor thread, before the swap.
     *
     * @param samples sample events (JSON) by event type; a type without samples gets a minimal event
     */
    public void warmUp(Map<String, List<String>> samples) {
        InvocationPolicy generous = new InvocationPolicy() {
            @Override
            public boolean allowed(Handler handler, HandlerFailure.Phase phase) {
                return true;
            }

            @Override
            public void record(Handler handler, HandlerFailure.Phase phase, Invocation invocation) {
            }

            @Override
            public long budgetMillis() {
                return 2000;
            }
        };
        java.util.Set<String> types = new java.util.TreeSet<>(updatesByType.keySet());
        types.addAll(campaignsByType.keySet());
        types.addAll(samples.keySet());
        for (String type : types) {
            List<String> events = samples.getOrDefault(type, List.of("{\"event_id\":\"00000000-0000-4000-8000-000000000000\","
                    + "\"event_type\":\"" + type + "\",\"player_id\":\"warm-up\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                    + "\"game\":\"warm-up\",\"payload\":{}}"));
            for (int round = 0; round < 2; round++) {
                String profile = null;
                for (String e : events) {
                    try {
                        HandlerOutcome out = process(type, 0, e, profile, generous);
                        profile = out.profileChanged() ? out.profileJson() : profile;
                    } catch (RuntimeException ignored) {
                        // a sample the handlers do not expect: the call still warmed the engine
                    }
                }
            }
        }
        callCounts.clear();
    }

    private static <T> List<T> add(List<T> list, T item) {
        List<T> out = list.isEmpty() ? new ArrayList<>(2) : list;
        out.add(item);
        return out;
    }

    private static Map<String, Handler[]> freeze(Map<String, List<Handler>> byType) {
        Map<String, Handler[]> out = new HashMap<>();
        byType.forEach((type, list) -> out.put(type, list.toArray(NONE)));
        return Collections.unmodifiableMap(out);
    }

    private static String setVersion(Map<String, HandlerFile> files) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(files).forEach((name, file) -> sb.append(name).append('@').append(file.version()).append('\n'));
        return HandlerFile.versionOf(sb.toString());
    }

    /** For tests: replaces the CPU clock the time budget reads (a function returning nanoseconds). */
    void useCpuClock(org.openjdk.nashorn.api.scripting.JSObject clock) {
        engine.runtime().callMember("setCpuClock", clock);
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

    /** Event types that have at least one handler ("*" handlers apply to every type). */
    public List<String> eventTypes() {
        List<String> types = new ArrayList<>(updatesByType.keySet());
        Collections.sort(types);
        return types;
    }
}
