package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spec of the sandbox:
 * <ul>
 *   <li>a script calling Java.type, or naming a Java package, is rejected at load</li>
 *   <li>shell and engine globals (load, exit, quit, print, engine, Packages …) are undefined</li>
 *   <li>eval and the Function constructor, which would escape the time budget, are unavailable</li>
 *   <li>files run in strict mode: an undeclared global is an error, not a leak into other files</li>
 *   <li>a file cannot change the built-ins other files and the runtime use</li>
 *   <li>events, profiles and ctx are plain JS objects, never Java objects</li>
 * </ul>
 */
class SandboxTest {
    private static final String REGISTER = "crm.handler({name: 'h', on: ['login'], writes: ['n'], update: function (e, p) { p.incr('n'); }});";

    private static HandlerSet.Compilation load(String source) {
        return HandlerSet.compile(List.of(HandlerFile.of("f.js", source)));
    }

    private static String problem(String source) {
        HandlerSet.Compilation c = load(source);
        assertThat(c.problems()).as("expected " + source + " to be rejected").hasSize(1);
        return c.problems().get(0).reason();
    }

    @Test
    void aScriptCallingJavaTypeIsRejectedAtLoad() {
        assertThat(problem("var S = Java.type('java.lang.System'); " + REGISTER)).contains("throws while loading");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java.lang.System.exit(1)", "Packages.java.lang.Runtime.getRuntime()",
        "new JavaImporter(java.io)", "javax.script", "org.openjdk.nashorn"})
    void javaPackagesAreUnreachable(String expression) {
        assertThat(problem(expression + "; " + REGISTER)).contains("throws while loading");
    }

    @ParameterizedTest
    @ValueSource(strings = {"load", "loadWithNewGlobal", "exit", "quit", "print", "readFully", "readLine", "engine",
        "context", "Packages", "java", "Java", "JavaImporter", "eval", "Function", "$ENV", "$EXEC"})
    void dangerousGlobalsAreUndefined(String name) {
        HandlerSet set = load("var seen = typeof " + name + ";"
                + "crm.handler({name: 'h', on: ['login'], writes: ['type'], update: function (e, p) { p.set('type', seen); }});").set();

        assertThat(set.process("login", 0, "{}", null).changes()).containsEntry("type", "undefined");
    }

    @Test
    void theFunctionConstructorIsUnreachableThroughAFunction() {
        assertThat(problem("var F = (function () {}).constructor; F('while (true) {}')(); " + REGISTER))
                .contains("throws while loading");
    }

    @Test
    void anUndeclaredGlobalIsAnErrorNotALeak() {
        assertThat(problem("leaked = 1; " + REGISTER)).contains("throws while loading");
    }

    @Test
    void aFileCannotChangeTheBuiltIns() {
        assertThat(problem("Array.prototype.push = function () {}; " + REGISTER)).contains("throws while loading");
        assertThat(problem("JSON.parse = function () { return {}; }; " + REGISTER)).contains("throws while loading");
        assertThat(problem("Object.prototype.units = 1000; " + REGISTER)).contains("throws while loading");
    }

    @Test
    void eventProfileAndCtxArePlainJsObjects() {
        HandlerSet set = load("crm.campaign({id: 'c', " + HandlerSetTest.CAPS + "});"
                + "crm.handler({name: 'h', on: ['login'], campaign: function (e, p, ctx) {"
                + "  var k = Object.prototype.toString;"
                + "  ctx.trigger('c', {e: k.call(e), p: k.call(p), c: k.call(ctx), t: typeof e.getClass,"
                + "    n: typeof ctx.eventTime});"
                + "}});").set();

        TriggerRequest r = set.process("login", 1, "{\"event_type\":\"login\"}", null).requests().get(0);

        assertThat(Json.readObject(r.paramsJson())).containsEntry("e", "[object Object]")
                .containsEntry("p", "[object Object]").containsEntry("c", "[object Object]")
                .containsEntry("t", "undefined").containsEntry("n", "number");
    }

    @Test
    void aHandlerCannotMutateTheEvent() {
        HandlerSet set = load("crm.handler({name: 'h', on: ['login'], writes: ['x'], update: function (e, p) { e.event_type = 'x'; }});").set();

        HandlerOutcome out = set.process("login", 0, "{\"event_type\":\"login\"}", null);

        assertThat(out.failures()).singleElement().satisfies(f -> assertThat(f.message()).contains("TypeError"));
    }

    @Test
    void filesDoNotShareTopLevelVariables() {
        HandlerSet set = HandlerSet.compile(List.of(
                HandlerFile.of("a.js", "var secret = 42; crm.handler({name: 'a', on: ['login'], writes: ['a'], update: function (e, p) {}});"),
                HandlerFile.of("b.js", "crm.handler({name: 'b', on: ['login'], writes: ['seen'], update: function (e, p) {"
                        + " p.set('seen', typeof secret); }});"))).set();

        assertThat(set.process("login", 0, "{}", null).changes()).containsEntry("seen", "undefined");
    }
}
