package io.gamecrm.handlers.feed;

import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides what to publish when the handlers directory changed. Only a set that compiles is ever
 * published: each changed file (in name order) is tried on top of the last published set; a file
 * that does not compile, registers nothing or the wrong shape, throws while loading, or breaks
 * another file (same handler name, same campaign id) is rejected with the reason, and the topic
 * keeps its last good version (or none, for a new file). Because the topic only ever holds good
 * sets, every task, including one started later, converges on the same set.
 *
 * <p>A rejected version is remembered and not tried again until the file changes.
 */
public final class HandlerPublisher {
    private final long loadBudgetMs;
    private final io.gamecrm.handlers.SpareEngine spare = new io.gamecrm.handlers.SpareEngine();
    private final Map<String, String> rejectedVersions = new HashMap<>();
    private String rejectedControl;

    public HandlerPublisher(long loadBudgetMs) {
        this.loadBudgetMs = loadBudgetMs;
    }

    /** A record to produce: key and value (null = tombstone). */
    public record Change(String key, String value) {
    }

    /**
     * The records to produce (files and control first, the manifest last), what was rejected, and
     * a description of each accepted change.
     */
    public record Plan(List<Change> records, List<HandlerProblem> rejected, List<String> accepted) {
        public boolean publishes() {
            return !records.isEmpty();
        }
    }

    /**
     * @param published   the handlers topic as it is
     * @param dirFiles    the *.js files of the directory now
     * @param controlJson the directory's control.json, or null when there is none
     */
    public Plan plan(FeedState published, Map<String, HandlerFile> dirFiles, String controlJson) {
        Map<String, HandlerFile> current = new TreeMap<>();
        List<HandlerFile> manifestFiles = published.manifestFiles();
        if (manifestFiles != null) {
            manifestFiles.forEach(f -> current.put(f.name(), f));
        }
        List<Change> records = new ArrayList<>();
        List<HandlerProblem> rejected = new ArrayList<>();
        List<String> accepted = new ArrayList<>();

        TreeSet<String> names = new TreeSet<>(dirFiles.keySet());
        names.addAll(current.keySet());
        rejectedVersions.keySet().retainAll(dirFiles.keySet());
        for (String name : names) {
            HandlerFile now = dirFiles.get(name);
            HandlerFile was = current.get(name);
            if (now == null) {
                current.remove(name);
                records.add(new Change(HandlerRecords.fileKey(name), null));
                accepted.add(name + " deleted");
                continue;
            }
            if (was != null && was.version().equals(now.version())) {
                continue;
            }
            if (now.version().equals(rejectedVersions.get(name))) {
                continue;
            }
            Map<String, HandlerFile> candidate = new TreeMap<>(current);
            candidate.put(name, now);
            HandlerSet.Compilation c = spare.compile(List.copyOf(candidate.values()), loadBudgetMs);
            String problem = null;
            for (HandlerProblem p : c.problems()) {
                if (p.file().equals(name)) {
                    problem = p.reason();
                    break;
                }
            }
            if (problem == null && !c.problems().isEmpty()) {
                HandlerProblem other = c.problems().get(0);
                problem = "would break " + other.file() + ": " + other.reason();
            }
            if (problem != null) {
                rejectedVersions.put(name, now.version());
                rejected.add(new HandlerProblem(name, now.version(), problem + (was == null
                        ? " (not loaded)" : " (keeping version " + was.version() + ")")));
                continue;
            }
            current.put(name, now);
            records.add(new Change(HandlerRecords.fileKey(name), HandlerRecords.fileValue(now)));
            accepted.add(name + (was == null ? " added" : " changed") + " (version " + now.version() + ")");
        }

        String controlVersion = published.controlVersion();
        if (controlJson == null && controlVersion != null) {
            records.add(new Change(HandlerRecords.CONTROL, null));
            accepted.add("control.json deleted: no campaign paused by the kill switch");
            controlVersion = null;
        } else if (controlJson != null) {
            String version = HandlerFile.versionOf(controlJson);
            if (!version.equals(controlVersion) && !version.equals(rejectedControl)) {
                try {
                    Map<String, String> paused = HandlerRecords.parseControlFile(controlJson);
                    records.add(new Change(HandlerRecords.CONTROL, HandlerRecords.controlValue(paused, version)));
                    accepted.add("control.json: paused " + paused.keySet());
                    controlVersion = version;
                } catch (IllegalArgumentException e) {
                    rejectedControl = version;
                    rejected.add(new HandlerProblem("control.json", version, e.getMessage()
                            + " (keeping the previous kill switch)"));
                }
            }
        }
        if (!records.isEmpty()) {
            Map<String, String> versions = new TreeMap<>();
            current.forEach((n, f) -> versions.put(n, f.version()));
            long seq = published.manifest() == null ? 1 : published.manifest().seq() + 1;
            records.add(new Change(HandlerRecords.MANIFEST, HandlerRecords.manifestValue(
                    new HandlerRecords.Manifest(seq, versions, controlVersion), hostName())));
        }
        return new Plan(List.copyOf(records), List.copyOf(rejected), List.copyOf(accepted));
    }

    /** Prepares the engine of the next check while nothing changes (call from the same thread). */
    public void idle() {
        spare.refill();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** For tests: whether a version of a file was rejected and is not being retried. */
    boolean isRejected(String name, String version) {
        return Objects.equals(rejectedVersions.get(name), version);
    }
}
