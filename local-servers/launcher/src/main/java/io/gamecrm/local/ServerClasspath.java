package io.gamecrm.local;

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
 * The runtime classpath of a server (absolute jar paths in the local Maven repository), as embedded in this
 * module by the {@code kafka-runtime} and {@code cassandra-runtime} builds: resources
 * {@code io/gamecrm/local/classpath/<server>/classpath.txt}, one line, entries separated by the platform path
 * separator.
 */
public final class ServerClasspath {

    static final String RESOURCE_DIR = "io/gamecrm/local/classpath/";
    private static final String BUILD_HINT =
            "run `mvn install` first (e.g. `mvn -B -q -f pom-ls.xml install -DskipTests` in the repository root)";

    private final String name;
    private final List<Path> jars;

    private ServerClasspath(String name, List<Path> jars) {
        this.name = name;
        this.jars = List.copyOf(jars);
    }

    /**
     * The embedded classpath of {@code server}, every jar checked to exist.
     *
     * @throws LocalStackException if the resource is missing or a listed jar is not in the local repository
     */
    public static ServerClasspath of(Server server) {
        return load(server.displayName(), RESOURCE_DIR + server.key() + "/classpath.txt",
                ServerClasspath.class.getClassLoader()).requireAllPresent();
    }

    /** Reads a classpath resource without checking the jars. */
    static ServerClasspath load(String name, String resource, ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new LocalStackException("the " + name + " runtime classpath (resource " + resource
                        + ") is missing from the launcher: " + BUILD_HINT);
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
    }

    /** Parses the text of a classpath file: entries separated by the path separator and/or line breaks. */
    static ServerClasspath parse(String name, String text) {
        List<Path> jars = new ArrayList<>();
        for (String line : text.split("\\R")) {
            for (String entry : line.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    jars.add(Path.of(entry.trim()));
                }
            }
        }
        if (jars.isEmpty()) {
            throw new LocalStackException("the " + name + " runtime classpath is empty: " + BUILD_HINT);
        }
        return new ServerClasspath(name, jars);
    }

    /** The jars, in classpath order. */
    public List<Path> jars() {
        return jars;
    }

    /** Listed jars that do not exist. */
    public List<Path> missing() {
        return jars.stream().filter(p -> !Files.exists(p)).collect(Collectors.toList());
    }

    /**
     * Returns this classpath if every jar exists.
     *
     * @throws LocalStackException naming the first missing jars otherwise
     */
    public ServerClasspath requireAllPresent() {
        List<Path> missing = missing();
        if (missing.isEmpty()) {
            return this;
        }
        String examples = missing.stream().limit(3).map(Path::toString).collect(Collectors.joining(", "));
        throw new LocalStackException(missing.size() + " of " + jars.size() + " jars of the " + name
                + " runtime are missing (" + examples + (missing.size() > 3 ? ", ..." : "") + "): " + BUILD_HINT);
    }

    /**
     * True when the classpath holds slf4j-api 2.x and an SLF4J 1.x binding ({@code log4j-slf4j-impl}) but no
     * SLF4J 2 provider: slf4j 2 then ignores the binding and the server would log nothing.
     * {@link LegacySlf4jBindingProvider} repairs that.
     */
    boolean needsLegacySlf4jBridge() {
        boolean api2 = hasJar("slf4j-api-2.");
        boolean legacyBinding = hasJar("log4j-slf4j-impl-") || hasJar("slf4j-reload4j-") || hasJar("slf4j-log4j12-");
        boolean provider = hasJar("log4j-slf4j2-impl-") || hasJar("slf4j-simple-2.") || hasJar("logback-classic-1.3")
                || hasJar("logback-classic-1.4") || hasJar("logback-classic-1.5");
        return api2 && legacyBinding && !provider;
    }

    private boolean hasJar(String fileNamePrefix) {
        return jars.stream().anyMatch(p -> p.getFileName().toString().startsWith(fileNamePrefix));
    }

    @Override
    public String toString() {
        return name + " classpath (" + jars.size() + " jars)";
    }
}
