package io.gamecrm.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.gamecrm.handlers.ScriptInstrumenter.SyntaxError;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;

/**
 * Spec of the source rewriting (see {@link ScriptInstrumenter}):
 * <ul>
 *   <li>every loop body starts with the guard; a non-block body is wrapped in braces with its semicolon</li>
 *   <li>every function body starts with {@code var __crm_pN = __crm_g();} after its directive prologue</li>
 *   <li>a function that holds closures hands its scope's values to the freezer while the file loads</li>
 *   <li>every catch block starts with the catch check; a finally block gets a catch clause in front</li>
 *   <li>a write to a variable of an enclosing function is checked against that function's phase</li>
 *   <li>nothing is removed and no line break is added: error lines stay the designer's</li>
 *   <li>programs give the same results instrumented; runaway code is stopped by a sticky guard</li>
 *   <li>a whole file is parsed on its own first: it cannot close the wrapper; reserved names and
 *       file-level state are refused with the line</li>
 * </ul>
 */
class ScriptInstrumenterTest {
    private static final String L = "__crm_g();";
    private static final ScriptEngine ENGINE =
            new NashornScriptEngineFactory().getScriptEngine("--language=es5");

    /** The hooks, counting the guard's calls. */
    private static final String COUNTING_GUARD = "var __count = 0; function __crm_g() { __count++; return 0; }"
            + " function __crm_w(p) {} function __crm_f(f) {} function __crm_c(e) {}";
    /**
     * Throws after 300 calls, and from then on on every call, like the runtime's deadline guard. (Low
     * because Nashorn overflows a default 1 MB thread stack after ~650 nested getter calls, ~1250 calls.)
     */
    private static final String STICKY_GUARD = "var __calls = 0, __tripped = false;\n"
            + "function __crm_g() { if (__tripped || ++__calls > 300) { __tripped = true; throw new Error('guard tripped'); } return 0; }"
            + " function __crm_w(p) {} function __crm_f(f) {} function __crm_c(e) {}";

    private static String instrument(String source) throws SyntaxError {
        return ScriptInstrumenter.instrument(source, "handler.js");
    }

    /** The prologue of function n. */
    private static String p(int n) {
        return "var __crm_p" + n + " = __crm_g();";
    }

    /** The freezer of function n, holding these names. */
    private static String f(int n, String names) {
        return "if (__crm_p" + n + " === 0) __crm_f(function () { return [" + names + "]; });";
    }

    // ---- where the guard goes ---------------------------------------------------------------------

    @Test
    void whileLoopBlockBodyGetsGuardAfterItsOpeningBrace() throws Exception {
        assertThat(instrument("while (i < 3) { i++; }")).isEqualTo("while (i < 3) {" + L + " i++; }");
    }

    @Test
    void doWhileLoopBlockBodyGetsGuard() throws Exception {
        assertThat(instrument("do { i++; } while (i < 3);")).isEqualTo("do {" + L + " i++; } while (i < 3);");
    }

    @Test
    void forLoopBlockBodyGetsGuard() throws Exception {
        assertThat(instrument("for (var i = 0; i < 3; i++) { s += i; }"))
                .isEqualTo("for (var i = 0; i < 3; i++) {" + L + " s += i; }");
    }

    @Test
    void forInLoopBlockBodyGetsGuard() throws Exception {
        assertThat(instrument("for (var k in o) { n++; }")).isEqualTo("for (var k in o) {" + L + " n++; }");
    }

    @Test
    void emptyBlockBodyGetsGuard() throws Exception {
        assertThat(instrument("while (true) {}")).isEqualTo("while (true) {" + L + "}");
        assertThat(instrument("while (a) /* { */ {}")).isEqualTo("while (a) /* { */ {" + L + "}");
    }

    @Test
    void nonBlockBodiesAreWrappedInBracesTogetherWithTheirSemicolon() throws Exception {
        assertThat(instrument("while (x) y++;")).isEqualTo("while (x) {" + L + "y++;}");
        assertThat(instrument("do x--; while (x > 0);")).isEqualTo("do {" + L + "x--;} while (x > 0);");
        assertThat(instrument("for (var k in o) n++;")).isEqualTo("for (var k in o) {" + L + "n++;}");
        assertThat(instrument("for (i = 0; i < 3; i++) s += i ;")).isEqualTo("for (i = 0; i < 3; i++) {" + L + "s += i ;}");
    }

