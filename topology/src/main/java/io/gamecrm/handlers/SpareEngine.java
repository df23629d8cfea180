package io.gamecrm.handlers;

import java.util.List;

/**
 * Keeps one script engine ready for the next compilation, so creating an engine (tens of
 * milliseconds) is not on the path of a hot reload. Owned by one thread: the engine it hands out is
 * used by that thread's compilation only.
 */
public final class SpareEngine {
    private ScriptSandbox.Engine spare;

    /** Compiles the files on the spare engine (or a new one if there is none). */
    public HandlerSet.Compilation compile(List<HandlerFile> files, HandlerRuntime runtime) {
        ScriptSandbox.Engine engine = spare != null ? spare : ScriptSandbox.newEngine();
        spare = null;
        return HandlerSet.compile(files, runtime, engine);
    }

    /** Prepares the next engine; call it when the thread is idle. */
    public void refill() {
        if (spare == null) {
            spare = ScriptSandbox.newEngine();
        }
    }
}
