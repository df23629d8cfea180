package io.gamecrm.handlers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.openjdk.nashorn.api.tree.BlockTree;
import org.openjdk.nashorn.api.tree.CompilationUnitTree;
import org.openjdk.nashorn.api.tree.Diagnostic;
import org.openjdk.nashorn.api.tree.DoWhileLoopTree;
import org.openjdk.nashorn.api.tree.ExpressionStatementTree;
import org.openjdk.nashorn.api.tree.ForInLoopTree;
import org.openjdk.nashorn.api.tree.ForLoopTree;
import org.openjdk.nashorn.api.tree.FunctionCallTree;
import org.openjdk.nashorn.api.tree.FunctionDeclarationTree;
import org.openjdk.nashorn.api.tree.FunctionExpressionTree;
import org.openjdk.nashorn.api.tree.IdentifierTree;
import org.openjdk.nashorn.api.tree.Parser;
import org.openjdk.nashorn.api.tree.RegExpLiteralTree;
import org.openjdk.nashorn.api.tree.SimpleTreeVisitorES5_1;
import org.openjdk.nashorn.api.tree.StatementTree;
import org.openjdk.nashorn.api.tree.Tree;
import org.openjdk.nashorn.api.tree.WhileLoopTree;

/**
 * Source-to-source instrumentation that lets the handler runtime stop runaway scripts. Nashorn code
 * cannot be interrupted, so before a handler file is compiled a call to a guard function is put at
 * the start of every loop body and every function body; the runtime's guard checks a deadline and
 * throws (and keeps throwing), so neither an endless loop nor endless recursion can wedge an executor.
 *
 * <p>The source is parsed with Nashorn's parser API (ES5, no syntax extensions, like
 * {@link ScriptSandbox}'s engines) and only text is inserted: nothing is removed or reformatted and no
 * line break is added, so line numbers in later errors are those of the original source. The
 * parser's positions are not exact for every token (see {@link Lexical}), so they are snapped to the
 * real token boundaries with a small lexical scan, and the result is re-parsed and checked before it
 * is returned.
 *
 * <p>Not covered (the runtime has to close these itself): code built from strings at run time
 * ({@code eval}, {@code Function("...")}), a handler that shadows the guard's name (a local
 * {@code var}/parameter/function of that name, or {@code with} over an object having such a property),
 * and long-running native operations (a catastrophic regular expression, a huge {@code join}).
 */
public final class ScriptInstrumenter {

    /**
     * Thrown for source that does not parse. The message is one line:
     * {@code "<fileName>:<line>:<column>: <parser message>"}, plus {@code " (and N more errors)"}.
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

    /** Options of the parser: ES5 is the parser's default; {@code --language=es5} is not accepted by it. */
    private static final String[] PARSER_OPTIONS = {"--no-syntax-extensions"};

    private static final Pattern IDENTIFIER =
            Pattern.compile("[\\p{L}\\p{Nl}$_][\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}$_\\u200C\\u200D]*");
    private static final Set<String> RESERVED = new HashSet<>(Arrays.asList(
            "break", "case", "catch", "continue", "debugger", "default", "delete", "do", "else", "finally",
            "for", "function", "if", "in", "instanceof", "new", "return", "switch", "this", "throw", "try",
            "typeof", "var", "void", "while", "with", "class", "const", "enum", "export", "extends", "import",
            "super", "implements", "interface", "let", "package", "private", "protected", "public", "static",
            "yield", "null", "true", "false", "eval", "arguments", "undefined", "NaN", "Infinity"));

    private ScriptInstrumenter() {
    }

