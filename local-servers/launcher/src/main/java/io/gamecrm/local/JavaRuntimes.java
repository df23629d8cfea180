package io.gamecrm.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Finds java executables: the running JVM's, and a Java 17 one for Cassandra 5.0 (which fails on 21+). */
final class JavaRuntimes {

    static final int CASSANDRA_JAVA = 17;
    static final List<Path> SEARCH_ROOTS = List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"),
            Path.of("/opt/java"), Path.of("/Library/Java/JavaVirtualMachines"));
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?(1\\.)?(\\d+)");

    private JavaRuntimes() {
    }

    /** The running JVM's java executable. */
    static Path current() {
        return javaExecutable(Path.of(System.getProperty("java.home")));
    }

    /**
     * The java executable of a Java 17: the configured home, else the running JVM if it is 17, else the first
     * Java 17 below {@link #SEARCH_ROOTS}.
     *
     * @throws LocalStackException if there is none, saying how to provide one
     */
    static Path java17(StackConfig cfg) {
        return find17(cfg.java17Home(), Runtime.version().feature(), Path.of(System.getProperty("java.home")),
                SEARCH_ROOTS);
    }

    static Path find17(Optional<Path> configured, int currentFeature, Path currentHome, List<Path> roots) {
        if (configured.isPresent()) {
            Path home = configured.get();
            int version = featureVersion(home);
            if (version != CASSANDRA_JAVA || !Files.isExecutable(javaExecutable(home))) {
                throw new LocalStackException("the configured Java home " + home + " ("
                        + StackConfig.PROP_JAVA17_HOME + " / " + StackConfig.ENV_JAVA17_HOME + ") is not a Java "
                        + CASSANDRA_JAVA + (version > 0 ? " (it is Java " + version + ")" : "")
                        + "; Cassandra 5.0 needs Java 17");
            }
            return javaExecutable(home);
        }
        if (currentFeature == CASSANDRA_JAVA) {
            return javaExecutable(currentHome);
        }
        for (Path home : candidates(roots)) {
            if (featureVersion(home) == CASSANDRA_JAVA && Files.isExecutable(javaExecutable(home))) {
                return javaExecutable(home);
            }
        }
        throw new LocalStackException("Cassandra 5.0 needs Java 17 (it does not start on newer Java), but this JVM is"
                + " Java " + currentFeature + " and no Java 17 was found in "
                + roots.stream().map(Path::toString).collect(Collectors.joining(", "))
                + ". Install one (e.g. apt-get install openjdk-17-jdk-headless) or set -D"
                + StackConfig.PROP_JAVA17_HOME + "=<java 17 home> or " + StackConfig.ENV_JAVA17_HOME);
    }

    /** Java homes directly below the roots (also macOS {@code <jdk>/Contents/Home}), sorted by name. */
    private static List<Path> candidates(List<Path> roots) {
        List<Path> homes = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> children = Files.list(root)) {
                children.sorted().forEach(dir -> {
                    homes.add(dir);
                    homes.add(dir.resolve("Contents").resolve("Home"));
                });
            } catch (IOException e) {
                // unreadable root: skip it
            }
        }
        return homes;
    }

    /** The feature version from {@code <home>/release}, or -1 if unknown. */
    static int featureVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return -1;
        }
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(release, StandardCharsets.ISO_8859_1));
            return m.find() ? Integer.parseInt(m.group(2)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static Path javaExecutable(Path home) {
        return home.resolve("bin").resolve("java");
    }
}
