package io.gamecrm.feed;

import io.gamecrm.handlers.FileChecker;
import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerRuntime;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Decides what to publish when the handlers directory changed. Only files that pass their checks
 * are ever published: each changed file (in name order) is compiled and loaded on its own, in a
 * script global of its own ({@link FileChecker}); a file that does not compile, registers nothing
 * or the wrong shape, throws, loops or allocates too much while loading, or declares a handler
 * name, campaign id or profile key that a published file already has, is rejected with the reason,
 * and the topic keeps its last good version (or none, for a new file). Precedence is publication
 * order, never file names: the file already published keeps what it declared; of files added in the
 * same scan, the older (by modification time) goes first. Because the topic only ever holds good sets, every task, including
 * one started later, converges on the same set.
 *
 * <p>A rejected version is not tried again until the file changes, except a clash, which is tried
 * again when the published set changes (the file it clashed with may be gone).
 */
public final class HandlerPublisher {
    private final FileChecker checker;
    private final Map<String, String> rejectedVersions = new HashMap<>();
    private final Map<String, String> clashedVersions = new HashMap<>();
    private String rejectedControl;

    public HandlerPublisher(HandlerRuntime runtime) {
        this.checker = new FileChecker(runtime);
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
     * @param dirFiles    the *.js files of the directory now, in the order they arrived (oldest first:
     *                    of two new files declaring the same campaign in one scan, the first keeps it)
     * @param controlJson the directory's control.json, or null when there is none
     */
    public Plan plan(FeedState published, Map<String, HandlerFile> dirFiles, String controlJson) {
        // the published files in precedence (first publication) order
        LinkedHashMap<String, HandlerFile> current = new LinkedHashMap<>();
        List<HandlerFile> manifestFiles = published.manifestFiles();
        if (manifestFiles != null) {
            manifestFiles.forEach(f -> current.put(f.name(), f));
        }
        List<Change> records = new ArrayList<>();
        List<HandlerProblem> rejected = new ArrayList<>();
        List<String> accepted = new ArrayList<>();

        // the published files first (they keep what they declared), then the new ones as they arrived
        LinkedHashSet<String> names = new LinkedHashSet<>(current.keySet());
        names.addAll(dirFiles.keySet());
        rejectedVersions.keySet().retainAll(dirFiles.keySet());
        clashedVersions.keySet().retainAll(dirFiles.keySet());
        boolean setChanged = false;
        for (String name : names) {
            HandlerFile now = dirFiles.get(name);
            HandlerFile was = current.get(name);
            if (now == null) {
                current.remove(name);
                records.add(new Change(HandlerRecords.fileKey(name), null));
                accepted.add(name + " deleted");
                setChanged = true;
                continue;
            }
            if (was != null && was.version().equals(now.version())) {
                continue;
            }
            if (now.version().equals(rejectedVersions.get(name)) || now.version().equals(clashedVersions.get(name))) {
                continue;
            }
            if (accept(name, now, was, current, rejected)) {
                records.add(new Change(HandlerRecords.fileKey(name), HandlerRecords.fileValue(now)));
                accepted.add(name + (was == null ? " added" : " changed") + " (version " + now.version() + ")");
                setChanged = true;
            }
        }
        if (setChanged) {
            // a file rejected for a clash may fit now that the set changed
            for (Map.Entry<String, String> e : new TreeMap<>(clashedVersions).entrySet()) {
                HandlerFile f = dirFiles.get(e.getKey());
                if (f != null && f.version().equals(e.getValue()) && !current.containsKey(f.name())) {
                    clashedVersions.remove(e.getKey());
                    List<HandlerProblem> again = new ArrayList<>();
                    if (accept(f.name(), f, null, current, again)) {
                        records.add(new Change(HandlerRecords.fileKey(f.name()), HandlerRecords.fileValue(f)));
                        accepted.add(f.name() + " added (version " + f.version() + "), no longer clashing");
                    }
                }
            }
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
                    rejected.add(new HandlerProblem(DirectorySnapshot.CONTROL_FILE, version,
                            HandlerProblem.Kind.INVALID_CONTROL, e.getMessage() + " (keeping the previous kill switch)"));
                }
            }
        }
        if (!records.isEmpty()) {
            Map<String, String> versions = new TreeMap<>();
            current.forEach((n, f) -> versions.put(n, f.version()));
            long seq = published.manifest() == null ? 1 : published.manifest().seq() + 1;
            records.add(new Change(HandlerRecords.MANIFEST, HandlerRecords.manifestValue(
                    new HandlerRecords.Manifest(seq, versions, controlVersion, List.copyOf(current.keySet())), hostName())));
        }
        return new Plan(List.copyOf(records), List.copyOf(rejected), List.copyOf(accepted));
    }

    /** Checks one file against the published ones; puts it into current when it passes. */
    private boolean accept(String name, HandlerFile now, HandlerFile was, LinkedHashMap<String, HandlerFile> current,
                           List<HandlerProblem> rejected) {
        FileChecker.Checked checked = checker.check(now);
        String keeping = was == null ? " (not loaded)" : " (keeping version " + was.version() + ")";
        if (checked.problem() != null) {
            rejectedVersions.put(name, now.version());
            rejected.add(new HandlerProblem(name, now.version(), checked.problem().kind(),
                    checked.problem().reason() + keeping));
            return false;
        }
        List<FileChecker.Checked> others = new ArrayList<>();
        for (HandlerFile f : current.values()) {
            if (!f.name().equals(name)) {
                others.add(checker.check(f));
            }
        }
        String clash = checker.clash(checked, others);
        if (clash != null) {
            clashedVersions.put(name, now.version());
            rejected.add(new HandlerProblem(name, now.version(), HandlerProblem.Kind.CLASH, clash + keeping));
            return false;
        }
        current.put(name, now); // a changed file keeps its place; a new one goes last
        return true;
    }

    /** Prepares the engine of the next check while nothing changes (call from the same thread). */
    public void idle() {
        checker.idle();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** For tests: whether a version of a file was rejected and is not being retried. */
    boolean isRejected(String name, String version) {
        return Objects.equals(rejectedVersions.get(name), version) || Objects.equals(clashedVersions.get(name), version);
    }
}
