package io.gamecrm.analytics;

import io.gamecrm.Names;
import io.gamecrm.analytics.spark.SparkSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * Where a command's Spark job runs and what it reads: the same Flux properties the topology runs
 * with (flux/local.properties by default: Cassandra's address, datacenter and keyspace), with
 * overrides.
 */
public final class SparkOptions {
    /** Default master: embedded Spark with two threads. */
    public static final String LOCAL = "local[2]";
    /** The file listing what executors need besides Spark (written by the analytics build). */
    public static final String PROP_APPLICATION_JARS = "crm.analytics.application.jars";

    @Option(names = "--master", paramLabel = "URL", defaultValue = LOCAL,
            description = "Spark master: local[N] (embedded, default ${DEFAULT-VALUE}) or spark://HOST:PORT.")
    String master;

    @Option(names = "--properties", paramLabel = "FILE",
            description = "Flux properties with Cassandra's address and keyspace (default: flux/local.properties).")
    Path properties;

    @Option(names = "--cassandra", paramLabel = "HOST:PORT",
            description = "Cassandra contact point (default: cassandra.contact.points of the properties).")
    String cassandra;

    @Option(names = "--keyspace", description = "Keyspace (default: cassandra.keyspace of the properties).")
    String keyspace;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting, e.g. spark.executor.memory=2g.")
    List<String> conf = new ArrayList<>();

    /** The repository: -Dcrm.home (./crm sets it), else the working directory. */
    static Path home() {
        String home = System.getProperty("crm.home");
        return Path.of(home == null || home.isBlank() ? "" : home).toAbsolutePath();
    }

    public Properties flux() {
        Path file = properties != null ? properties : home().resolve("flux").resolve("local.properties");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        return p;
    }

    public SparkSettings settings() {
        Properties p = flux();
        String[] hp = SparkSettings.hostAndPort(cassandra != null ? cassandra
                : p.getProperty(Names.Props.CASSANDRA_CONTACT_POINTS, "127.0.0.1:9042"));
        Map<String, String> extra = new LinkedHashMap<>();
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--conf takes KEY=VALUE, got '" + kv + "'");
            }
            extra.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        boolean cluster = master.startsWith("spark://");
        return new SparkSettings(master, hp[0], Integer.parseInt(hp[1]),
                p.getProperty(Names.Props.CASSANDRA_DATACENTER, "datacenter1"),
                keyspace != null ? keyspace : p.getProperty(Names.Props.CASSANDRA_KEYSPACE, "crm"),
                cluster ? applicationJars() : List.of(), extra);
    }

    /**
     * The jars a cluster's executors need: this module's jar and its non-Spark dependencies, as
     * listed by the build (analytics/target/application-jars.txt).
     */
    public static List<String> applicationJars() {
        String listed = System.getProperty(PROP_APPLICATION_JARS);
        Path list = listed != null ? Path.of(listed) : home().resolve("analytics/target/application-jars.txt");
        List<String> jars = new ArrayList<>();
        try {
            for (String e : Files.readString(list).trim().split(java.io.File.pathSeparator)) {
                if (!e.isBlank()) {
                    jars.add(jar(Path.of(e.trim())));
                }
            }
            jars.add(jar(ownJar(list.getParent())));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + list + " (build the project: mvn -DskipTests install): "
                    + e.getMessage());
        }
        return jars;
    }

    private static Path ownJar(Path target) throws IOException {
        Path code = Path.of(java.net.URI.create(SparkOptions.class.getProtectionDomain().getCodeSource().getLocation()
                .toString()));
        if (Files.isRegularFile(code)) {
            return code;
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("crm-analytics-.*\\.jar")
                    && !f.getFileName().toString().contains("-tests")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no crm-analytics jar in " + target
                            + ": executors of a cluster need one (mvn -DskipTests install)"));
        }
    }

    private static String jar(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(p + " is not a jar: a cluster's executors need jars "
                    + "(mvn -DskipTests install builds them)");
        }
        return p.toAbsolutePath().toString();
    }
}