    @Test
    void nonBlockBodyEndedByLineBreakIsWrappedWithoutAddingASemicolon() throws Exception {
        assertThat(instrument("while (x) y++\nz()")).isEqualTo("while (x) {" + L + "y++}\nz()");
        assertThat(instrument("do x--\nwhile (x > 0)")).isEqualTo("do {" + L + "x--}\nwhile (x > 0)");
    }

    @Test
    void emptyLoopBodyIsWrappedInBraces() throws Exception {
        assertThat(instrument("for(;;);")).isEqualTo("for(;;){" + L + ";}");
        assertThat(instrument("while (a) /* nothing */ ;")).isEqualTo("while (a) /* nothing */ {" + L + ";}");
        assertThat(instrument("for (var k in o);")).isEqualTo("for (var k in o){" + L + ";}");
        assertThat(instrument("do;while(a)")).isEqualTo("do{" + L + ";}while(a)");
    }

    @Test
    void nonBlockLoopInsideIfKeepsItsElse() throws Exception {
        assertThat(instrument("if (c) while (a) x++; else y();"))
                .isEqualTo("if (c) while (a) {" + L + "x++;} else y();");
    }

    @Test
    void commentsAndLiteralsAtTheEdgesOfANonBlockBodyStayIntact() throws Exception {
        // the parser's end of `x++ // done` is after the comment, and a string's positions exclude its quotes
        assertThat(instrument("while (a) x++ // done\ny();")).isEqualTo("while (a) {" + L + "x++} // done\ny();");
        assertThat(instrument("while (a) x++ /* c */ ;")).isEqualTo("while (a) {" + L + "x++ /* c */ ;}");
        assertThat(instrument("while (a) x = \"s\";")).isEqualTo("while (a) {" + L + "x = \"s\";}");
        assertThat(instrument("while (a) x = 's'\n")).isEqualTo("while (a) {" + L + "x = 's'}\n");
        assertThat(instrument("while (a) x = ''")).isEqualTo("while (a) {" + L + "x = ''}");
        assertThat(instrument("while (a) \"s\".length;")).isEqualTo("while (a) {" + L + "\"s\".length;}");
        assertThat(instrument("while (a) x = /re;/g;")).isEqualTo("while (a) {" + L + "x = /re;/g;}");
        assertThat(instrument("while (a) (x)++;")).isEqualTo("while (a) {" + L + "(x)++;}");
    }

    @Test
    void statementBodiesOfEveryKindAreWrappedWhole() throws Exception {
        // `var` bodies come out of the parser as a made-up BLOCK that starts at `var`
        assertThat(instrument("while (a) var x = 1, y = 2;")).isEqualTo("while (a) {" + L + "var x = 1, y = 2;}");
        assertThat(instrument("while (a) if (b) c(); else d();"))
                .isEqualTo("while (a) {" + L + "if (b) c(); else d();}");
        assertThat(instrument("while (a) break;")).isEqualTo("while (a) {" + L + "break;}");
        assertThat(instrument("for (;;) throw e;")).isEqualTo("for (;;) {" + L + "throw e;}");
        assertThat(instrument("while (a) while (b) x++;")).isEqualTo("while (a) {" + L + "while (b) {" + L + "x++;}}");
        assertThat(instrument("while (a) do x++; while (b);"))
                .isEqualTo("while (a) {" + L + "do {" + L + "x++;} while (b);}");
    }

    @Test
    void labeledLoopsKeepTheirLabels() throws Exception {
        assertThat(instrument("outer: for (var i = 0; i < 3; i++) { inner: while (true) { continue outer; } }"))
                .isEqualTo("outer: for (var i = 0; i < 3; i++) {" + L + " inner: while (true) {" + L + " continue outer; } }");
        // the label goes inside the new braces together with its loop, so `break foo` still names a loop
        assertThat(instrument("while (a) foo: for (;;) { break foo; }"))
                .isEqualTo("while (a) {" + L + "foo: for (;;) {" + L + " break foo; }}");
    }

