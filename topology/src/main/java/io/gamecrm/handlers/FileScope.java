package io.gamecrm.handlers;

import java.util.BitSet;
import javax.script.ScriptContext;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * One handler file's script global and the runtime functions in it (runtime.js), looked up once.
 * Calls into it are made by {@link HandlerSet} only, on one thread at a time.
 */
final class FileScope {
    final ScriptContext context;
    final ScriptObjectMirror load;
    final ScriptObjectMirror abortLoad;
    final ScriptObjectMirror defineShape;
    final ScriptObjectMirror begin;
    final ScriptObjectMirror runUpdate;
    final ScriptObjectMirror undoLast;
    final ScriptObjectMirror runCampaign;
    final ScriptObjectMirror abort;
    final ScriptObjectMirror finish;
    final ScriptObjectMirror logsJson;
    /** The event and profile version this global has (see runtime.js runUpdate), -1 for none. */
    double token = -1;
    /** Whether an update handler changed the profile since the file was given the event. */
    boolean changed;
    /** The event shapes (see {@link EventHandover}) this global has been given. */
    final BitSet shapes = new BitSet();

    FileScope(ScriptContext context, ScriptObjectMirror runtime) {
        this.context = context;
        this.load = fn(runtime, "load");
        this.abortLoad = fn(runtime, "abortLoad");
        this.defineShape = fn(runtime, "defineShape");
        this.begin = fn(runtime, "begin");
        this.runUpdate = fn(runtime, "runUpdate");
        this.undoLast = fn(runtime, "undoLast");
        this.runCampaign = fn(runtime, "runCampaign");
        this.abort = fn(runtime, "abort");
        this.finish = fn(runtime, "finish");
        this.logsJson = fn(runtime, "logsJson");
    }

    private static ScriptObjectMirror fn(ScriptObjectMirror runtime, String name) {
        return (ScriptObjectMirror) runtime.getMember(name);
    }
}
