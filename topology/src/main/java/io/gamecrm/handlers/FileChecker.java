package io.gamecrm.handlers;

import io.gamecrm.campaign.CampaignDef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks handler files one at a time, as the publisher needs: each file is compiled and loaded in a
 * script global of its own (files cannot affect each other, so a file's verdict depends on its own
 * source only) and then compared with the other files for clashes (handler names, campaign ids,
 * profile keys). Verdicts are kept by version, so an unchanged file is never compiled twice.
 * Owned by one thread.
 */
public final class FileChecker {
    private static final int CACHE = 256;

    private final HandlerRuntime runtime;
    private final CallMeter meter;
    private final Map<String, Checked> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Checked> eldest) {
            return size() > CACHE;
        }
    };
    private ScriptSandbox.Engine engine;

    public FileChecker(HandlerRuntime runtime) {
        this.runtime = runtime;
        this.meter = new CallMeter(runtime.clock());
    }

    /** A file's verdict: its problem, or what it declares. */
    public static final class Checked {
        private final HandlerFile file;
        private final HandlerProblem problem;
        final FileRegistrations registrations;

        Checked(HandlerFile file, HandlerProblem problem, FileRegistrations registrations) {
            this.file = file;
            this.problem = problem;
            this.registrations = registrations;
        }

        public HandlerFile file() {
            return file;
        }

        /** Null when the file compiles and loads. */
        public HandlerProblem problem() {
            return problem;
        }

        /** The campaign ids it declares (empty when it has a problem). */
        public List<String> campaignIds() {
            return registrations == null ? List.of() : registrations.campaigns().stream().map(CampaignDef::id).toList();
        }
    }

    /** Compiles and loads the file on its own (or returns the verdict kept for its version). */
    public Checked check(HandlerFile file) {
        String key = file.name() + "@" + file.version();
        Checked known = cache.get(key);
        if (known != null) {
            return known;
        }
        if (engine == null) {
            engine = ScriptSandbox.newEngine();
        }
        FileLoader.Loading loading = FileLoader.load(engine, file, runtime, meter);
        if (loading.engineSpoiled()) {
            engine = null;
        }
        Checked c = new Checked(file, loading.problem(), loading.registrations());
        cache.put(key, c);
        return c;
    }

    /**
     * What the file declares that one of the others already has (a handler name, a campaign id, a
     * profile key), or null. The others are the files that keep what they declared.
     */
    public String clash(Checked file, List<Checked> others) {
        return FileRegistrations.clash(file.registrations, others.stream().filter(c -> c.registrations != null)
                .map(c -> c.registrations).toList());
    }

    /** Prepares the engine of the next check; call it when the thread is idle. */
    public void idle() {
        if (engine == null) {
            engine = ScriptSandbox.newEngine();
        }
    }
}
