package io.gamecrm.analytics.cluster;

import io.gamecrm.local.ChildBootstrap;
import io.gamecrm.local.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Spark standalone cluster on this machine: a master and a worker, each a child JVM
 * ({@link ChildJvm}: they end with this JVM, also after {@code kill -9}), run from a Spark home
 * assembled from the Maven jars of a Spark 3.5 distribution ({@code analytics/spark-dist}):
 * {@code jars/} links to those jars, as a binary distribution has them. The worker launches
 * executors from that home as Spark does on any cluster; a driver ships the application's jars
 * with {@code spark.jars}.
 *
 * <p>Spark's launcher wants to know the Scala version of a home: a binary distribution says it in
 * {@code SPARK_SCALA_VERSION}; an empty {@code launcher/target/scala-2.12} folder says it here.
 */
public final class SparkStandalone implements AutoCloseable {
    static final String DIST_CLASSPATH = "io/gamecrm/analytics/cluster/classpath.txt";
    private static final Logger log = LoggerFactory.getLogger(SparkStandalone.class);
    private static final Pattern REGISTERED = Pattern.compile("Successfully registered with master");

    /**
     * @param home          where the Spark home, logs and work dirs go
     * @param masterPort    the master's RPC port (spark://127.0.0.1:PORT)
     * @param masterUiPort  the master's web UI (it cannot be turned off)
     * @param workerPort    the worker's RPC port
     * @param workerUiPort  the worker's web UI
     * @param workerCores   cores the worker offers
     * @param workerMemory  memory the worker offers, e.g. "2g"
     */
    public record Settings(Path home, int masterPort, int masterUiPort, int workerPort, int workerUiPort, int workerCores,
                           String workerMemory, Duration startTimeout) {
        public Settings {
            for (int p : new int[] {masterPort, masterUiPort, workerPort, workerUiPort}) {
                if (p < 1024 || p > 65535) {
                    throw new IllegalArgumentException("a Spark port must be within 1024..65535, got " + p);
                }
            }
            if (java.util.stream.IntStream.of(masterPort, masterUiPort, workerPort, workerUiPort).distinct().count() < 4) {
                throw new IllegalArgumentException("the four Spark ports must differ");
            }
            if (workerCores < 1) {
                throw new IllegalArgumentException("the worker needs at least one core, got " + workerCores);
            }
            if (!workerMemory.matches("\\d+[mMgG]")) {
                throw new IllegalArgumentException("worker memory looks like 1024m or 2g, got " + workerMemory);
            }
            home = home.toAbsolutePath().normalize();
        }
    }

    public static final String HOST = "127.0.0.1";

    private final Settings settings;
    private final ChildJvm master;
    private final ChildJvm worker;

    private SparkStandalone(Settings settings, ChildJvm master, ChildJvm worker) {
        this.settings = settings;
        this.master = master;
        this.worker = worker;
    }

