package io.gamecrm.handlers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.openjdk.nashorn.api.tree.AssignmentTree;
import org.openjdk.nashorn.api.tree.BlockTree;
import org.openjdk.nashorn.api.tree.CatchTree;
import org.openjdk.nashorn.api.tree.CompilationUnitTree;
import org.openjdk.nashorn.api.tree.CompoundAssignmentTree;
import org.openjdk.nashorn.api.tree.Diagnostic;
import org.openjdk.nashorn.api.tree.DoWhileLoopTree;
import org.openjdk.nashorn.api.tree.ExpressionStatementTree;
import org.openjdk.nashorn.api.tree.ExpressionTree;
import org.openjdk.nashorn.api.tree.ForInLoopTree;
import org.openjdk.nashorn.api.tree.ForLoopTree;
import org.openjdk.nashorn.api.tree.FunctionCallTree;
import org.openjdk.nashorn.api.tree.FunctionDeclarationTree;
import org.openjdk.nashorn.api.tree.FunctionExpressionTree;
import org.openjdk.nashorn.api.tree.IdentifierTree;
import org.openjdk.nashorn.api.tree.MemberSelectTree;
import org.openjdk.nashorn.api.tree.Parser;
import org.openjdk.nashorn.api.tree.PropertyTree;
import org.openjdk.nashorn.api.tree.RegExpLiteralTree;
import org.openjdk.nashorn.api.tree.ReturnTree;
import org.openjdk.nashorn.api.tree.SimpleTreeVisitorES5_1;
import org.openjdk.nashorn.api.tree.StatementTree;
import org.openjdk.nashorn.api.tree.Tree;
import org.openjdk.nashorn.api.tree.TryTree;
import org.openjdk.nashorn.api.tree.UnaryTree;
import org.openjdk.nashorn.api.tree.VariableTree;
import org.openjdk.nashorn.api.tree.WhileLoopTree;

/**
 * Checks a handler file and rewrites it so the runtime can bound and isolate it. Nashorn code
 * cannot be interrupted and shares nothing but what it is handed, so everything the runtime needs
 * is put into the source before it is compiled; only text is inserted, never a line break, so line
 * numbers in later errors are the designer's.
 *
 * <p>{@link #instrumentFile} first parses the file <em>on its own</em>, as a strict ES5 program: a
 * file that does not parse by itself (one that starts with {@code })} to close the runtime's wrapper
 * and run code outside it, say) is rejected before anything wraps it. It then wraps the file in
 * {@code (function (crm, __crm_g, __crm_w, __crm_f, __crm_c) {'use strict'; <file>\n})}, checks that the
 * wrapped source is exactly that one function, and inserts:
 * <ul>
 *   <li>{@code var __crm_pN = __crm_g();} at the start of every function body (after its directive
 *       prologue) and {@code __crm_g();} at the start of every loop body: the time, memory and stop
 *       guard, which also returns the <em>phase</em> the function was entered in (0 while the file
 *       loads, then one number per handler call);</li>
 *   <li>{@code (__crm_w(__crm_pN), x = v)} around every write to a variable of an enclosing
 *       function: the write fails unless that function's scope was created in the current call, so a
 *       closure cannot carry state from one event to the next;</li>
 *   <li>{@code if (__crm_pN === 0) __crm_f(function () { return [a, b]; });} in functions that hold
 *       closures: while the file loads, this hands the runtime the scope's values, which it
 *       deep-freezes once the file has loaded;</li>
 *   <li>{@code __crm_c(e);} at the start of every catch block, and a catch clause in front of every
 *       finally block, so a Java error (a stop by the watchdog, a stack overflow) is never swallowed
 *       by script code: the runtime sees it and rethrows it.</li>
 * </ul>
 * Rejected with a message naming the line: source that does not parse on its own, an identifier
 * starting with {@code __crm} (reserved for the runtime), a write from inside a function to a
 * variable of the file's top level (file-level state), and a {@code for (x in o)} loop over a
 * variable of an enclosing function.
 *
 * <p>The parser's positions are not exact for every token (see {@link Lexical}), so they are snapped
 * to the real token boundaries with a small lexical scan, and the result is re-parsed and checked
 * before it is returned.
 */
public final class ScriptInstrumenter {

    /**
     * Thrown for source that does not parse or breaks a rule. The message is one line:
     * {@code "<fileName>:<line>:<column>: <message>"}, plus {@code " (and N more errors)"}.
     */
    public static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;
        private final int column;

