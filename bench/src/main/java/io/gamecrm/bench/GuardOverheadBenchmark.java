package io.gamecrm.bench;

import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.validation.SchemaCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.script.ScriptEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * What the sandbox's guards cost, each measured by a handler shaped to exercise it, run in the
 * handler runtime ({@code guarded*}) and, for the JavaScript parts, the same code in a bare Nashorn
 * engine with nothing around it ({@code bare*}). The difference is the guard's overhead:
 * <ul>
 *   <li>{@code guardedEmpty} vs {@code bareEmpty}: the fixed cost of one handler call (the Java-to-script
 *       entry, the event and profile handed to the file's global, the meter, the watchdog registration,
 *       the seeded clock and randomness, the checks of what comes back);</li>
 *   <li>{@code guardedLoop} vs {@code bareLoop}: the loop guard, per 1,000 iterations;</li>
 *   <li>{@code guardedClosureWrites} vs {@code bareClosureWrites}: the write check on 1,000 writes to a
 *       variable of an enclosing function;</li>
 *   <li>{@code guardedTrigger} vs {@code bareTrigger}: an offer request with params (the plain-data copy,
 *       the once-per-event rule, the ownership and size checks in Java);</li>
 *   <li>{@code guardedProfileSet}: writes of an object value (the copy, the size and key checks);</li>
 *   <li>{@code shippedOneFile} vs {@code shippedTwoFiles}: the shipped fight handlers in one file and in
 *       their two files: the cost of isolating files (a script global each: the event and profile
 *       handed to each).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class GuardOverheadBenchmark {
    private static final String CAPS = "caps: {perPlayerPerDay: 1000000, budget: {max: 1000000000, per: '1s'}}";
    private static final String EMPTY = "function (e, p) { }";
    private static final String LOOP = "function (e, p) { var s = 0; for (var i = 0; i < 1000; i++) { s += i; } }";
    private static final String CLOSURE = "function (e, p) { var n = 0; for (var i = 0; i < 1000; i++) {"
            + " (function () { n = n + 1; })(); } }";
    private static final String TRIGGER = "function (e, p, ctx) { ctx.trigger('probe', {units: 4, kind: 'tank',"
            + " tags: ['a', 'b']}); }";
    private static final String PROFILE_SET = "function (e, p) { p.set('o', {units: 4, kind: 'tank', tags: ['a', 'b']}); }";

    private HandlerSet set;
    private HandlerSet oneFile;
    private HandlerSet twoFiles;
    private ScriptObjectMirror bare;
    private String fight;
    private long event;
    private final String profile = "{\"fights\":40,\"lost_streak\":2,\"wins\":20}";

    @Setup
    public void setUp() throws Exception {
        List<HandlerFile> files = List.of(
                HandlerFile.of("empty.js", "crm.handler({name: 'empty', on: ['empty'], writes: ['e'], update: " + EMPTY + "});"),
                HandlerFile.of("loop.js", "crm.handler({name: 'loop', on: ['loop'], writes: ['l'], update: " + LOOP + "});"),
                HandlerFile.of("closure.js", "crm.handler({name: 'closure', on: ['closure'], writes: ['c'], update: "
                        + CLOSURE + "});"),
                HandlerFile.of("trigger.js", "crm.campaign({id: 'probe', " + CAPS + "});"
                        + "crm.handler({name: 'trigger', on: ['trigger'], campaign: " + TRIGGER + "});"),
                HandlerFile.of("set.js", "crm.handler({name: 'set', on: ['set'], writes: ['o'], update: " + PROFILE_SET + "});"));
        set = compile(files);
        List<HandlerFile> shipped = new ArrayList<>();
        for (HandlerFile f : HandlerDirectory.read(BenchData.repo().resolve("handlers-js"))) {
            if (!f.name().equals("logins.js")) {
                shipped.add(f);
            }
        }
        twoFiles = compile(shipped);
        oneFile = compile(List.of(HandlerFile.of("fights.js", String.join("\n", shipped.stream().map(HandlerFile::source)
                .toList()))));
        fight = BenchData.events(200).stream().filter(e -> e.type().equals("fight")).findFirst().orElseThrow().json();

        ScriptEngine engine = new NashornScriptEngineFactory().getScriptEngine(new String[] {"--language=es5"});
        bare = (ScriptObjectMirror) engine.eval("(function () { 'use strict';"
                + " var p = {set: function (k, v) {}}, ctx = {trigger: function (c, params) { return JSON.stringify(params); }};"
                + " var fs = {empty: " + EMPTY + ", loop: " + LOOP + ", closure: " + CLOSURE + ", trigger: " + TRIGGER + "};"
                + " return function (name, eventJson) { var e = JSON.parse(eventJson); return fs[name](e, p, ctx); }; })()");
    }

    private static HandlerSet compile(List<HandlerFile> files) {
        HandlerSet.Compilation c = HandlerSet.compile(files);
        if (!c.problems().isEmpty()) {
            throw new IllegalStateException(c.problems().toString());
        }
        c.set().warmUp(SchemaCatalog.fromClasspath().validExamples());
        return c.set();
    }

    private Object run(String type) {
        return set.process(type, "e" + (event++ & 1023), 0, "{\"event_type\":\"" + type + "\",\"payload\":{}}", profile,
                io.gamecrm.handlers.InvocationPolicy.UNGUARDED);
    }

    @Benchmark
    public Object guardedEmpty() {
        return run("empty");
    }

    @Benchmark
    public Object bareEmpty() {
        return bare.call(null, "empty", "{\"event_type\":\"empty\",\"payload\":{}}");
    }

    @Benchmark
    public Object guardedLoop() {
        return run("loop");
    }

    @Benchmark
    public Object bareLoop() {
        return bare.call(null, "loop", "{\"event_type\":\"loop\",\"payload\":{}}");
    }

    @Benchmark
    public Object guardedClosureWrites() {
        return run("closure");
    }

    @Benchmark
    public Object bareClosureWrites() {
        return bare.call(null, "closure", "{\"event_type\":\"closure\",\"payload\":{}}");
    }

    @Benchmark
    public Object guardedTrigger() {
        return run("trigger");
    }

    @Benchmark
    public Object bareTrigger() {
        return bare.call(null, "trigger", "{\"event_type\":\"trigger\",\"payload\":{}}");
    }

    @Benchmark
    public Object guardedProfileSet() {
        return run("set");
    }

    @Benchmark
    public Object shippedOneFile() {
        return oneFile.process("fight", "e" + (event++ & 1023), 0, fight, profile,
                io.gamecrm.handlers.InvocationPolicy.UNGUARDED);
    }

    @Benchmark
    public Object shippedTwoFiles() {
        return twoFiles.process("fight", "e" + (event++ & 1023), 0, fight, profile,
                io.gamecrm.handlers.InvocationPolicy.UNGUARDED);
    }
}