    /**
     * Returns the source with {@code guardName();} inserted as the first statement of every loop body
     * (while, do-while, for, for-in; a non-block body such as {@code while (x) y++;} or {@code for(;;);}
     * is wrapped in braces: {@code {guardName();y++;}}) and of every function body (declarations,
     * expressions, getters and setters in object literals, nested functions). In a function body that
     * starts with a directive prologue ({@code "use strict";}) the call goes right after the prologue,
     * so the function stays strict. Never inserts a line break, so line numbers of errors stay those of
     * the original source. Code inside strings, comments and regex literals is untouched. Source without
     * loops or functions is returned unchanged.
     *
     * @param source    ECMAScript 5.1 source (it may be a whole file or a wrapper such as
     *                  {@code "(function (crm) {" + file + "\n})"})
     * @param fileName  used in error messages
     * @param guardName a valid JS identifier
     * @throws SyntaxError              if the source does not parse; the message names file, line, column
     *                                  and the parser's message
     * @throws IllegalArgumentException if guardName is not a valid identifier
     * @throws IllegalStateException    if the instrumented source fails its self-check (a bug here, not in
     *                                  the script)
     */
    public static String instrument(String source, String fileName, String guardName) throws SyntaxError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(guardName, "guardName");
        if (!IDENTIFIER.matcher(guardName).matches() || RESERVED.contains(guardName)) {
            throw new IllegalArgumentException("not a usable JavaScript identifier: '" + guardName + "'");
        }
        String name = fileName == null ? "<script>" : fileName;

        Found found = Found.in(parse(source, name));
        if (found.loopBodies.isEmpty() && found.functionBodies.isEmpty()) {
            return source;
        }
        Lexical lex = Lexical.scan(source, found.regexStarts);
        String call = guardName + "();";
        List<Insertion> insertions = new ArrayList<>();
        for (StatementTree body : found.loopBodies) {
            int start = (int) body.getStartPosition();
            if (body.getKind() == Tree.Kind.BLOCK && lex.isCodeChar(start, '{')) {
                insertions.add(new Insertion(start + 1, call));
            } else {
                // not a block, or a block the parser made up (`while (a) var x = 1;` has a BLOCK body
                // that starts at `var`): wrap the statement, with its `;`, in braces
                int from = lex.startOf(start);
                int to = lex.withSemicolon(lex.endOf(from, (int) body.getEndPosition()));
                insertions.add(new Insertion(from, "{" + call));
                insertions.add(new Insertion(to, "}"));
            }
        }
        for (BlockTree body : found.functionBodies) {
            int brace = (int) body.getStartPosition();
            if (!lex.isCodeChar(brace, '{')) {
                throw new IllegalStateException(name + ": function body does not start with '{' at offset "
                        + brace + " (parser position changed?)");
            }
            int at = brace + 1;
            String text = call;
            int prologueEnd = -1;
            for (StatementTree statement : body.getStatements()) {
                if (!isStringStatement(statement)) {
                    break;
                }
                prologueEnd = lex.endOf(lex.startOf((int) statement.getStartPosition()),
                        (int) statement.getEndPosition());
            }
            if (prologueEnd >= 0) {
                at = lex.withSemicolon(prologueEnd);
                if (at == prologueEnd) {
                    text = ";" + call; // `"use strict"` ended by a line break or `}`
                }
            }
            insertions.add(new Insertion(at, text));
        }

