package io.gamecrm.handlers;

import java.util.concurrent.TimeUnit;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptEngine;
import javax.script.ScriptException;

/**
 * Loads one handler file into a script global of its own: size check, the source checks and
 * instrumentation ({@link ScriptInstrumenter}), compiling and running its top level under the load
 * budget and the watchdog's load deadline, then reading what it declared
 * ({@link FileRegistrations}). Every way a file can fail becomes a typed {@link HandlerProblem}.
 */
final class FileLoader {
    private FileLoader() {
    }

    /** How loading one file went. */
    record Loading(FileScope scope, String instrumented, FileRegistrations registrations,
                           HandlerProblem problem, boolean engineSpoiled) {
        static Loading failed(HandlerFile file, HandlerProblem.Kind kind, String reason, boolean spoiled) {
            return new Loading(null, null, null, new HandlerProblem(file.name(), file.version(), kind, reason), spoiled);
        }
    }

    static Loading load(ScriptSandbox.Engine engine, HandlerFile file, HandlerRuntime runtime, CallMeter meter) {
        HandlerLimits limits = runtime.limits();
        if (file.source().length() > limits.fileBytes()) {
            return Loading.failed(file, HandlerProblem.Kind.TOO_LARGE, "is " + file.source().length()
                    + " characters long, over the limit of " + limits.fileBytes() + " (crm.handlers.file.max.bytes)", false);
        }
        String instrumented;
        try {
            instrumented = ScriptInstrumenter.instrumentFile(file.source(), file.name());
        } catch (ScriptInstrumenter.SyntaxError e) {
            return Loading.failed(file, HandlerProblem.Kind.DOES_NOT_COMPILE, "does not compile: " + e.getMessage(), false);
        }
        Loaded loaded = loadScope(engine, file, instrumented, runtime, meter);
        if (loaded.problem() != null) {
            return Loading.failed(file, loaded.problem().kind(), loaded.problem().reason(), loaded.stopped());
        }
        try {
            FileRegistrations regs = FileRegistrations.parse(loaded.registrationsJson(), file, limits);
            return new Loading(loaded.scope(), instrumented, regs, null, false);
        } catch (FileRegistrations.Invalid e) {
            return Loading.failed(file, e.kind, e.getMessage(), false);
        }
    }

    /** A file's script global, loaded: or why not. */
    record Loaded(FileScope scope, String registrationsJson, HandlerProblem problem, boolean stopped) {
    }

    /** Compiles and loads a file in a new script global, under the load budget and deadline. */
    static Loaded loadScope(ScriptSandbox.Engine engine, HandlerFile file, String instrumented,
                                    HandlerRuntime runtime, CallMeter meter) {
        HandlerLimits limits = runtime.limits();
        CallWatch watch = runtime.watchdog().watch();
        FileScope scope;
        try {
            scope = engine.newScope(limits, meter); // the runtime's own code: not the file's to pay for
        } catch (RuntimeException e) {
            return new Loaded(null, null, new HandlerProblem(file.name(), file.version(), HandlerProblem.Kind.LOAD_ERROR,
                    "cannot get a script global: " + e.getMessage()), true);
        }
        long started = System.nanoTime();
        Object result = null;
        Throwable error = null;
        boolean compiled = false;
        boolean stopped;
        watch.enter(limits.loadDeadlineMs(), Long.MAX_VALUE, "loading " + file.name());
        try {
            try {
                engine.engine.put(ScriptEngine.FILENAME, file.name());
                CompiledScript script = ((Compilable) engine.engine).compile(instrumented);
                Object fn = script.eval(scope.context);
                compiled = true;
                watch.limitMemory(limits.memoryBytes());
                meter.arm(TimeUnit.MILLISECONDS.toNanos(limits.loadBudgetMs()), limits.memoryBytes(), watch);
                result = scope.load.call(null, fn, file.name(), (double) limits.loadBudgetMs());
            } catch (Throwable t) {
                error = t;
            }
            stopped = watch.exit(error);
        } catch (ThreadDeath late) {
            stopped = true;
            watch.stopped();
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (stopped && watch.stoppedForMemory()) {
            return new Loaded(null, null, new HandlerProblem(file.name(), file.version(), HandlerProblem.Kind.LOAD_MEMORY,
                    "allocates more than " + (limits.memoryBytes() >> 20) + " MB while loading (crm.handlers.memory.mb);"
                    + " the watchdog stopped it inside a built-in"), true);
        }
        if (stopped) {
            return new Loaded(null, null, new HandlerProblem(file.name(), file.version(), HandlerProblem.Kind.LOAD_STOPPED,
                    "was stopped by the watchdog after " + ms + " ms of " + (compiled ? "loading" : "compiling")
                    + " (deadline " + limits.loadDeadlineMs() + " ms of CPU, crm.handlers.load.deadline.ms): a runaway"
                    + " built-in, such as a regular expression?"), true);
        }
        if (error == null && result instanceof String json) {
            return new Loaded(scope, json, null, false);
        }
        if (!compiled) {
            String why = error instanceof ScriptException se ? se.getMessage() : Scripts.describe(error);
            return new Loaded(null, null, new HandlerProblem(file.name(), file.version(),
                    HandlerProblem.Kind.DOES_NOT_COMPILE, "does not compile: " + HandlerSet.truncate(why)), false);
        }
        int status = 0;
        try {
            status = ((Number) scope.abortLoad.call(null)).intValue();
        } catch (Throwable t) {
            if (CallWatch.isStop(t)) {
                throw t;
            }
        }
        HandlerProblem.Kind kind;
        String reason;
        if ((status & 7) == CallMeter.TIME) {
            kind = HandlerProblem.Kind.LOAD_TIMEOUT;
            reason = "takes more than " + limits.loadBudgetMs() + " ms of CPU to load (crm.handlers.load.budget.ms):"
                    + " a runaway loop?";
        } else if ((status & 7) == CallMeter.MEMORY || error instanceof OutOfMemoryError) {
            kind = HandlerProblem.Kind.LOAD_MEMORY;
            reason = "allocates more than " + (limits.memoryBytes() >> 20) + " MB while loading (crm.handlers.memory.mb)";
        } else if ((status & 8) != 0) {
            kind = HandlerProblem.Kind.INVALID_DECLARATION;
            reason = "declares something the runtime refuses: " + HandlerSet.truncate(Scripts.describe(error));
        } else {
            kind = HandlerProblem.Kind.LOAD_ERROR;
            reason = "throws while loading: " + HandlerSet.truncate(Scripts.describe(error));
        }
        return new Loaded(null, null, new HandlerProblem(file.name(), file.version(), kind, reason), false);
    }

}
