package io.gamecrm.cli;

import java.io.PrintStream;

/**
 * What the user sees. On a terminal a status line is redrawn in place and other lines scroll above
 * it; elsewhere (a pipe, a CI log) every line is printed plainly and the status only now and then.
 */
public final class Terminal {
    private final PrintStream out;
    private final boolean interactive;
    private String status = "";
    private long lastPlainStatus;

    public Terminal(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    public static Terminal system() {
        return new Terminal(System.out, System.console() != null && !"dumb".equals(System.getenv("TERM")));
    }

    public boolean interactive() {
        return interactive;
    }

    /** A line that stays (a trigger, a progress message). */
    public synchronized void line(String text) {
        if (interactive) {
            out.print("\r\033[K");
            out.println(text);
            if (!status.isEmpty()) {
                out.print(status);
            }
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Replaces the status line (interactive) or prints it at most every {@code plainEveryMs}. */
    public synchronized void status(String text, long plainEveryMs) {
        status = text;
        if (interactive) {
            out.print("\r\033[K" + text);
            out.flush();
        } else if (System.currentTimeMillis() - lastPlainStatus >= plainEveryMs) {
            lastPlainStatus = System.currentTimeMillis();
            out.println(text);
            out.flush();
        }
    }

    /** Ends the status line so later output starts on a fresh line. */
    public synchronized void endStatus() {
        if (interactive && !status.isEmpty()) {
            out.println();
        }
        status = "";
        out.flush();
    }

    public String bold(String s) {
        return interactive ? "\033[1m" + s + "\033[0m" : s;
    }

    public String dim(String s) {
        return interactive ? "\033[2m" + s + "\033[0m" : s;
    }

    public String green(String s) {
        return interactive ? "\033[32m" + s + "\033[0m" : s;
    }

    public String red(String s) {
        return interactive ? "\033[31m" + s + "\033[0m" : s;
    }
}
