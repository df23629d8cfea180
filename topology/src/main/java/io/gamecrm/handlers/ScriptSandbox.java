package io.gamecrm.handlers;

import io.gamecrm.json.Json;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.openjdk.nashorn.api.scripting.ClassFilter;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * Makes the Nashorn engines and script globals that run handler files: no Java classes (deny-all
 * {@link ClassFilter} and {@code --no-java}), no syntax extensions, ES5, UTC and a fixed locale (the
 * same answers on every machine), and for every file a global of its own in which the shell globals
 * that reach outside the script ({@code load}, {@code exit}, {@code print} …) are gone before the
 * runtime ({@code runtime.js}) captures the built-ins it needs and hardens the rest. One engine per
 * executor: Nashorn engines are not thread-safe.
 */
final class ScriptSandbox {
    private static final ClassFilter DENY_ALL = className -> false;
    private static final String[] OPTIONS = {"--no-java", "--no-syntax-extensions", "--language=es5",
        "-timezone=UTC", "--locale=en-US", "--optimistic-types=false", "--lazy-compilation=false"};
    /** Globals a handler must not reach; made undefined and read-only before the runtime runs. */
    static final String[] REMOVED_GLOBALS = {
        "load", "loadWithNewGlobal", "exit", "quit", "print", "echo", "printf", "sprintf", "readFully",
        "readLine", "engine", "context", "Java", "JavaImporter", "Packages", "java", "javax", "javafx", "com",
        "org", "edu", "net", "jdk", "sun", "JSAdapter", "JavaAdapter", "__noSuchProperty__", "$ENV", "$ARG",
        "$EXEC", "$OPTIONS", "$OUT", "$ERR", "$EXIT", "arguments", "Debug", "Polyglot"
    };
    private static final String LOCK_DOWN = buildLockDown();
    private static final String RUNTIME = Json.resource("io/gamecrm/handlers/runtime.js");
    private static final String WARM_UP = Json.resource("io/gamecrm/handlers/warm-up.js");
    private static final String WARM_EVENT = "{\"event_id\":\"00000000-0000-4000-8000-000000000001\","
            + "\"event_type\":\"fight\",\"player_id\":\"warm-up\",\"timestamp\":\"2026-01-01T00:00:00Z\","
            + "\"game\":\"warm-up\",\"payload\":{\"result\":\"lost\",\"opponent\":{\"kind\":\"npc\"}}}";

    private ScriptSandbox() {
    }

    /** A locked-down engine, with the lock-down and the runtime compiled once for all its globals. */
    static final class Engine {
        final ScriptEngine engine;
        private final CompiledScript lockDown;
        private final CompiledScript runtime;

        private Engine(ScriptEngine engine) throws ScriptException {
            this.engine = engine;
            this.lockDown = ((Compilable) engine).compile(LOCK_DOWN);
            this.runtime = ((Compilable) engine).compile(RUNTIME);
            warmUp();
        }

        /**
         * Takes every path of the runtime once (warm-up.js) in a global of its own, so the shared code
         * of the runtime is compiled and linked before any designer's call is timed.
         */
        private void warmUp() throws ScriptException {
            CallMeter meter = new CallMeter(ThreadClock.SYSTEM);
            FileScope scope = newScope(HandlerLimits.DEFAULTS, meter);
            engine.put(ScriptEngine.FILENAME, "warm-up.js");
            String source;
            try {
                source = ScriptInstrumenter.instrumentFile(WARM_UP, "warm-up.js");
            } catch (ScriptInstrumenter.SyntaxError e) {
                throw new IllegalStateException("the runtime's warm-up file does not compile: " + e.getMessage(), e);
            }
            Object fn = ((Compilable) engine).compile(source).eval(scope.context);
            long unlimited = Long.MAX_VALUE / 4;
            meter.arm(unlimited, unlimited, null);
            scope.load.call(null, fn, "warm-up.js", 60_000.0);
            String profile = null;
            for (int round = 0; round < 4; round++) {
                scope.begin.call(null, (double) round, WARM_EVENT, profile, 0.0);
                for (int i = 0; i < 2; i++) {
                    meter.arm(unlimited, unlimited, null);
                    try {
                        scope.runUpdate.call(null, i, 60_000.0, (double) round);
                    } catch (RuntimeException expected) {
                        scope.abort.call(null);
                    }
                }
                String both = (String) scope.finish.call(null);
                profile = both == null ? profile : both.substring(0, both.indexOf('\n'));
                for (int i = 2; i < 4; i++) {
                    meter.arm(unlimited, unlimited, null);
                    try {
                        scope.runCampaign.call(null, i, 60_000.0, (double) round);
                    } catch (RuntimeException expected) {
                        scope.abort.call(null);
                    }
                }
                scope.logsJson.call(null);
            }
        }

        /**
         * A new script global in the engine, with the runtime loaded and configured: the place one
         * handler file runs in.
         */
        FileScope newScope(HandlerLimits limits, CallMeter meter) {
            Bindings global = engine.createBindings();
            ScriptContext context = new SimpleScriptContext();
            context.setBindings(global, ScriptContext.ENGINE_SCOPE);
            try {
                lockDown.eval(context);
                ScriptObjectMirror rt = (ScriptObjectMirror) runtime.eval(context);
                rt.callMember("configure", limits.scriptJson(), meter);
                return new FileScope(context, rt);
            } catch (ScriptException e) {
                throw new IllegalStateException("cannot start a handler script global: " + e.getMessage(), e);
            }
        }
    }

    /** A new locked-down engine. */
    static Engine newEngine() {
        try {
            return new Engine(new NashornScriptEngineFactory().getScriptEngine(OPTIONS,
                    ScriptSandbox.class.getClassLoader(), DENY_ALL));
        } catch (ScriptException e) {
            throw new IllegalStateException("cannot start the handler engine: " + e.getMessage(), e);
        }
    }

    private static String buildLockDown() {
        StringBuilder js = new StringBuilder("(function (g) {\n");
        for (String name : REMOVED_GLOBALS) {
            js.append("  try { delete g['").append(name).append("']; } catch (e) {}\n")
              .append("  try { Object.defineProperty(g, '").append(name)
              .append("', {value: undefined, writable: false, configurable: false, enumerable: false}); } catch (e) {}\n");
        }
        return js.append("})(this);\n").toString();
    }
}