    @Test
    void functionDeclarationsAndExpressionsGetTheGuardAndAPhaseVariable() throws Exception {
        assertThat(instrument("function f(a) { return a; }")).isEqualTo("function f(a) {" + p(0) + " return a; }");
        assertThat(instrument("var f = function () { return 1; };")).isEqualTo("var f = function () {" + p(0) + " return 1; };");
        assertThat(instrument("var f = function named() {};")).isEqualTo("var f = function named() {" + p(0) + "};");
        assertThat(instrument("(function () {})();")).isEqualTo("(function () {" + p(0) + "})();");
        assertThat(instrument("x = new function () { this.a = 1; };"))
                .isEqualTo("x = new function () {" + p(0) + " this.a = 1; };");
    }

    @Test
    void gettersSettersAndMethodsInObjectLiteralsGetTheGuard() throws Exception {
        assertThat(instrument("var o = { get x() { return 1; }, set x(v) { this._x = v; }, m: function () {} };"))
                .isEqualTo("var o = { get x() {" + p(0) + " return 1; }, set x(v) {" + p(1) + " this._x = v; }, m: function () {"
                        + p(2) + "} };");
        assertThat(instrument("var o = { get 'a b'() { return 1; }, get 2() { return 2; } };"))
                .isEqualTo("var o = { get 'a b'() {" + p(0) + " return 1; }, get 2() {" + p(1) + " return 2; } };");
        assertThat(instrument("Object.defineProperty(o, 'x', { get: function () { return 1; } });"))
                .isEqualTo("Object.defineProperty(o, 'x', { get: function () {" + p(0) + " return 1; } });");
    }

    @Test
    void nestedLoopsAndFunctionsAllGetTheGuardAndHoldersOfClosuresAFreezer() throws Exception {
        assertThat(instrument("function outer() { function inner() { for (;;) { while (a) b(); } }"
                + " return function () { do {} while (c); }; }"))
                .isEqualTo("function outer() {" + p(0) + f(0, "inner") + " function inner() {" + p(1) + " for (;;) {" + L
                        + " while (a) {" + L + "b();} } }"
                        + " return function () {" + p(2) + " do {" + L + "} while (c); }; }");
        assertThat(instrument("for (var i in o) { [1].forEach(function (x) { for (;;) break; }); }"))
                .isEqualTo("for (var i in o) {" + L + " [1].forEach(function (x) {" + p(0) + " for (;;) {" + L + "break;} }); }");
    }

    @Test
    void theGuardGoesAfterTheDirectivePrologueSoStrictFunctionsStayStrict() throws Exception {
        assertThat(instrument("function f() { \"use strict\"; return this; }"))
                .isEqualTo("function f() { \"use strict\";" + p(0) + " return this; }");
        assertThat(instrument("function f() { 'use strict'\n  return 1; }"))
                .isEqualTo("function f() { 'use strict';" + p(0) + "\n  return 1; }");
        assertThat(instrument("var f = function () { \"use strict\" };"))
                .isEqualTo("var f = function () { \"use strict\";" + p(0) + " };");
        assertThat(instrument("function f() { 'a'; 'use strict' /* c */ ; x(); }"))
                .isEqualTo("function f() { 'a'; 'use strict' /* c */ ;" + p(0) + " x(); }");
    }

    @Test
    void catchBlocksStartWithTheCatchCheck() throws Exception {
        assertThat(instrument("try { a(); } catch (e) { b(e); }")).isEqualTo("try { a(); } catch (e) {__crm_c(e); b(e); }");
    }

    @Test
    void aFinallyBlockGetsACatchClauseInFrontThatRethrows() throws Exception {
        String rethrow = "catch (__crm_x) {__crm_c(__crm_x);throw __crm_x;} ";
        assertThat(instrument("try { a(); } finally { b(); }")).isEqualTo("try { a(); } " + rethrow + "finally { b(); }");
        assertThat(instrument("try { a(); } catch (e) { c(); } finally { b(); }"))
                .isEqualTo("try{try { a(); } catch (e) {__crm_c(e); c(); } } " + rethrow + "finally { b(); }");
    }

