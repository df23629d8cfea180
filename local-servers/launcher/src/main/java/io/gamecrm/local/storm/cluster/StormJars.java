package io.gamecrm.local.storm.cluster;

import io.gamecrm.local.LocalStackException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The jars of a Storm home, as resolved at build time by the {@code storm-lib} and {@code storm-lib-worker}
 * modules and embedded in the launcher: resources {@code io/gamecrm/local/classpath/storm-lib/classpath.txt}
 * (lib/: storm-server, storm-core and their runtime dependencies) and
 * {@code io/gamecrm/local/classpath/storm-lib-worker/classpath.txt} (lib-worker/: storm-client and its runtime
 * dependencies). Absolute paths in the local Maven repository, separated by the path separator.
 */
final class StormJars {

    static final String LIB_RESOURCE = "io/gamecrm/local/classpath/storm-lib/classpath.txt";
    static final String LIB_WORKER_RESOURCE = "io/gamecrm/local/classpath/storm-lib-worker/classpath.txt";
    private static final String BUILD_HINT = "run `mvn -B -q install -DskipTests` in the repository root first";

    private StormJars() {
    }

    /** The jars of lib/ (daemons), every one checked to exist. */
    static List<Path> lib() {
        return requirePresent("Storm lib", load("Storm lib", LIB_RESOURCE));
    }

    /** The jars of lib-worker/ (workers and submitting clients), every one checked to exist. */
    static List<Path> libWorker() {
        return requirePresent("Storm lib-worker", load("Storm lib-worker", LIB_WORKER_RESOURCE));
    }

    static List<Path> load(String name, String resource) {
        try (InputStream in = StormJars.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new LocalStackException("the " + name + " classpath (resource " + resource
                        + ") is missing from the launcher: " + BUILD_HINT);
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
    }

    /** Entries separated by the path separator and/or line breaks. */
    static List<Path> parse(String name, String text) {
        List<Path> jars = new ArrayList<>();
        for (String line : text.split("\\R")) {
            for (String entry : line.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    jars.add(Path.of(entry.trim()));
                }
            }
        }
        if (jars.isEmpty()) {
            throw new LocalStackException("the " + name + " classpath is empty: " + BUILD_HINT);
        }
        return List.copyOf(jars);
    }

    static List<Path> requirePresent(String name, List<Path> jars) {
        List<Path> missing = jars.stream().filter(p -> !Files.isRegularFile(p)).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            String examples = missing.stream().limit(3).map(Path::toString).collect(Collectors.joining(", "));
            throw new LocalStackException(missing.size() + " of " + jars.size() + " jars of the " + name
                    + " classpath are missing (" + examples + (missing.size() > 3 ? ", ..." : "") + "): " + BUILD_HINT);
        }
        return jars;
    }
}
