package io.gamecrm.local.storm.cluster;

import io.gamecrm.local.LocalStackException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A Storm home assembled from Maven artifacts, laid out like a Storm binary distribution:
 *
 * <pre>
 * home/
 *   lib/            storm-server, storm-core and their runtime jars (daemons)   - symlinks into ~/.m2
 *   lib-worker/     storm-client and its runtime jars (workers, submitter)      - symlinks into ~/.m2
 *   extlib/         empty (workers and daemons; a real cluster's site jars)
 *   extlib-daemon/  empty (daemons only)
 *   conf/storm.yaml generated from {@link StormClusterConfig}
 *   log4j2/cluster.xml, log4j2/worker.xml
 *   logs/           nimbus.log, supervisor.log, dev-zookeeper.log, *.out, workers-artifacts/&lt;id&gt;/&lt;port&gt;/worker.log
 * </pre>
 *
 * <p>{@link #assemble} is idempotent: links and files are rewritten only when they differ, links to jars that are no
 * longer on a list are removed, logs are kept.
 */
public final class StormHome {

    private final Path dir;

    private StormHome(Path dir) {
        this.dir = dir;
    }

    /** Assembles (or updates) the home of {@code cfg} at {@link StormClusterConfig#homeDir()}. */
    public static StormHome assemble(StormClusterConfig cfg) {
        return assemble(cfg.homeDir(), StormJars.lib(), StormJars.libWorker(), StormConf.stormYamlText(cfg));
    }

    /** Assembles a home at {@code dir} from explicit jar lists and storm.yaml text (for tests). */
    static StormHome assemble(Path dir, List<Path> libJars, List<Path> libWorkerJars, String stormYaml) {
        StormHome home = new StormHome(dir.toAbsolutePath().normalize());
        try {
            linkJars(home.libDir(), libJars);
            linkJars(home.libWorkerDir(), libWorkerJars);
            Files.createDirectories(home.extlibDir());
            Files.createDirectories(home.extlibDaemonDir());
            Files.createDirectories(home.logDir());
            writeIfChanged(home.stormYaml(), stormYaml);
            writeIfChanged(home.clusterXml(), StormConf.clusterXml());
            writeIfChanged(home.workerXml(), StormConf.workerXml());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot assemble the Storm home in " + dir, e);
        }
        return home;
    }

    /** The home of {@code cfg} as it is on disk, without assembling it. */
    public static StormHome at(StormClusterConfig cfg) {
        return new StormHome(cfg.homeDir());
    }

    public Path dir() {
        return dir;
    }

    public Path libDir() {
        return dir.resolve("lib");
    }

    public Path libWorkerDir() {
        return dir.resolve("lib-worker");
    }

    public Path extlibDir() {
        return dir.resolve("extlib");
    }

    public Path extlibDaemonDir() {
        return dir.resolve("extlib-daemon");
    }

    public Path confDir() {
        return dir.resolve("conf");
    }

    public Path stormYaml() {
        return confDir().resolve("storm.yaml");
    }

    public Path log4j2Dir() {
        return dir.resolve("log4j2");
    }

    public Path clusterXml() {
        return log4j2Dir().resolve("cluster.xml");
    }

    public Path workerXml() {
        return log4j2Dir().resolve("worker.xml");
    }

    /** {@code logs/}: storm.log.dir of every daemon and worker. */
    public Path logDir() {
        return dir.resolve("logs");
    }

    /** {@code logs/workers-artifacts}: {@code <topology-id>/<port>/worker.log} (and .err, .out) of each worker. */
    public Path workersArtifactsDir() {
        return logDir().resolve("workers-artifacts");
    }

    /** Classpath of a daemon, as the storm script builds it: lib/*, extlib/*, extlib-daemon/*, conf. */
    public List<Path> daemonClasspath() {
        return List.of(wildcard(libDir()), wildcard(extlibDir()), wildcard(extlibDaemonDir()), confDir());
    }

    /**
     * Classpath of {@code storm jar <jar> ...} (a client, not a daemon), as the storm script builds it:
     * lib-worker/*, extlib/*, the topology jar, conf. The same framework jars as a worker, ahead of the topology jar.
     */
    public List<Path> submitClasspath(Path topologyJar) {
        return List.of(wildcard(libWorkerDir()), wildcard(extlibDir()), topologyJar.toAbsolutePath().normalize(),
                confDir());
    }

    private static Path wildcard(Path dir) {
        return dir.resolve("*");
    }

    /** Makes {@code dir} hold exactly one link (named like the jar) per jar. */
    private static void linkJars(Path dir, List<Path> jars) throws IOException {
        Files.createDirectories(dir);
        Map<String, Path> wanted = new HashMap<>();
        for (Path jar : jars) {
            Path target = jar.toAbsolutePath().normalize();
            Path previous = wanted.put(target.getFileName().toString(), target);
            if (previous != null && !previous.equals(target)) {
                throw new LocalStackException("two jars of " + dir.getFileName() + " have the same file name: "
                        + previous + " and " + target);
            }
        }
        try (Stream<Path> existing = Files.list(dir)) {
            for (Path p : (Iterable<Path>) existing::iterator) {
                Path target = wanted.get(p.getFileName().toString());
                if (target == null || !pointsTo(p, target)) {
                    Files.delete(p);
                }
            }
        }
        for (Map.Entry<String, Path> e : wanted.entrySet()) {
            Path link = dir.resolve(e.getKey());
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                continue; // kept above: points to the right jar
            }
            try {
                Files.createSymbolicLink(link, e.getValue());
            } catch (UnsupportedOperationException | FileSystemException ex) {
                Files.copy(e.getValue(), link, StandardCopyOption.REPLACE_EXISTING); // no symlinks here
            }
        }
    }

    private static boolean pointsTo(Path link, Path target) throws IOException {
        if (!Files.exists(target)) {
            return false;
        }
        if (Files.isSymbolicLink(link)) {
            return Files.readSymbolicLink(link).equals(target);
        }
        // a copy (file system without symlinks)
        return Files.isRegularFile(link, LinkOption.NOFOLLOW_LINKS) && Files.size(link) == Files.size(target)
                && Files.getLastModifiedTime(link).compareTo(Files.getLastModifiedTime(target)) >= 0;
    }

    static void writeIfChanged(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        if (Files.isRegularFile(file) && Objects.equals(Files.readString(file, StandardCharsets.UTF_8), text)) {
            return;
        }
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String toString() {
        return "Storm home " + dir;
    }
}
