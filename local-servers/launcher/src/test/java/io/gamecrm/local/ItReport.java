package io.gamecrm.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the local servers' ITs print as they go: a line per step under the IT's name, times and resident memory. */
public final class ItReport {
    private final String prefix;

    public ItReport(Class<?> it) {
        this.prefix = "[" + it.getSimpleName() + "] ";
    }

    public void line(String format, Object... args) {
        System.out.println(prefix + String.format(Locale.ROOT, format, args));
    }

    /** Seconds since {@code sinceNanos} ({@link System#nanoTime()}). */
    public static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** Resident set size from /proc (Linux), or -1. */
    public static long rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }
}
