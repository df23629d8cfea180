package io.gamecrm.handlers;

import org.openjdk.nashorn.api.scripting.NashornException;

/** Turns what a script threw into one line a game designer can act on. */
final class Scripts {
    private Scripts() {
    }

    /**
     * The Java error a script threw, when it threw one (a script's throw of a caught Java error
     * arrives wrapped); else the exception itself. Never runs script code.
     */
    static Throwable javaError(Throwable e) {
        if (e instanceof NashornException ne && ne.getEcmaError() instanceof Throwable t) {
            return t;
        }
        return e;
    }

    static String describe(Throwable e) {
        Throwable java = javaError(e);
        if (java != e) {
            return describe(java);
        }
        if (e instanceof StackOverflowError) {
            return "stack overflow (runaway recursion?)";
        }
        if (e instanceof OutOfMemoryError) {
            return "ran out of memory (" + e.getMessage() + ")";
        }
        if (e instanceof NashornException ne) {
            String where = ne.getFileName() == null ? ""
                    : " (" + ne.getFileName() + (ne.getLineNumber() > 0 ? ":" + ne.getLineNumber() : "") + ")";
            String msg = ne.getMessage();
            return (msg == null ? e.getClass().getSimpleName() : msg) + (msg != null && msg.contains(" at line ") ? "" : where);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof NashornException && root != e) {
            return describe(root);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