        String result = apply(source, insertions);
        selfCheck(result, name, guardName, found);
        return result;
    }

    // ---------------------------------------------------------------------------------------------

    private static CompilationUnitTree parse(String source, String name) throws SyntaxError {
        List<Diagnostic> errors = new ArrayList<>();
        CompilationUnitTree unit = Parser.create(PARSER_OPTIONS).parse(name, source, d -> {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d);
            }
        });
        if (!errors.isEmpty()) {
            throw syntaxError(name, errors);
        }
        if (unit == null) {
            throw new SyntaxError(name + ": cannot be parsed");
        }
        return unit;
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
        StringBuilder out = new StringBuilder(source.length() + 16 * sorted.size());
        int copied = 0;
        for (Insertion insertion : sorted) {
            out.append(source, copied, insertion.offset()).append(insertion.text());
            copied = insertion.offset();
        }
        return out.append(source, copied, source.length()).toString();
    }

    /**
     * Re-parses the result and checks that it has as many loops and functions as the original and
     * that each body now starts with the guard call. Cheap next to compiling the script, and it turns
     * any position mistake into a loud failure instead of a handler that runs unguarded or differently.
     */
    private static void selfCheck(String result, String name, String guardName, Found original) {
        Found again;
        try {
            again = Found.in(parse(result, name));
        } catch (SyntaxError e) {
            throw new IllegalStateException("instrumented source does not parse: " + e.getMessage(), e);
        }
        if (again.loopBodies.size() != original.loopBodies.size()
                || again.functionBodies.size() != original.functionBodies.size()) {
            throw new IllegalStateException(name + ": instrumentation changed the number of loops/functions");
        }
        for (StatementTree body : again.loopBodies) {
            int start = (int) body.getStartPosition();
            boolean ok = body instanceof BlockTree block && start >= 0 && start < result.length()
                    && result.charAt(start) == '{' && !block.getStatements().isEmpty()
                    && isGuardCall(block.getStatements().get(0), guardName);
            if (!ok) {
                throw new IllegalStateException(name + ": loop body at offset " + start + " is not guarded");
            }
        }
        for (BlockTree body : again.functionBodies) {
            StatementTree first = body.getStatements().stream()
                    .filter(s -> !isStringStatement(s)).findFirst().orElse(null);
            if (first == null || !isGuardCall(first, guardName)) {
                throw new IllegalStateException(name + ": function body at offset " + body.getStartPosition()
                        + " is not guarded");
            }
        }
    }

    private static boolean isGuardCall(StatementTree statement, String guardName) {
        return statement instanceof ExpressionStatementTree es
                && es.getExpression() instanceof FunctionCallTree call
                && call.getArguments().isEmpty()
                && call.getFunctionSelect() instanceof IdentifierTree id
                && id.getName().equals(guardName);
    }

    /** What one walk of the tree finds: loop bodies, function bodies and where regex literals start. */
    private static final class Found extends SimpleTreeVisitorES5_1<Void, Void> {
        final List<StatementTree> loopBodies = new ArrayList<>();
        final List<BlockTree> functionBodies = new ArrayList<>();
        final Set<Integer> regexStarts = new HashSet<>();

        static Found in(CompilationUnitTree unit) {
            Found found = new Found();
            unit.accept(found, null);
            return found;
        }

        @Override
        public Void visitWhileLoop(WhileLoopTree node, Void p) {
            loopBodies.add(node.getStatement());
            return super.visitWhileLoop(node, p);
        }

        @Override
        public Void visitDoWhileLoop(DoWhileLoopTree node, Void p) {
            loopBodies.add(node.getStatement());
            return super.visitDoWhileLoop(node, p);
        }

        @Override
        public Void visitForLoop(ForLoopTree node, Void p) {
            loopBodies.add(node.getStatement());
            return super.visitForLoop(node, p);
        }

        @Override
        public Void visitForInLoop(ForInLoopTree node, Void p) {
            loopBodies.add(node.getStatement());
            return super.visitForInLoop(node, p);
        }

        @Override
        public Void visitFunctionDeclaration(FunctionDeclarationTree node, Void p) {
            functionBodies.add(node.getBody());
            return super.visitFunctionDeclaration(node, p);
        }

        @Override
        public Void visitFunctionExpression(FunctionExpressionTree node, Void p) {
            // getters and setters of object literals arrive here too (PropertyTree.getGetter()/getSetter())
            if (!(node.getBody() instanceof BlockTree body)) {
                throw new IllegalStateException("function without a block body at offset "
                        + node.getStartPosition() + " (syntax extensions should be off)");
            }
            functionBodies.add(body);
            return super.visitFunctionExpression(node, p);
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
    }
}
