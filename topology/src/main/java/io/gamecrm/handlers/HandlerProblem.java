package io.gamecrm.handlers;

/**
 * A handler file that could not be used, with the kind of problem and the reason in words. The
 * file's last good version (if any) keeps running.
 */
public record HandlerProblem(String file, String version, Kind kind, String reason) {
    public enum Kind {
        /** Larger than crm.handlers.file.max.bytes. */
        TOO_LARGE,
        /** Does not parse on its own, or breaks a source rule (reserved names, file-level state). */
        DOES_NOT_COMPILE,
        /** Its top level ran past the load budget. */
        LOAD_TIMEOUT,
        /** Its top level allocated more than the memory limit. */
        LOAD_MEMORY,
        /** Compiling or loading it ran past the load deadline and the watchdog stopped it. */
        LOAD_STOPPED,
        /** crm.handler or crm.campaign refused a declaration. */
        INVALID_DECLARATION,
        /** Its top level threw. */
        LOAD_ERROR,
        /** It declares no handler and no campaign. */
        NOTHING_REGISTERED,
        /** A handler name, campaign id or profile key another file already has. */
        CLASH,
        /** The kill switch file is not valid. */
        INVALID_CONTROL
    }

    /** A problem of an unspecified kind (tools). */
    public HandlerProblem(String file, String version, String reason) {
        this(file, version, Kind.LOAD_ERROR, reason);
    }
}