    @Test
    void aWriteToAVariableOfAnEnclosingFunctionIsChecked() throws Exception {
        assertThat(instrument("function f() { var n = 0; [1].forEach(function () { n++; n = n + 1; n += 2; }); }"))
                .isEqualTo("function f() {" + p(0) + f(0, "n") + " var n = 0; [1].forEach(function () {" + p(1)
                        + " (__crm_w(__crm_p0),n++); (__crm_w(__crm_p0),n = n + 1); (__crm_w(__crm_p0),n += 2); }); }");
        // its own variables and parameters are not checked
        assertThat(instrument("function f(a) { var b; a = 1; b = 2; }")).isEqualTo("function f(a) {" + p(0) + " var b; a = 1; b = 2; }");
    }

    @Test
    void aCatchParameterHeldByAClosureGoesToTheFreezer() throws Exception {
        assertThat(instrument("function f() { try {} catch (e) { return function () { return e; }; } }"))
                .isEqualTo("function f() {" + p(0) + " try {} catch (e) {__crm_c(e);" + f(0, "e") + " return function () {"
                        + p(1) + " return e; }; } }");
    }

    @Test
    void keywordsInsideStringsCommentsAndRegexLiteralsAreUntouched() throws Exception {
        String source = "var s = \"while (true) {} function f() {}\";\n"
                + "// for (;;) {}\n"
                + "/* do { } while (x); function g() {} */\n"
                + "var r = /while(x){}|function\\(\\)\\{/g;\n"
                + "var t = 'for (;;);', u = \"it's \\\" do {\";\n";
        assertThat(instrument(source)).isEqualTo(source);
    }

    @Test
    void divisionsRegexLiteralsAndQuotesAreToldApart() throws Exception {
        // a quote inside a regex class, a `/` in a class, a division and a `//` inside a string
        assertThat(instrument("var a = 4 / 2, r = /\"[/]'/, s = \"//x\"; while (a) a--; // while (b) {}"))
                .isEqualTo("var a = 4 / 2, r = /\"[/]'/, s = \"//x\"; while (a) {" + L + "a--;} // while (b) {}");
        assertThat(instrument("while (a) a = a / 2 / b; x = '/*'; y = 1 /* while (c) */;"))
                .isEqualTo("while (a) {" + L + "a = a / 2 / b;} x = '/*'; y = 1 /* while (c) */;");
    }

    @Test
    void sourceWithoutLoopsOrFunctionsIsReturnedUnchanged() throws Exception {
        String source = "var a = 1;\n// while (true) {}\nif (a) { a++; } else { a--; }\nswitch (a) { case 1: break; }\n";
        assertThat(instrument(source)).isEqualTo(source);
        assertThat(instrument("")).isEmpty();
    }

    @Test
    void windowsLineEndingsAndCharactersOutsideTheBmpKeepPositions() throws Exception {
        assertThat(instrument("var s = '\uD83D\uDE00\uD83D\uDE00';\r\nwhile (s.length > 2) s = s.slice(1)\r\n// ok\r\n"))
                .isEqualTo("var s = '\uD83D\uDE00\uD83D\uDE00';\r\nwhile (s.length > 2) {" + L + "s = s.slice(1)}\r\n// ok\r\n");
    }

    @Test
    void noLineBreakIsAddedSoErrorLinesStayTheSame() throws Exception {
        String source = "function f(n) {\n"
                + "  for (var i = 0; i < n; i++)\n"
                + "    if (i == 2)\n"
                + "      null.x;\n"
                + "}\n"
                + "f(5);\n";
        String instrumented = instrument(source);
        assertThat(instrumented).isNotEqualTo(source);
        assertThat(instrumented.lines().count()).isEqualTo(source.lines().count());
        assertThat(count(instrumented, '\n')).isEqualTo(count(source, '\n'));
        assertThat(count(instrumented, '\r')).isZero();

        ScriptException original = (ScriptException) catchThrowable(() -> run(source, ""));
        ScriptException guarded = (ScriptException) catchThrowable(() -> run(instrumented, COUNTING_GUARD));
        assertThat(original.getLineNumber()).isEqualTo(4);
        assertThat(guarded.getLineNumber()).isEqualTo(4);
    }