    /** Starts the master, then the worker, and returns once the worker has registered. */
    public static SparkStandalone start(Settings s, List<String> jvmOptions) throws IOException {
        Path sparkHome = assembleHome(s.home().resolve("spark-home"), distribution());
        Path logs = s.home().resolve("logs");
        Path bootstrap = ChildBootstrap.install(s.home().resolve("bootstrap"));
        List<String> opts = new ArrayList<>(jvmOptions);
        opts.add("-Dlog4j2.configurationFile=" + sparkHome.resolve("conf/log4j2.properties").toUri());
        ChildJvm master = null;
        try {
            log.info("starting Spark master on {}:{} (log {})", HOST, s.masterPort(), logs.resolve("master.out"));
            master = ChildJvm.start(spec("Spark master", "org.apache.spark.deploy.master.Master", sparkHome, bootstrap,
                    opts, "512m", List.of("--host", HOST, "--port", Integer.toString(s.masterPort()), "--webui-port",
                            Integer.toString(s.masterUiPort())), logs.resolve("master.out")));
            master.awaitReady(() -> portOpen(s.masterPort()), s.startTimeout());
            log.info("starting Spark worker ({} cores, {})", s.workerCores(), s.workerMemory());
            ChildJvm worker = ChildJvm.start(spec("Spark worker", "org.apache.spark.deploy.worker.Worker", sparkHome,
                    bootstrap, opts, "512m", List.of("--host", HOST, "--port", Integer.toString(s.workerPort()),
                            "--webui-port", Integer.toString(s.workerUiPort()), "--cores",
                            Integer.toString(s.workerCores()), "--memory", s.workerMemory(), "--work-dir",
                            s.home().resolve("work").toString(), "spark://" + HOST + ":" + s.masterPort()),
                    logs.resolve("worker.out")));
            try {
                worker.awaitReady(() -> registered(worker.outFile()), s.startTimeout());
            } catch (RuntimeException e) {
                worker.stop(Duration.ofSeconds(10));
                throw e;
            }
            return new SparkStandalone(s, master, worker);
        } catch (RuntimeException | IOException e) {
            if (master != null) {
                master.stop(Duration.ofSeconds(10));
            }
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://" + HOST + ":" + settings.masterPort();
    }

    public long masterPid() {
        return master.pid();
    }

    public long workerPid() {
        return worker.pid();
    }

    public Path workerLog() {
        return worker.outFile();
    }

    /** The executors' own logs under the worker's work dir (stdout and stderr per executor). */
    public Path workDir() {
        return settings.home().resolve("work");
    }

    /** Stops the worker (and with it its executors), then the master. */
    @Override
    public void close() {
        worker.stop(Duration.ofSeconds(20));
        master.stop(Duration.ofSeconds(20));
    }

    private static ChildJvm.Spec spec(String name, String main, Path sparkHome, Path bootstrap, List<String> opts,
                                      String heap, List<String> args, Path out) {
        List<String> jvm = new ArrayList<>(opts);
        jvm.add("-Xms128m");
        jvm.add("-Xmx" + heap);
        return ChildJvm.Spec.builder(name, main)
                .jvmOptions(jvm)
                .bootstrapDir(bootstrap)
                .classpath(List.of(sparkHome.resolve("conf"), sparkHome.resolve("jars").resolve("*")))
                .args(args)
                .outFile(out)
                .workDir(sparkHome)
                .argFile(out.resolveSibling(out.getFileName() + ".args"))
                .build();
    }

    /** The jars of the Spark distribution, as the analytics build embedded them. */
    static List<Path> distribution() {
        try (InputStream in = SparkStandalone.class.getClassLoader().getResourceAsStream(DIST_CLASSPATH)) {
            if (in == null) {
                throw new IllegalStateException("the Spark distribution classpath (" + DIST_CLASSPATH
                        + ") is missing: build the project (mvn -DskipTests install)");
            }
            List<Path> jars = new ArrayList<>();
            for (String e : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(java.io.File.pathSeparator)) {
                if (!e.isBlank()) {
                    Path p = Path.of(e.trim());
                    if (!Files.isRegularFile(p)) {
                        throw new IllegalStateException("a jar of the Spark distribution is missing: " + p
                                + " (mvn -DskipTests install fetches it)");
                    }
                    jars.add(p);
                }
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** jars/ (links to the distribution's jars), conf/log4j2.properties, the Scala marker folder. */
    static Path assembleHome(Path home, List<Path> jars) throws IOException {
        Path jarDir = home.resolve("jars");
        if (Files.isDirectory(jarDir)) {
            try (var old = Files.list(jarDir)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(jarDir);
        for (Path jar : jars) {
            Path link = jarDir.resolve(jar.getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, jar);
            }
        }
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("launcher/target/scala-2.12"));
        Files.writeString(home.resolve("conf/log4j2.properties"), """
                # Spark daemons and executors of the local standalone cluster: warnings and start-up to stdout
                rootLogger.level = warn
                rootLogger.appenderRef.stdout.ref = console
                appender.console.type = Console
                appender.console.name = console
                appender.console.target = SYSTEM_OUT
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1}: %m%n
                logger.master.name = org.apache.spark.deploy
                logger.master.level = info
                """);
        return home;
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean registered(Path out) {
        try {
            if (!Files.isRegularFile(out)) {
                return false;
            }
            String text = Files.readString(out);
            int run = text.lastIndexOf("\n=== "); // ChildJvm marks each start; earlier runs do not count
            return REGISTERED.matcher(run < 0 ? text : text.substring(run)).find();
        } catch (IOException e) {
            return false;
        }
    }
}
