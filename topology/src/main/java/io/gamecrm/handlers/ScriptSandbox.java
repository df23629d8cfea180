package io.gamecrm.handlers;

import io.gamecrm.json.Json;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.openjdk.nashorn.api.scripting.ClassFilter;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * Makes the Nashorn engines that run handler files: no Java classes (deny-all {@link ClassFilter}
 * and {@code --no-java}), no syntax extensions, none of the shell globals that reach outside the
 * script ({@code load}, {@code exit}, {@code print} …), no run-time compilation ({@code eval}, the
 * {@code Function} constructor) and frozen built-ins (harden.js). One engine per executor: Nashorn
 * engines are not thread-safe.
 */
public final class ScriptSandbox {
    private static final ClassFilter DENY_ALL = className -> false;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final String[] OPTIONS = {"--no-java", "--no-syntax-extensions", "--language=es5"};
    /** Globals a handler must not reach; made undefined and read-only before any handler file runs. */
    static final String[] REMOVED_GLOBALS = {
        "load", "loadWithNewGlobal", "exit", "quit", "print", "echo", "printf", "sprintf", "readFully",
        "readLine", "engine", "context", "Java", "JavaImporter", "Packages", "java", "javax", "javafx", "com",
        "org", "edu", "net", "jdk", "sun", "JSAdapter", "JavaAdapter", "__noSuchProperty__", "$ENV", "$ARG",
        "$EXEC", "$OPTIONS", "$OUT", "$ERR", "$EXIT", "arguments", "Debug", "Polyglot"
    };
    private static final String LOCK_DOWN = buildLockDown();
    private static final String PRELUDE = Json.resource("io/gamecrm/handlers/prelude.js");
    private static final String HARDEN = Json.resource("io/gamecrm/handlers/harden.js");

    private ScriptSandbox() {
    }

    /**
     * The executor thread's CPU time in nanoseconds, as a function the prelude (and only the
     * prelude: it is kept in a closure) calls when the wall clock says a budget may be spent.
     */
    private static final org.openjdk.nashorn.api.scripting.AbstractJSObject CPU_CLOCK =
            new org.openjdk.nashorn.api.scripting.AbstractJSObject() {
                private final java.lang.management.ThreadMXBean threads =
                        java.lang.management.ManagementFactory.getThreadMXBean();
                private final boolean supported = threads.isCurrentThreadCpuTimeSupported();

                @Override
                public boolean isFunction() {
                    return true;
                }

                @Override
                public Object call(Object thiz, Object... args) {
                    return (double) (supported ? threads.getCurrentThreadCpuTime() : System.nanoTime());
                }
            };

    /** A new locked-down engine with the runtime prelude loaded; returns the prelude's API object. */
    static Engine newEngine() {
        NashornScriptEngineFactory factory = new NashornScriptEngineFactory();
        ScriptEngine engine = factory.getScriptEngine(OPTIONS, ScriptSandbox.class.getClassLoader(), DENY_ALL);
        try {
            engine.eval(LOCK_DOWN);
            ScriptObjectMirror runtime = (ScriptObjectMirror) engine.eval(PRELUDE);
            runtime.callMember("setCpuClock", CPU_CLOCK);
            engine.eval(HARDEN);
            String guardName = "__crm_guard_" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
            return new Engine(engine, runtime, guardName);
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

    /**
     * An engine, the runtime object its prelude returned, and the (random, per engine) name under
     * which each handler file receives the time-budget guard.
     */
    record Engine(ScriptEngine engine, ScriptObjectMirror runtime, String guardName) {
    }
}