    @Test
    void aWrappedHandlerFileIsInstrumentedAndStillWorks() throws Exception {
        String file = "var n = 0;\nfunction handle(e) { var m = n; while (m < e.times) m++; return m; }\ncrm.on = handle;\n";
        String instrumented = ScriptInstrumenter.instrumentFile(file, "handler.js");
        assertThat(instrumented).isEqualTo(ScriptInstrumenter.HEADER + p(0)
                + f(0, "crm, __crm_g, __crm_w, __crm_f, __crm_c, n, handle") + "var n = 0;\n"
                + "function handle(e) {" + p(1) + " var m = n; while (m < e.times) {" + L + "m++;} return m; }\ncrm.on = handle;\n\n})");

        Bindings global = newGlobal("var __count = 0;");
        Object result = ENGINE.eval("var crm = {}; (" + instrumented + ")(crm, function () { __count++; return 0; },"
                + " function () {}, function () {}, function () {}); crm.on({times: 4})", global);
        assertThat(((Number) result).intValue()).isEqualTo(4);
        assertThat(((Number) global.get("__count")).intValue()).isEqualTo(1 + 1 + 4);
    }

    // ---- whole files ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"}); while (true) {} (function () {", "})(); x = 1; (function () {", "return 1;",
        "} crm.handler({});", "/*", "crm.handler({name: 'a'}) })("})
    void aFileThatDoesNotParseOnItsOwnIsRejectedBeforeAnythingWrapsIt(String source) {
        assertThatThrownBy(() -> ScriptInstrumenter.instrumentFile(source, "evil.js"))
                .isInstanceOf(SyntaxError.class).hasMessageStartingWith("evil.js:1:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"var __crm_g = function () {};", "__crm_w = null;", "function f(__crm_p0) {}",
        "var o = {__crm_c: 1};", "x.__crm_f = 2;", "try {} catch (__crm_x) {}"})
    void identifiersOfTheRuntimeAreRefused(String source) {
        assertThatThrownBy(() -> ScriptInstrumenter.instrumentFile(source, "f.js"))
                .isInstanceOf(SyntaxError.class).hasMessageContaining("reserved for the runtime");
    }

    @Test
    void aFunctionThatChangesAFileLevelVariableIsRefusedWithItsLine() {
        Throwable thrown = catchThrowable(() -> ScriptInstrumenter.instrumentFile(
                "var count = 0;\ncrm.handler({update: function (e, p) {\n  count++;\n}});", "state.js"));
        assertThat(thrown).isInstanceOf(SyntaxError.class).hasMessageStartingWith("state.js:3:2:")
                .hasMessageContaining("'count'").hasMessageContaining("keep state between events");
    }

    @Test
    void theTopLevelMayStillSetItsOwnVariables() throws Exception {
        assertThat(ScriptInstrumenter.instrumentFile("var t = 0; t = 2; for (var i = 0; i < 3; i++) { t += i; }", "ok.js"))
                .contains("t = 2;").doesNotContain("__crm_w(");
    }

    @Test
    void aForInLoopOverAVariableOfAnEnclosingFunctionIsRefused() {
        assertThatThrownBy(() -> ScriptInstrumenter.instrumentFile(
                "function f() { var k; return function (o) { for (k in o) {} }; }", "f.js"))
                .isInstanceOf(SyntaxError.class).hasMessageContaining("for (k in ...)");
    }

    @Test
    void strictModeRulesApplyToTheFileOnItsOwn() {
        assertThatThrownBy(() -> ScriptInstrumenter.instrumentFile("with (Math) { x = 1; }", "f.js"))
                .isInstanceOf(SyntaxError.class).hasMessageContaining("strict");
    }

    // ---- syntax errors ----------------------------------------------------------------------------

    @Test
    void syntaxErrorNamesFileLineColumnAndParserMessage() {
        Throwable thrown = catchThrowable(() -> instrument("var a = 1;\nvar b = = 2;\n"));
        assertThat(thrown).isInstanceOf(SyntaxError.class)
                .hasMessage("handler.js:2:8: Expected an operand but found =");
        assertThat(((SyntaxError) thrown).line()).isEqualTo(2);
        assertThat(((SyntaxError) thrown).column()).isEqualTo(8);
    }

    @Test
    void severalSyntaxErrorsReportTheFirstAndCountTheRest() {
        assertThatThrownBy(() -> instrument("a = 1;\nb = = 2;\nc = ;\n"))
                .isInstanceOf(SyntaxError.class)
                .hasMessage("handler.js:2:4: Expected an operand but found = (and 1 more error)");
    }

    @Test
    void errorTheParserRecoversFromIsStillASyntaxError() {
        // the parser reports this one but still returns a tree
        assertThatThrownBy(() -> instrument("while (a) {}\nreturn 1;"))
                .isInstanceOf(SyntaxError.class)
                .hasMessageContaining("handler.js:2:")
                .hasMessageContaining("Invalid return statement");
    }

    @Test
    void errorWithoutATreeIsASyntaxError() {
        // an unterminated string makes the parser return null
        Throwable thrown = catchThrowable(() -> instrument("function f() {\n  var x = \"abc;\n}"));
        assertThat(thrown).isInstanceOf(SyntaxError.class).hasMessageContaining("handler.js:2:").hasMessageContaining("Missing close quote");
        assertThat(((SyntaxError) thrown).line()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"let x = 1;", "var f = (a) => a;", "var s = `t`;", "for each (var x in o) {}",
        "var f = function (x) x * x;", "while (true) {", "function () {}"})
    void es6AndNashornSyntaxExtensionsAndBrokenCodeAreSyntaxErrors(String source) {
        assertThatThrownBy(() -> instrument(source)).isInstanceOf(SyntaxError.class).hasMessageStartingWith("handler.js:1:");
    }

    // ---- behaviour in Nashorn ---------------------------------------------------------------------

    static Stream<String> programs() {
        return Stream.of(
                // break / continue
                "var out = []; for (var i = 0; i < 10; i++) { if (i % 2) continue; if (i > 7) break; out.push(i); }"
                        + " JSON.stringify(out)",
                // labels
                "var out = []; outer: for (var i = 0; i < 4; i++) { inner: for (var j = 0; j < 4; j++) {"
                        + " if (j === i) continue outer; if (i === 3) break outer; out.push(i + ':' + j); } }"
                        + " JSON.stringify(out)",
                "var n = 0; while (n < 3) foo: for (;;) { n++; break foo; } n",
                "var n = 0; a: do { n++; b: while (true) { if (n < 5) continue a; break a; } } while (true); n",
                // non-block bodies and automatic semicolons
                "var i = 0, s = 0\nwhile (i < 5) s += i++\ndo s *= 2; while (s < 1000)\n"
                        + "for (var k = 0; k < 3; k++) if (k % 2) s++; else s--\nJSON.stringify([i, s])",
                "var i = 0; for (; i < 10; i++); var j = 0; while (j++ < 5); JSON.stringify([i, j])",
                "var a = 3, x = 0, y = 0; function run(c) { if (c) while (a > 0) a--, x++; else y++; }"
                        + " run(true); run(false); JSON.stringify([a, x, y])",
                "for (var i = 0; i < 3; i++) var last = i; JSON.stringify([i, last])",
                "var i = 0, n = 0; do { i++; if (i % 3 === 0) continue; n += i; } while (i < 10); n",
                // recursion and closures
                "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } fib(15)",
                "function counter() { var c = 0; return { inc: function () { return ++c; }, get value() { return c; } }; }"
                        + " var a = counter(), b = counter(); a.inc(); a.inc(); b.inc(); JSON.stringify([a.value, b.value])",
                "var fs = []; for (var i = 0; i < 3; i++) { fs.push((function (j) { return function () { return j * 10; }; })(i)); }"
                        + " JSON.stringify(fs.map(function (f) { return f(); }))",
                "function f() { return g(arguments.length); function g(n) { return n * 2; } } f(1, 2, 3)",
                // for-in over objects
                "var o = {a: 1, b: 2, c: 3}, ks = []; for (var k in o) ks.push(k + '=' + o[k]); ks.sort(); JSON.stringify(ks)",
                "function P() { this.own = 1; } P.prototype.inherited = 2; var ks = [];"
                        + " for (var k in new P()) { if (k === 'nothing') break; ks.push(k); } JSON.stringify(ks.sort())",
                // getters and setters
                "var o = { _v: 1, get v() { return this._v * 10; }, set v(x) { this._v = x + 1; } }; o.v = 4;"
                        + " JSON.stringify([o.v, Object.keys(o)])",
                // strict mode survives
                "function s() { 'use strict'; return this === undefined; } function l() { return this === undefined; }"
                        + " JSON.stringify([s(), l(), (function () { 'use strict'\n return typeof this; })()])",
                // exceptions in loops
                "var log = []; for (var i = 0; i < 3; i++) { try { if (i === 1) throw new Error('x' + i); log.push(i); }"
                        + " catch (e) { log.push(e.message); continue; } finally { log.push('f'); } } JSON.stringify(log)",
                "var r = []; for (var i = 0; i < 4; i++) { switch (i) { case 1: r.push('one'); break; case 2: continue;"
                        + " default: r.push(i); } r.push('end' + i); } JSON.stringify(r)",
                // keywords in literals
                "(function () { var s = \"while (true) {}\"; var r = /for\\s*\\(;;\\)/; return JSON.stringify([s.length,"
                        + " r.test('for (;;)'), 'a/b'.split(/\\//), '/* x */'.length]); })()",
                // callbacks
                "[3, 1, 2].map(function (x) { return x * x; }).sort(function (a, b) { return a - b; }).join(',')");
    }

    @ParameterizedTest
    @MethodSource("programs")
    void instrumentedProgramGivesTheSameResult(String program) throws Exception {
        String instrumented = instrument(program);
        assertThat(instrumented).isNotEqualTo(program);
        Object expected = run(program, "");
        Object actual = run(instrumented, COUNTING_GUARD);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void guardRunsOncePerLoopIterationAndPerFunctionCall() throws Exception {
        assertThat(guardCalls("for (var i = 0; i < 10; i++) {}")).isEqualTo(10);
        assertThat(guardCalls("var i = 0; while (i < 7) i++;")).isEqualTo(7);
        assertThat(guardCalls("var i = 0; do i++; while (i < 4);")).isEqualTo(4);
        assertThat(guardCalls("var n = 0; for (var k in {a: 1, b: 2, c: 3}) n++;")).isEqualTo(3);
        assertThat(guardCalls("for (var i = 0; i < 5; i++);")).isEqualTo(5);
        assertThat(guardCalls("function f(n) { return n ? f(n - 1) : 0; } f(5);")).isEqualTo(6);
        assertThat(guardCalls("var o = { get x() { return 1; }, set x(v) {} }; o.x = o.x + o.x;")).isEqualTo(3);
        assertThat(guardCalls("[1, 2, 3].forEach(function () {});")).isEqualTo(3);
        assertThat(guardCalls("function f() { for (var i = 0; i < 3; i++) {} } f(); f();")).isEqualTo(2 + 6);
        assertThat(guardCalls("outer: for (var i = 0; i < 3; i++) { for (;;) { continue outer; } }")).isEqualTo(3 + 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "while (true) {}",
        "for (;;) {}",
        "do {} while (true);",
        "while (true);",
        "for (;;);",
        "do ; while (true)",
        "while (true) { try { while (true) {} } catch (e) {} }",
        "for (;;) { try { for (;;); } catch (e) { } finally { } }",
        "outer: while (true) { try { for (;;) {} } catch (e) { continue outer; } }",
        "while (true) { try { while (true) {} } catch (e) { while (true) { try { for (;;); } catch (e2) {} } } }",
        "for (var k in {a: 1}) { while (true) { try { while (true) {} } catch (e) {} } }",
        "function f() { return f(); } f();",
        "function f() { try { f(); } catch (e) {} f(); } f();",
        "function f() { try { f(); } catch (e) { f(); } } f();",
        "function loop() { while (true) { try { loop(); } catch (e) {} } } loop();",
        "var o = { get x() { return this.x; } }; o.x;",
        "while (true) { try { [1].forEach(function () { while (true) {} }); } catch (e) {} }",
        "(function (crm) { 'use strict'; while (true) { try { for (;;) {} } catch (e) {} } })({});"
    })
    void runawayCodeIsStoppedByAStickyGuard(String program) throws Exception {
        String instrumented = instrument(program);
        Bindings global = newGlobal(STICKY_GUARD);
        Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> catchThrowable(() -> ENGINE.eval(instrumented, global)));
        assertThat(thrown).isInstanceOf(ScriptException.class).hasMessageContaining("guard tripped");
        assertThat(global.get("__tripped")).isEqualTo(Boolean.TRUE);
    }

    /** Prints (does not assert) what the guard costs in a tight loop of 1e6 iterations. */
    @Test
    void measureOverheadOfTheGuardInATightLoop() throws Exception {
        String loop = "(function () { var s = 0; for (var i = 0; i < 1e6; i++) { s += i; } return s; })()";
        String instrumented = instrument(loop);
        assertThat(instrumented).isEqualTo("(function () {" + p(0) + " var s = 0; for (var i = 0; i < 1e6; i++) {" + L
                + " s += i; } return s; })()");
        String[][] guards = {
            {"no guard (original source)", ""},
            {"empty guard", "function __crm_g() {}"},
            {"counter guard", "var __n = 0; function __crm_g() { if (++__n > 1e15) throw new Error('x'); }"},
            {"counter + Date.now() every 1024 calls", "var __n = 0, __deadline = Date.now() + 600000;"
                + " function __crm_g() { if ((++__n & 1023) === 0 && Date.now() > __deadline) throw new Error('x'); }"},
            {"Date.now() on every call", "var __deadline = Date.now() + 600000;"
                + " function __crm_g() { if (Date.now() > __deadline) throw new Error('x'); }"},
        };
        Compilable compiler = (Compilable) ENGINE;
        for (String[] guard : guards) {
            Bindings global = newGlobal(guard[1]);
            CompiledScript script = compiler.compile(guard[1].isEmpty() ? loop : instrumented);
            long[] nanos = new long[40];
            for (int round = 0; round < nanos.length; round++) {
                long start = System.nanoTime();
                Object sum = script.eval(global);
                nanos[round] = System.nanoTime() - start;
                assertThat(((Number) sum).doubleValue()).isEqualTo(499999500000.0);
            }
            long[] warm = Arrays.copyOfRange(nanos, 15, nanos.length);
            Arrays.sort(warm);
            System.out.printf("ScriptInstrumenter overhead, 1e6 iterations, %-40s min %7.2f ms, median %7.2f ms%n",
                    guard[0] + ":", warm[0] / 1e6, warm[warm.length / 2] / 1e6);
        }
        long start = System.nanoTime();
        int parses = 200;
        String handler = String.join("\n", java.util.Collections.nCopies(50, programs().findFirst().orElseThrow()));
        for (int i = 0; i < parses; i++) {
            instrument(handler);
        }
        System.out.printf("ScriptInstrumenter: instrumenting a %d-char source takes %.2f ms%n",
                handler.length(), (System.nanoTime() - start) / 1e6 / parses);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static Bindings newGlobal(String guard) throws ScriptException {
        Bindings global = ENGINE.createBindings();
        if (!guard.isEmpty()) {
            ENGINE.eval(guard, global);
        }
        return global;
    }

    private static Object run(String code, String guard) throws ScriptException {
        return ENGINE.eval(code, newGlobal(guard));
    }

    private static int guardCalls(String program) throws Exception {
        Bindings global = newGlobal(COUNTING_GUARD);
        ENGINE.eval(instrument(program), global);
        return ((Number) global.get("__count")).intValue();
    }

    private static long count(String s, char c) {
        return s.chars().filter(ch -> ch == c).count();
    }
}