        public SyntaxError(String message) {
            this(message, -1, -1);
        }

        public SyntaxError(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }

        /** 1-based line of the (first) error, or -1 if unknown. */
        public int line() {
            return line;
        }

        /** Column of the (first) error as Nashorn counts it (0-based, like its runtime errors), or -1. */
        public int column() {
            return column;
        }
    }

    /** Identifiers starting with this are the runtime's: a file may not use them. */
    public static final String RESERVED_PREFIX = "__crm";
    /** The file's registration API, the first parameter of the wrapper. */
    public static final String API = "crm";
    /** Guard: time, memory and stop check; returns the current phase. */
    public static final String GUARD = "__crm_g";
    /** Write check: {@code __crm_w(phase)} throws unless phase is the current one. */
    public static final String WRITE = "__crm_w";
    /** Freezer registration, while loading: {@code __crm_f(function () { return [values]; })}. */
    public static final String FREEZE = "__crm_f";
    /** Catch check: rethrows a Java error a catch block received. */
    public static final String CATCH = "__crm_c";
    /** Prefix of the per-function phase variables. */
    static final String PHASE = "__crm_p";
    /** The catch parameter of the clauses put in front of finally blocks. */
    static final String CAUGHT = "__crm_x";
    /** The wrapper's first line, before the file's first line (no line break: line numbers stay). */
    public static final String HEADER = "(function (" + API + ", " + GUARD + ", " + WRITE + ", " + FREEZE + ", "
            + CATCH + ") {'use strict';";
    public static final String FOOTER = "\n})";

    /** Options of the parser: ES5 is the parser's default; {@code --language=es5} is not accepted by it. */
    private static final String[] PARSER_OPTIONS = {"--no-syntax-extensions", "-strict"};

    private ScriptInstrumenter() {
    }

    /**
     * Checks a handler file on its own, wraps it and instruments it (see the class comment).
     *
     * @return the wrapped and instrumented source: one function expression taking
     *         {@code (crm, __crm_g, __crm_w, __crm_f, __crm_c)}
     * @throws SyntaxError if the file does not parse on its own, or breaks one of the rules
     */
    public static String instrumentFile(String source, String fileName) throws SyntaxError {
        Objects.requireNonNull(source, "source");
        String name = fileName == null ? "<script>" : fileName;
        CompilationUnitTree alone = parse(source, name);
        Analysis own = Analysis.of(alone, source);
        own.checkReserved(name);
        String wrapped = HEADER + source + FOOTER;
        CompilationUnitTree unit = parse(wrapped, name);
        checkWrapper(unit, alone, name);
        return instrument(wrapped, unit, name, true);
    }

    /**
     * Instruments source that is not a whole file (for tests of the rewriting itself): the same
     * insertions as {@link #instrumentFile}, without the file checks and the wrapper; writes to
     * variables of the top level are not rejected (there is no file function).
     */
    static String instrument(String source, String fileName) throws SyntaxError {
        String name = fileName == null ? "<script>" : fileName;
        return instrument(source, parse(source, name), name, false);
    }

    private static String instrument(String source, CompilationUnitTree unit, String name, boolean wrappedFile)
            throws SyntaxError {
        Analysis found = Analysis.of(unit, source);
        found.checkWrites(name, wrappedFile);
        if (found.loops.isEmpty() && found.functions.isEmpty() && found.catches.isEmpty() && found.finallies.isEmpty()) {
            return source;
        }
        Lexical lex = Lexical.scan(source, found.regexStarts);
        List<Insertion> insertions = new ArrayList<>();
        // order matters where two insertions share an offset: function prologue, loop, catch, write
        for (FunctionInfo f : found.functions) {
            insertions.add(functionPrologue(f, lex, name));
        }
        String guardCall = GUARD + "();";
        for (StatementTree body : found.loops) {
            int start = (int) body.getStartPosition();
            if (body.getKind() == Tree.Kind.BLOCK && lex.isCodeChar(start, '{')) {
                insertions.add(new Insertion(start + 1, guardCall));
            } else {
                // not a block, or a block the parser made up (`while (a) var x = 1;` has a BLOCK body
                // that starts at `var`): wrap the statement, with its `;`, in braces
                int from = lex.startOf(start);
                int to = lex.withSemicolon(lex.endOf(from, (int) body.getEndPosition()));
                insertions.add(new Insertion(from, "{" + guardCall));
                insertions.add(new Insertion(to, "}"));
            }
        }
        for (CatchInfo c : found.catches) {
            int brace = (int) c.tree.getBlock().getStartPosition();
            if (!lex.isCodeChar(brace, '{')) {
                throw new IllegalStateException(name + ": catch block does not start with '{' at offset " + brace);
            }
            String text = CATCH + "(" + c.param + ");";
            if (c.holdsClosures) {
                text += "if (" + PHASE + c.owner.index + " === 0) " + FREEZE + "(function () { return [" + c.param + "]; });";
            }
            insertions.add(new Insertion(brace + 1, text));
        }
        String rethrow = "catch (" + CAUGHT + ") {" + CATCH + "(" + CAUGHT + ");throw " + CAUGHT + ";} ";
        for (TryTree t : found.finallies) {
            int finallyAt = lex.keywordBefore((int) t.getFinallyBlock().getStartPosition(), "finally");
            if (t.getCatches().isEmpty()) {
                insertions.add(new Insertion(finallyAt, rethrow));
            } else {
                int tryAt = (int) t.getStartPosition();
                if (!lex.isCodeChar(tryAt, 't') || !source.startsWith("try", tryAt)) {
                    throw new IllegalStateException(name + ": try statement does not start with 'try' at offset " + tryAt);
                }
                insertions.add(new Insertion(tryAt + 3, "{try"));
                insertions.add(new Insertion(finallyAt, "} " + rethrow));
            }
        }
        for (Write w : found.checkedWrites) {
            int from = lex.startOf((int) w.tree.getStartPosition());
            int to = lex.endOf(from, (int) w.tree.getEndPosition());
            insertions.add(new Insertion(from, "(" + WRITE + "(" + PHASE + w.declaredIn.index + "),"));
            insertions.add(new Insertion(to, ")"));
        }
        String result = apply(source, insertions);
        selfCheck(result, name, found);
        return result;
    }

    private static Insertion functionPrologue(FunctionInfo f, Lexical lex, String name) {
        int brace = (int) f.body.getStartPosition();
        if (!lex.isCodeChar(brace, '{')) {
            throw new IllegalStateException(name + ": function body does not start with '{' at offset "
                    + brace + " (parser position changed?)");
        }
        int at = brace + 1;
        StringBuilder text = new StringBuilder();
        int prologueEnd = -1;
        for (StatementTree statement : f.body.getStatements()) {
            if (!isStringStatement(statement)) {
                break;
            }
            prologueEnd = lex.endOf(lex.startOf((int) statement.getStartPosition()), (int) statement.getEndPosition());
        }
        if (prologueEnd >= 0) {
            at = lex.withSemicolon(prologueEnd);
            if (at == prologueEnd) {
                text.append(';'); // `"use strict"` ended by a line break or `}`
            }
        }
        text.append("var ").append(PHASE).append(f.index).append(" = ").append(GUARD).append("();");
        if (f.holdsClosures && !f.declared.isEmpty()) {
            text.append("if (").append(PHASE).append(f.index).append(" === 0) ").append(FREEZE)
                    .append("(function () { return [").append(String.join(", ", f.declared)).append("]; });");
        }
        return new Insertion(at, text.toString());
    }

    // ---------------------------------------------------------------------------------------------

    private static CompilationUnitTree parse(String source, String name) throws SyntaxError {
        List<Diagnostic> errors = new ArrayList<>();
        CompilationUnitTree unit;
        try {
            unit = Parser.create(PARSER_OPTIONS).parse(name, source, d -> {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(d);
                }
            });
        } catch (RuntimeException | StackOverflowError e) {
            // the parser is recursive: absurd nesting overflows its stack
            throw new SyntaxError(name + ": cannot be parsed (" + e.getClass().getSimpleName() + ": nested too deeply?)");
        }
        if (!errors.isEmpty()) {
            throw syntaxError(name, errors);
        }
        if (unit == null) {
            throw new SyntaxError(name + ": cannot be parsed");
        }
        return unit;
    }

    /** The wrapped file must be exactly the wrapper function, holding exactly the file's statements. */
    private static void checkWrapper(CompilationUnitTree unit, CompilationUnitTree alone, String name)
            throws SyntaxError {
        boolean ok = unit.getSourceElements().size() == 1
                && unit.getSourceElements().get(0) instanceof ExpressionStatementTree es
                && es.getExpression() instanceof FunctionExpressionTree fn
                && fn.getParameters().size() == 5
                && fn.getBody() instanceof BlockTree body
                && body.getStatements().size() == alone.getSourceElements().size() + 1;
        if (!ok) {
            throw new SyntaxError(name + ": does not stay one program inside the runtime's wrapper");
        }
    }

    private static SyntaxError syntaxError(String name, List<Diagnostic> errors) {
        Diagnostic first = errors.get(0);
        int line = (int) first.getLineNumber();
        int column = (int) first.getColumnNumber();
        // Nashorn's message is "<name>:<line>:<column> <text>\n<source line>\n<caret>"
        String text = first.getMessage() == null ? "syntax error" : first.getMessage();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline);
        }
        String prefix = name + ":" + line + ":" + column + " ";
        if (text.startsWith(prefix)) {
            text = text.substring(prefix.length());
        }
        String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more error"
                + (errors.size() > 2 ? "s" : "") + ")" : "";
        return new SyntaxError(name + ":" + line + ":" + column + ": " + text.strip() + more, line, column);
    }

    private static boolean isStringStatement(StatementTree statement) {
        return statement instanceof ExpressionStatementTree es
                && es.getExpression().getKind() == Tree.Kind.STRING_LITERAL;
    }

    private record Insertion(int offset, String text) {
    }

    private static String apply(String source, List<Insertion> insertions) {
        List<Insertion> sorted = new ArrayList<>(insertions);
        sorted.sort(Comparator.comparingInt(Insertion::offset)); // stable: equal offsets keep their order
        StringBuilder out = new StringBuilder(source.length() + 24 * sorted.size());
        int copied = 0;
        for (Insertion insertion : sorted) {
            out.append(source, copied, insertion.offset()).append(insertion.text());
            copied = insertion.offset();
        }
        return out.append(source, copied, source.length()).toString();
    }

    /**
     * Re-parses the result and checks that it has as many loops, functions (plus the freezers) and
     * catch blocks as planned and that each body now starts with its guard. Cheap next to compiling
     * the script, and it turns any position mistake into a loud failure instead of a handler that
     * runs unguarded or differently.
     */
    private static void selfCheck(String result, String name, Analysis original) {
        Analysis again;
        try {
            again = Analysis.of(parse(result, name), result);
        } catch (SyntaxError e) {
            throw new IllegalStateException("instrumented source does not parse: " + e.getMessage(), e);
        }
        long freezers = again.functions.stream().filter(f -> f.freezer).count();
        long plannedFreezers = original.functions.stream().filter(f -> f.holdsClosures && !f.declared.isEmpty()).count()
                + original.catches.stream().filter(c -> c.holdsClosures).count();
        int plannedCatches = original.catches.size() + original.finallies.size();
        if (again.loops.size() != original.loops.size() || freezers != plannedFreezers
                || again.functions.size() - freezers != original.functions.size()
                || again.catches.size() != plannedCatches) {
            throw new IllegalStateException(name + ": instrumentation changed the number of loops/functions/catches");
        }
        for (StatementTree body : again.loops) {
            int start = (int) body.getStartPosition();
            boolean ok = body instanceof BlockTree block && start >= 0 && start < result.length()
                    && result.charAt(start) == '{' && !block.getStatements().isEmpty()
                    && isCall(block.getStatements().get(0), GUARD, null);
            if (!ok) {
                throw new IllegalStateException(name + ": loop body at offset " + start + " is not guarded");
            }
        }
        for (FunctionInfo f : again.functions) {
            if (f.freezer) {
                continue;
            }
            StatementTree first = f.body.getStatements().stream()
                    .filter(s -> !isStringStatement(s)).findFirst().orElse(null);
            boolean ok = first instanceof VariableTree v && v.getBinding() instanceof IdentifierTree id
                    && id.getName().startsWith(PHASE) && v.getInitializer() instanceof FunctionCallTree call
                    && call.getArguments().isEmpty() && call.getFunctionSelect() instanceof IdentifierTree g
                    && g.getName().equals(GUARD);
            if (!ok) {
                throw new IllegalStateException(name + ": function body at offset " + f.body.getStartPosition()
                        + " is not guarded");
            }
        }
        for (CatchInfo c : again.catches) {
            List<? extends StatementTree> statements = c.tree.getBlock().getStatements();
            if (statements.isEmpty() || !isCall(statements.get(0), CATCH, c.param)) {
                throw new IllegalStateException(name + ": catch block at offset " + c.tree.getStartPosition()
                        + " is not checked");
            }
        }
        for (TryTree t : again.tries) {
            if (t.getFinallyBlock() != null && t.getCatches().isEmpty()) {
                throw new IllegalStateException(name + ": finally block at offset " + t.getStartPosition()
                        + " has no catch in front of it");
            }
        }
    }

    private static boolean isCall(StatementTree statement, String function, String argument) {
        return statement instanceof ExpressionStatementTree es
                && es.getExpression() instanceof FunctionCallTree call
                && call.getFunctionSelect() instanceof IdentifierTree id
                && id.getName().equals(function)
                && (argument == null ? call.getArguments().isEmpty()
                        : call.getArguments().size() == 1 && call.getArguments().get(0) instanceof IdentifierTree a
                                && a.getName().equals(argument));
    }

    // ---------------------------------------------------------------------------------------------

    /** A function of the source, in the order met, with what its scope declares. */
    private static final class FunctionInfo {
        final int index;
        final BlockTree body;
        final FunctionInfo parent;
        /** Parameters, vars and function declarations of this function (not of nested ones). */
        final Set<String> declared = new LinkedHashSet<>();
        /** Whether a function is nested inside (so a closure may capture this scope). */
        boolean holdsClosures;
        /** A freezer put in by an earlier instrumentation (seen by the self-check only). */
        final boolean freezer;

        FunctionInfo(int index, BlockTree body, FunctionInfo parent, boolean freezer) {
            this.index = index;
            this.body = body;
            this.parent = parent;
            this.freezer = freezer;
        }
    }

    /** A catch clause: its parameter and the function it is in. */
    private static final class CatchInfo {
        final CatchTree tree;
        final String param;
        final FunctionInfo owner;
        boolean holdsClosures;

        CatchInfo(CatchTree tree, String param, FunctionInfo owner) {
            this.tree = tree;
            this.param = param;
            this.owner = owner;
        }
    }

    /** A scope on the way in: a function, or a catch clause inside one. */
    private record Scope(FunctionInfo function, CatchInfo catchClause, Scope parent) {
        FunctionInfo owner() {
            return function != null ? function : catchClause.owner;
        }
    }

    /** A write to a variable: where it is, what it writes, from which scope. */
    private static final class Write {
        final Tree tree;
        final IdentifierTree target;
        final Scope from;
        final boolean forIn;
        FunctionInfo declaredIn;

        Write(Tree tree, IdentifierTree target, Scope from, boolean forIn) {
            this.tree = tree;
            this.target = target;
            this.from = from;
            this.forIn = forIn;
        }
    }

    /** One walk of the tree: loops, functions, catch and finally clauses, writes, identifiers. */
    private static final class Analysis extends SimpleTreeVisitorES5_1<Void, Void> {
        final String source;
        final List<StatementTree> loops = new ArrayList<>();
        final List<FunctionInfo> functions = new ArrayList<>();
        final List<CatchInfo> catches = new ArrayList<>();
        final List<TryTree> finallies = new ArrayList<>();
        final List<TryTree> tries = new ArrayList<>();
        final List<Write> writes = new ArrayList<>();
        final List<Write> checkedWrites = new ArrayList<>();
        final List<IdentifierTree> reservedUses = new ArrayList<>();
        final Set<Integer> regexStarts = new HashSet<>();
        private Scope scope;

        /** The program's top level: only test sources declare anything there (a file is one expression). */
        private final FunctionInfo program = new FunctionInfo(-1, null, null, false);

        private Analysis(String source) {
            this.source = source;
            this.scope = new Scope(program, null, null);
        }

        static Analysis of(CompilationUnitTree unit, String source) {
            Analysis a = new Analysis(source);
            unit.accept(a, null);
            return a;
        }

        private void reserved(String name, Tree where) {
            if (name != null && name.startsWith(RESERVED_PREFIX) && where instanceof IdentifierTree id) {
                reservedUses.add(id);
            } else if (name != null && name.startsWith(RESERVED_PREFIX)) {
                reservedUses.add(null);
            }
        }

        void checkReserved(String name) throws SyntaxError {
            if (!reservedUses.isEmpty()) {
                IdentifierTree first = reservedUses.get(0);
                throw error(name, first, "identifiers starting with '" + RESERVED_PREFIX + "' are reserved for the runtime"
                        + (first == null ? "" : " ('" + first.getName() + "')"));
            }
        }

        /** Resolves every write; rejects file-level state and for-in over outer variables. */
        void checkWrites(String name, boolean wrappedFile) throws SyntaxError {
            FunctionInfo file = wrappedFile && !functions.isEmpty() ? functions.get(0) : null;
            for (Write w : writes) {
                String var = w.target.getName();
                Scope s = w.from;
                FunctionInfo declaredIn = null;
                boolean viaCatch = false;
                while (s != null) {
                    if (s.catchClause != null && s.catchClause.param.equals(var)) {
                        declaredIn = s.catchClause.owner;
                        viaCatch = true;
                        break;
                    }
                    if (s.function != null && s.function.declared.contains(var)) {
                        declaredIn = s.function;
                        break;
                    }
                    s = s.parent;
                }
                FunctionInfo writer = w.from.owner();
                if (declaredIn == null || declaredIn == writer || declaredIn == program) {
                    continue; // a global (strict mode refuses it at run time) or the writer's own variable
                }
                if (declaredIn == file) {
                    throw error(name, w.target, "a function changes '" + var + "', a variable of the file's top level:"
                            + " handlers must not keep state between events (keep it in the profile)");
                }
                if (w.forIn) {
                    throw error(name, w.target, "for (" + var + " in ...) loops over a variable of an enclosing function;"
                            + " declare the loop variable in this function (for (var k in ...))");
                }
                if (viaCatch) {
                    throw error(name, w.target, "a function changes '" + var + "', the parameter of an enclosing catch"
                            + " clause; copy it into a local variable first");
                }
                w.declaredIn = declaredIn;
                checkedWrites.add(w);
            }
        }

        private SyntaxError error(String name, Tree at, String message) {
            if (at == null) {
                return new SyntaxError(name + ": " + message);
            }
            int pos = (int) at.getStartPosition();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < pos && i < source.length(); i++) {
                if (source.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = pos - lineStart;
            if (line == 1 && source.startsWith(HEADER)) {
                column -= HEADER.length();
            }
            return new SyntaxError(name + ":" + line + ":" + column + ": " + message, line, column);
        }

        private void declare(String name) {
            if (name != null) {
                scope.owner().declared.add(name);
            }
        }

        private void markClosures() {
            for (Scope s = scope; s != null; s = s.parent) {
                if (s.catchClause != null) {
                    s.catchClause.holdsClosures = s.catchClause.owner != program;
                } else if (s.function != program) {
                    s.function.holdsClosures = true;
                }
            }
        }

        private Void function(IdentifierTree ownName, List<? extends ExpressionTree> params, Tree body, Tree node) {
            if (!(body instanceof BlockTree block)) {
                throw new IllegalStateException("function without a block body at offset " + node.getStartPosition()
                        + " (syntax extensions should be off)");
            }
            markClosures();
            FunctionInfo info = new FunctionInfo(functions.size(), block, scope.owner(), isFreezer(params, block));
            functions.add(info);
            Scope outer = scope;
            scope = new Scope(info, null, outer);
            if (ownName != null) {
                reserved(ownName.getName(), ownName);
            }
            for (ExpressionTree p : params) {
                if (p instanceof IdentifierTree id) {
                    reserved(id.getName(), id);
                    info.declared.add(id.getName());
                }
            }
            block.accept(this, null);
            scope = outer;
            return null;
        }

        /** A freezer put in by this class: no parameters, one statement returning an array of names. */
        private static boolean isFreezer(List<? extends ExpressionTree> params, BlockTree block) {
            return params.isEmpty() && block.getStatements().size() == 1
                    && block.getStatements().get(0) instanceof ReturnTree r
                    && r.getExpression() != null && r.getExpression().getKind() == Tree.Kind.ARRAY_LITERAL
                    && block.getStartPosition() >= 0;
        }

        @Override
        public Void visitFunctionDeclaration(FunctionDeclarationTree node, Void p) {
            declare(node.getName().getName());
            return function(node.getName(), node.getParameters(), node.getBody(), node);
        }

        @Override
        public Void visitFunctionExpression(FunctionExpressionTree node, Void p) {
            // getters and setters of object literals arrive here too (PropertyTree.getGetter()/getSetter())
            return function(node.getName(), node.getParameters(), node.getBody(), node);
        }

        @Override
        public Void visitVariable(VariableTree node, Void p) {
            if (node.getBinding() instanceof IdentifierTree id) {
                reserved(id.getName(), id);
                declare(id.getName());
            }
            return super.visitVariable(node, p);
        }

        @Override
        public Void visitCatch(CatchTree node, Void p) {
            String param = node.getParameter() instanceof IdentifierTree id ? id.getName() : null;
            if (param == null) {
                throw new IllegalStateException("catch without an identifier at offset " + node.getStartPosition());
            }
            reserved(param, node.getParameter());
            CatchInfo info = new CatchInfo(node, param, scope.owner());
            catches.add(info);
            Scope outer = scope;
            scope = new Scope(null, info, outer);
            super.visitCatch(node, p);
            scope = outer;
            return null;
        }

        @Override
        public Void visitTry(TryTree node, Void p) {
            tries.add(node);
            if (node.getFinallyBlock() != null) {
                finallies.add(node);
            }
            return super.visitTry(node, p);
        }

        @Override
        public Void visitIdentifier(IdentifierTree node, Void p) {
            reserved(node.getName(), node);
            return super.visitIdentifier(node, p);
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree node, Void p) {
            reserved(node.getIdentifier(), null);
            return super.visitMemberSelect(node, p);
        }

        @Override
        public Void visitProperty(PropertyTree node, Void p) {
            if (node.getKey() instanceof IdentifierTree id) {
                reserved(id.getName(), id);
            }
            return super.visitProperty(node, p);
        }

        private void write(Tree node, ExpressionTree target, boolean forIn) {
            if (target instanceof IdentifierTree id) {
                writes.add(new Write(node, id, scope, forIn));
            }
        }

        @Override
        public Void visitAssignment(AssignmentTree node, Void p) {
            write(node, node.getVariable(), false);
            return super.visitAssignment(node, p);
        }

        @Override
        public Void visitCompoundAssignment(CompoundAssignmentTree node, Void p) {
            write(node, node.getVariable(), false);
            return super.visitCompoundAssignment(node, p);
        }

        @Override
        public Void visitUnary(UnaryTree node, Void p) {
            switch (node.getKind()) {
                case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
                        write(node, node.getExpression(), false);
                default -> {
                }
            }
            return super.visitUnary(node, p);
        }

        @Override
        public Void visitWhileLoop(WhileLoopTree node, Void p) {
            loops.add(node.getStatement());
            return super.visitWhileLoop(node, p);
        }

        @Override
        public Void visitDoWhileLoop(DoWhileLoopTree node, Void p) {
            loops.add(node.getStatement());
            return super.visitDoWhileLoop(node, p);
        }

        @Override
        public Void visitForLoop(ForLoopTree node, Void p) {
            loops.add(node.getStatement());
            return super.visitForLoop(node, p);
        }

        @Override
        public Void visitForInLoop(ForInLoopTree node, Void p) {
            loops.add(node.getStatement());
            write(node.getVariable(), node.getVariable(), true);
            return super.visitForInLoop(node, p);
        }

        @Override
        public Void visitRegExpLiteral(RegExpLiteralTree node, Void p) {
            regexStarts.add((int) node.getStartPosition());
            return super.visitRegExpLiteral(node, p);
        }
    }

    /**
     * Which characters of the source are code, string/regex literal, comment or white space. Needed
     * because the parser's positions are token positions with quirks: a string literal's start/end
     * are those of its content (inside the quotes), and a statement's end includes comments that
     * follow it on the line ({@code x++ // c} ends after {@code c}). The only context-dependent part of
     * ES5 lexing, regex versus division, is settled by the regex literal positions from the tree.
     */
    static final class Lexical {
        private static final byte SPACE = 0;
        private static final byte CODE = 1;
        private static final byte LITERAL = 2;
        private static final byte COMMENT = 3;

        private final String src;
        private final byte[] kind;
        /** For a character of a string/regex literal: where the literal starts; otherwise -1. */
        private final int[] literalStart;
        /** For the first character of a literal: where it ends (exclusive). */
        private final int[] literalEnd;

        private Lexical(String src) {
            this.src = src;
            this.kind = new byte[src.length()];
            this.literalStart = new int[src.length()];
            this.literalEnd = new int[src.length()];
            Arrays.fill(literalStart, -1);
        }

        static Lexical scan(String src, Set<Integer> regexStarts) {
            Lexical lex = new Lexical(src);
            int n = src.length();
            for (int start : regexStarts) {
                if (start < 0 || start >= n || src.charAt(start) != '/') {
                    throw new IllegalStateException("regex literal position " + start + " is not at a '/'");
                }
            }
            int i = 0;
            while (i < n) {
                char c = src.charAt(i);
                char next = i + 1 < n ? src.charAt(i + 1) : '\0';
                if (c == '/' && next == '/') {
                    int j = i + 2;
                    while (j < n && !isLineTerminator(src.charAt(j))) {
                        j++;
                    }
                    lex.mark(i, j, COMMENT);
                    i = j;
                } else if (c == '/' && next == '*') {
                    int close = src.indexOf("*/", i + 2);
                    int j = close < 0 ? n : close + 2;
                    lex.mark(i, j, COMMENT);
                    i = j;
                } else if (c == '"' || c == '\'') {
                    int j = i + 1;
                    while (j < n) {
                        char d = src.charAt(j);
                        if (d == '\\') {
                            j += (j + 2 < n && src.charAt(j + 1) == '\r' && src.charAt(j + 2) == '\n') ? 3 : 2;
                        } else if (d == c || isLineTerminator(d)) {
                            j++;
                            break;
                        } else {
                            j++;
                        }
                    }
                    i = lex.literal(i, Math.min(j, n));
                } else if (c == '/' && regexStarts.contains(i)) {
                    int j = i + 1;
                    boolean inClass = false;
                    while (j < n) {
                        char d = src.charAt(j);
                        if (d == '\\') {
                            j += 2;
                            continue;
                        }
                        j++;
                        if (d == '[') {
                            inClass = true;
                        } else if (d == ']') {
                            inClass = false;
                        } else if (d == '/' && !inClass) {
                            break;
                        }
                    }
                    while (j < n && Character.isJavaIdentifierPart(src.charAt(j))) {
                        j++; // flags
                    }
                    i = lex.literal(i, Math.min(j, n));
                } else {
                    lex.kind[i] = isSpace(c) ? SPACE : CODE;
                    i++;
                }
            }
            return lex;
        }

        private void mark(int from, int to, byte k) {
            Arrays.fill(kind, from, to, k);
        }

        private int literal(int from, int to) {
            mark(from, to, LITERAL);
            Arrays.fill(literalStart, from, to, from);
            literalEnd[from] = to;
            return to;
        }

        private static boolean isLineTerminator(char c) {
            return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';
        }

        private static boolean isSpace(char c) {
            return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
        }

        /** Whether offset holds the given character as code (not in a comment or literal). */
        boolean isCodeChar(int offset, char c) {
            return offset >= 0 && offset < src.length() && kind[offset] == CODE && src.charAt(offset) == c;
        }

        private boolean isToken(int offset) {
            return kind[offset] == CODE || kind[offset] == LITERAL;
        }

        /** The real start of a statement the parser says starts at offset (a leading string starts at its quote). */
        int startOf(int offset) {
            int at = offset;
            if (at >= 0 && at < src.length() && literalStart[at] >= 0) {
                at = literalStart[at];
            }
            while (at < src.length() && !isToken(at)) {
                at++;
            }
            return at;
        }

        /**
         * The real end of a statement that starts at start and that the parser says ends at offset:
         * after a closing quote the parser left out, before comments and space it put in.
         */
        int endOf(int start, int offset) {
            int at = Math.min(offset, src.length());
            if (at < src.length() && literalStart[at] >= 0 && literalStart[at] < at) {
                at = literalEnd[literalStart[at]];
            }
            while (at > start && !isToken(at - 1)) {
                at--;
            }
            return at;
        }

        /**
         * If the statement ending at end is not already ended by a {@code ;} and the next token is one,
         * the offset after that {@code ;}; otherwise end. (In a valid program a {@code ;} right after
         * an expression statement is its terminator; taking a stray empty statement into a loop body
         * changes nothing.)
         */
        int withSemicolon(int end) {
            if (end > 0 && isCodeChar(end - 1, ';')) {
                return end;
            }
            int at = end;
            while (at < src.length() && !isToken(at)) {
                at++;
            }
            return isCodeChar(at, ';') ? at + 1 : end;
        }

        /**
         * Where the keyword that ends right before offset (white space and comments between) starts;
         * used to find {@code finally} in front of a finally block.
         */
        int keywordBefore(int offset, String keyword) {
            int at = offset;
            while (at > 0 && !isToken(at - 1)) {
                at--;
            }
            int start = at - keyword.length();
            if (start < 0 || !src.startsWith(keyword, start) || kind[start] != CODE) {
                throw new IllegalStateException("expected '" + keyword + "' before offset " + offset);
            }
            return start;
        }
    }
}
