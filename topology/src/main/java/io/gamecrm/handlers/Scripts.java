package io.gamecrm.handlers;

import org.openjdk.nashorn.api.scripting.NashornException;

/** Turns what a script threw into one line a game designer can act on. */
final class Scripts {
    private Scripts() {
    }

    static String describe(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "stack overflow (runaway recursion?)";
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
