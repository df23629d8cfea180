package io.gamecrm.local.storm.cluster;

import static io.gamecrm.local.ConfigValues.HEAP;
import static io.gamecrm.local.ConfigValues.blank;
import static io.gamecrm.local.ConfigValues.heap;
import static io.gamecrm.local.ConfigValues.intProp;
import static io.gamecrm.local.ConfigValues.port;
import static io.gamecrm.local.ConfigValues.positive;
import static io.gamecrm.local.ConfigValues.propOrEnv;
import static io.gamecrm.local.ConfigValues.seconds;

import io.gamecrm.local.StackConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * Immutable settings of a local multi-process Storm cluster ({@link StormCluster}): where it lives, its ports,
 * the heap sizes of its JVMs and its timeouts.
 *
 * <p>Everything lives below {@code <crm.local.dir>/storm}: {@code home/} (the Storm home, see
 * {@link StormHome}), {@code data/} (ZooKeeper's and the daemons' state, wiped at every start) and
 * {@code bootstrap/} (classes and a script the daemon JVMs start with). Every port is set explicitly in the
 * generated {@code storm.yaml}, none of them is Storm's default, so the cluster does not clash with a Storm,
 * ZooKeeper or other test servers running on the same machine. Start from {@link #at(Path)} (the defaults) or
 * read one from system properties with {@link #fromSystemProperties()}; the property names are the
 * {@code PROP_*} constants (all {@code crm.local.storm.*}, plus {@code crm.local.dir} for the base dir). Each
 * part checks itself when it is made.
 *
 * @param baseDir the stack's base dir ({@value StackConfig#PROP_DIR}); the cluster lives in its {@code storm/}
 *     subdirectory
 * @param javaHome the Java home of every Storm JVM (daemons, workers, submitter). The supervisor gets it as
 *     JAVA_HOME, so its workers use it too
 * @param extraConf entries added to (or replacing) the generated storm.yaml's, in order. Values: String, Number,
 *     Boolean, or a List or Map of those
 */
public record StormClusterConfig(Path baseDir, Ports ports, Heaps heaps, Timeouts timeouts, Path javaHome,
        Map<String, Object> extraConf) {

    /** Every daemon and worker uses this address (storm.local.hostname, nimbus.seeds, ZooKeeper). */
    public static final String HOST = StackConfig.HOST;

    public static final String PROP_ZOOKEEPER_PORT = "crm.local.storm.zookeeper.port";
    public static final String PROP_NIMBUS_PORT = "crm.local.storm.nimbus.port";
    public static final String PROP_SUPERVISOR_PORT = "crm.local.storm.supervisor.port";
    /** First worker slot port; the slots use this port and the next {@code slots - 1}. */
    public static final String PROP_SLOTS_PORT = "crm.local.storm.slots.port";
    /** Number of worker slots of the supervisor. */
    public static final String PROP_SLOTS = "crm.local.storm.slots";
    public static final String PROP_UI_PORT = "crm.local.storm.ui.port";
    public static final String PROP_LOGVIEWER_PORT = "crm.local.storm.logviewer.port";
    /** DRPC port; the invocations port is this + 1, the HTTP port this + 2. */
    public static final String PROP_DRPC_PORT = "crm.local.storm.drpc.port";
    public static final String PROP_PACEMAKER_PORT = "crm.local.storm.pacemaker.port";
    public static final String PROP_ZOOKEEPER_HEAP = "crm.local.storm.zookeeper.heap";
    public static final String PROP_NIMBUS_HEAP = "crm.local.storm.nimbus.heap";
    public static final String PROP_SUPERVISOR_HEAP = "crm.local.storm.supervisor.heap";
    /** {@code -Xmx} of each worker JVM (worker.childopts) and worker.heap.memory.mb. */
    public static final String PROP_WORKER_HEAP = "crm.local.storm.worker.heap";
    /** Seconds the three daemons get to become ready. */
    public static final String PROP_STARTUP_TIMEOUT = "crm.local.storm.startup.timeout";
    /** Seconds the submitting JVM (Flux) gets to finish. */
    public static final String PROP_SUBMIT_TIMEOUT = "crm.local.storm.submit.timeout";
    /** Seconds a daemon or worker gets after SIGTERM before it is killed. */
    public static final String PROP_STOP_TIMEOUT = "crm.local.storm.stop.timeout";
    /** The Java home every Storm JVM (daemons, workers, submitter) runs on; default: the running JVM's. */
    public static final String PROP_JAVA_HOME = "crm.local.storm.java.home";

    /** @throws NullPointerException if a part is missing */
    public StormClusterConfig {
        baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath().normalize();
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(heaps, "heaps");
        Objects.requireNonNull(timeouts, "timeouts");
        javaHome = Objects.requireNonNull(javaHome, "javaHome").toAbsolutePath().normalize();
        // not Map.copyOf: a null value is allowed (it writes "key: null", which unsets a default of Storm's)
        extraConf = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(extraConf, "extraConf")));
    }

    /**
     * The ports of the cluster; every one must differ, the DRPC ports {@code drpc + 1} and {@code drpc + 2}
     * included.
     *
     * @param zookeeper storm.zookeeper.port
     * @param nimbus nimbus.thrift.port
     * @param supervisor supervisor.thrift.port
     * @param slotsPort the first worker slot port: supervisor.slots.ports are {@code slots} consecutive ports from
     *     here
     * @param slots the number of worker slots of the supervisor (1..16)
     * @param drpc drpc.port; drpc.invocations.port is this + 1 and drpc.http.port this + 2
     */
    public record Ports(int zookeeper, int nimbus, int supervisor, int slotsPort, int slots, int ui, int logviewer,
            int drpc, int pacemaker) {

        public static final Ports DEFAULTS = new Ports(12181, 16627, 16628, 16700, 2, 16080, 16000, 16772, 16699);

        /** @throws IllegalArgumentException if a port or the number of slots is out of range or two ports are equal */
        public Ports {
            port(zookeeper, "zookeeperPort");
            port(nimbus, "nimbusPort");
            port(supervisor, "supervisorPort");
            if (slots < 1 || slots > 16) {
                throw new IllegalArgumentException("slots must be in 1..16: " + slots);
            }
            port(slotsPort, "slotsPort");
            port(slotsPort + slots - 1, "last slot port");
            port(ui, "uiPort");
            port(logviewer, "logviewerPort");
            port(drpc, "drpcPort");
            port(drpc + 2, "drpc http port (drpcPort + 2)");
            port(pacemaker, "pacemakerPort");
            Map<Integer, String> used = new TreeMap<>();
            for (Map.Entry<String, Integer> e : named(zookeeper, nimbus, supervisor, slotPorts(slotsPort, slots), ui,
                    logviewer, drpc, pacemaker).entrySet()) {
                String other = used.putIfAbsent(e.getValue(), e.getKey());
                if (other != null) {
                    throw new IllegalArgumentException("port " + e.getValue() + " is configured twice (" + other
                            + " and " + e.getKey() + "): every port must differ");
                }
            }
        }

        /** supervisor.slots.ports: {@code slots} consecutive ports from {@link #slotsPort()}. */
        public List<Integer> slotPorts() {
            return slotPorts(slotsPort, slots);
        }

        /** Every port of the cluster by its storm.yaml key (slots as {@code supervisor.slots.ports[i]}). */
        public Map<String, Integer> named() {
            return named(zookeeper, nimbus, supervisor, slotPorts(), ui, logviewer, drpc, pacemaker);
        }

        /** The ports the cluster listens on while no topology runs: ZooKeeper, Nimbus, supervisor, slots. */
        Map<String, Integer> toCheck() {
            Map<String, Integer> ports = new LinkedHashMap<>();
            named().forEach((k, v) -> {
                if (!k.startsWith("ui.") && !k.startsWith("logviewer.") && !k.startsWith("drpc.")
                        && !k.startsWith("pacemaker.")) {
                    ports.put(k, v);
                }
            });
            return ports;
        }

        private static List<Integer> slotPorts(int first, int count) {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ports.add(first + i);
            }
            return ports;
        }

        // static, so that the compact constructor can call it before the fields are set
        private static Map<String, Integer> named(int zookeeper, int nimbus, int supervisor, List<Integer> slotPorts,
                int ui, int logviewer, int drpc, int pacemaker) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("storm.zookeeper.port", zookeeper);
            ports.put("nimbus.thrift.port", nimbus);
            ports.put("supervisor.thrift.port", supervisor);
            for (int i = 0; i < slotPorts.size(); i++) {
                ports.put("supervisor.slots.ports[" + i + "]", slotPorts.get(i));
            }
            ports.put("ui.port", ui);
            ports.put("logviewer.port", logviewer);
            ports.put("drpc.port", drpc);
            ports.put("drpc.invocations.port", drpc + 1);
            ports.put("drpc.http.port", drpc + 2);
            ports.put("pacemaker.port", pacemaker);
            return ports;
        }
    }

    /**
     * {@code -Xmx} of the ZooKeeper, Nimbus and supervisor JVMs and of each worker JVM (worker.childopts), e.g.
     * "256m", "768m".
     */
    public record Heaps(String zookeeper, String nimbus, String supervisor, String worker) {

        public static final Heaps DEFAULTS = new Heaps("256m", "512m", "256m", "768m");

        /** @throws IllegalArgumentException if a size does not look like 512m or 1g, or a worker gets under 64m */
        public Heaps {
            heap(zookeeper, "zookeeperHeap");
            heap(nimbus, "nimbusHeap");
            heap(supervisor, "supervisorHeap");
            heap(worker, "workerHeap");
            if (megabytes(worker) < 64) {
                throw new IllegalArgumentException("workerHeap must be at least 64m: " + worker);
            }
        }

        /** {@link #worker()} in MB (worker.heap.memory.mb). */
        public int workerMb() {
            return (int) megabytes(worker);
        }
    }

    /**
     * How long the three daemons get to become ready, the submitting JVM (Flux) to finish, and a daemon or worker
     * to exit after SIGTERM before it is killed.
     */
    public record Timeouts(Duration startup, Duration submit, Duration stop) {

        public static final Timeouts DEFAULTS =
                new Timeouts(Duration.ofSeconds(120), Duration.ofSeconds(120), Duration.ofSeconds(30));

        /** @throws IllegalArgumentException if a timeout is not positive */
        public Timeouts {
            positive(startup, "startupTimeout");
            positive(submit, "submitTimeout");
            positive(stop, "stopTimeout");
        }
    }

    /** The defaults (on the running JVM's Java home), with the base dir {@code dir}. */
    public static StormClusterConfig at(Path dir) {
        return new StormClusterConfig(dir, Ports.DEFAULTS, Heaps.DEFAULTS, Timeouts.DEFAULTS, runningJavaHome(),
                Map.of());
    }

    /**
     * Reads the configuration from system properties: the base dir like {@link StackConfig} does
     * ({@value StackConfig#PROP_DIR}, else the environment variable {@value StackConfig#ENV_DIR}, else
     * {@code <cwd>/target/local-servers}), everything else from the {@code crm.local.storm.*} properties or the
     * defaults.
     */
    public static StormClusterConfig fromSystemProperties() {
        return fromProperties(System.getProperties(), System.getenv(), Path.of("").toAbsolutePath());
    }

    /** Like {@link #fromSystemProperties()} with explicit sources (for tests). */
    static StormClusterConfig fromProperties(Properties props, Map<String, String> env, Path cwd) {
        Ports p = Ports.DEFAULTS;
        Heaps h = Heaps.DEFAULTS;
        Timeouts t = Timeouts.DEFAULTS;
        String javaHome = props.getProperty(PROP_JAVA_HOME);
        return new StormClusterConfig(
                propOrEnv(props, StackConfig.PROP_DIR, env, StackConfig.ENV_DIR).map(cwd::resolve)
                        .orElse(StackConfig.defaultBaseDir(cwd)),
                new Ports(intProp(props, PROP_ZOOKEEPER_PORT, p.zookeeper()),
                        intProp(props, PROP_NIMBUS_PORT, p.nimbus()),
                        intProp(props, PROP_SUPERVISOR_PORT, p.supervisor()),
                        intProp(props, PROP_SLOTS_PORT, p.slotsPort()),
                        intProp(props, PROP_SLOTS, p.slots()),
                        intProp(props, PROP_UI_PORT, p.ui()),
                        intProp(props, PROP_LOGVIEWER_PORT, p.logviewer()),
                        intProp(props, PROP_DRPC_PORT, p.drpc()),
                        intProp(props, PROP_PACEMAKER_PORT, p.pacemaker())),
                new Heaps(props.getProperty(PROP_ZOOKEEPER_HEAP, h.zookeeper()).trim(),
                        props.getProperty(PROP_NIMBUS_HEAP, h.nimbus()).trim(),
                        props.getProperty(PROP_SUPERVISOR_HEAP, h.supervisor()).trim(),
                        props.getProperty(PROP_WORKER_HEAP, h.worker()).trim()),
                new Timeouts(seconds(props, PROP_STARTUP_TIMEOUT, t.startup()),
                        seconds(props, PROP_SUBMIT_TIMEOUT, t.submit()),
                        seconds(props, PROP_STOP_TIMEOUT, t.stop())),
                blank(javaHome) ? runningJavaHome() : cwd.resolve(javaHome.trim()),
                Map.of());
    }

    private static Path runningJavaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    /** The same cluster in the base dir {@code dir} (the cluster lives in its {@code storm/} subdirectory). */
    public StormClusterConfig withBaseDir(Path dir) {
        return new StormClusterConfig(dir, ports, heaps, timeouts, javaHome, extraConf);
    }

    public StormClusterConfig withPorts(Ports newPorts) {
        return new StormClusterConfig(baseDir, newPorts, heaps, timeouts, javaHome, extraConf);
    }

    public StormClusterConfig withHeaps(Heaps newHeaps) {
        return new StormClusterConfig(baseDir, ports, newHeaps, timeouts, javaHome, extraConf);
    }

    public StormClusterConfig withJavaHome(Path home) {
        return new StormClusterConfig(baseDir, ports, heaps, timeouts, home, extraConf);
    }

    /**
     * Adds a storm.yaml entry (or replaces a generated one). Values: String, Number, Boolean, or a List or Map of
     * those. E.g. {@code withExtraConf("supervisor.worker.timeout.secs", 10)}.
     */
    public StormClusterConfig withExtraConf(String key, Object value) {
        Map<String, Object> conf = new LinkedHashMap<>(extraConf);
        conf.put(Objects.requireNonNull(key, "key"), value);
        return new StormClusterConfig(baseDir, ports, heaps, timeouts, javaHome, conf);
    }

    /** {@code <base>/storm}: everything of the Storm cluster. */
    public Path stormDir() {
        return baseDir.resolve("storm");
    }

    /** {@code <base>/storm/home}: the Storm home ({@code lib/}, {@code lib-worker/}, {@code conf/}, {@code logs/} ...). */
    public Path homeDir() {
        return stormDir().resolve("home");
    }

    /** {@code <home>/logs}: daemon logs and {@code workers-artifacts/<topology-id>/<port>/worker.log}. */
    public Path logDir() {
        return homeDir().resolve("logs");
    }

    /** {@code <base>/storm/data}: ZooKeeper data, storm.local.dir, Nimbus' metrics store; wiped at every start. */
    public Path dataDir() {
        return stormDir().resolve("data");
    }

    /** {@code <base>/storm/data/storm-local}: storm.local.dir of Nimbus and the supervisor. */
    public Path localDir() {
        return dataDir().resolve("storm-local");
    }

    /** {@code <base>/storm/data/zookeeper}: dev.zookeeper.path. */
    public Path zookeeperDataDir() {
        return dataDir().resolve("zookeeper");
    }

    /** {@code <base>/storm/bootstrap}: what the daemon JVMs start with (ParentWatch, WorkerReaper, java script). */
    public Path bootstrapDir() {
        return stormDir().resolve("bootstrap");
    }

    /** {@code <javaHome>/bin/java}. */
    public Path javaExecutable() {
        return javaHome.resolve("bin").resolve("java");
    }

    /** Parses "768m", "1g", "524288k" or a byte count into whole megabytes. */
    static long megabytes(String heap) {
        Matcher m = HEAP.matcher(heap);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a heap size: " + heap);
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "g":
                return n * 1024;
            case "m":
                return n;
            case "k":
                return n / 1024;
            default:
                return n / (1024 * 1024);
        }
    }
}
