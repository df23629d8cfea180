package io.gamecrm.analytics;

import io.gamecrm.analytics.questions.Answer;
import io.gamecrm.analytics.questions.Formats;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** How a command prints its answer, and where its picture goes. */
public final class OutputOptions {
    static final class Format {
        @Option(names = "--csv", description = "Print CSV (RFC 4180) instead of a table.")
        boolean csv;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Format format = new Format();

    @Option(names = "--limit", defaultValue = "1000", description = "At most this many rows (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--plot", paramLabel = "FILE.svg|png", description = "Also draw the answer into this file.")
    Path plot;

    Formats formats() {
        return format.json ? Formats.JSON : format.csv ? Formats.CSV : Formats.TABLE;
    }

    /** The sentence (on stderr for CSV and JSON, so stdout stays machine-readable), then the table. */
    void print(Answer a, PrintStream out, PrintStream err) {
        Formats f = formats();
        (f == Formats.TABLE ? out : err).println(a.sentence() + "  [" + a.millis() + " ms]");
        out.print(f.render(a.table()));
        out.flush();
    }
}
