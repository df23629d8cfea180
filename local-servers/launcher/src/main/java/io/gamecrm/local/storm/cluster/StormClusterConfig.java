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
 * ZooKeeper or other test servers running on the same machine. Build one with {@link #builder()} or read one
 * from system properties with {@link #fromSystemProperties()}; the property names are the {@code PROP_*}
 * constants (all {@code crm.local.storm.*}, plus {@code crm.local.dir} for the base dir).
 */
public final class StormClusterConfig {

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

    private final Path baseDir;
    private final int zookeeperPort;
    private final int nimbusPort;
    private final int supervisorPort;
    private final int slotsPort;
    private final int slots;
    private final int uiPort;
    private final int logviewerPort;
    private final int drpcPort;
    private final int pacemakerPort;
    private final String zookeeperHeap;
    private final String nimbusHeap;
    private final String supervisorHeap;
    private final String workerHeap;
    private final Duration startupTimeout;
    private final Duration submitTimeout;
    private final Duration stopTimeout;
    private final Path javaHome;
    private final Map<String, Object> extraConf;

    private StormClusterConfig(Builder b) {
        this.baseDir = Objects.requireNonNull(b.baseDir, "baseDir").toAbsolutePath().normalize();
        this.zookeeperPort = port(b.zookeeperPort, "zookeeperPort");
        this.nimbusPort = port(b.nimbusPort, "nimbusPort");
        this.supervisorPort = port(b.supervisorPort, "supervisorPort");
        if (b.slots < 1 || b.slots > 16) {
            throw new IllegalArgumentException("slots must be in 1..16: " + b.slots);
        }
        this.slots = b.slots;
        this.slotsPort = port(b.slotsPort, "slotsPort");
        port(b.slotsPort + b.slots - 1, "last slot port");
        this.uiPort = port(b.uiPort, "uiPort");
        this.logviewerPort = port(b.logviewerPort, "logviewerPort");
        this.drpcPort = port(b.drpcPort, "drpcPort");
        port(b.drpcPort + 2, "drpc http port (drpcPort + 2)");
        this.pacemakerPort = port(b.pacemakerPort, "pacemakerPort");
        this.zookeeperHeap = heap(b.zookeeperHeap, "zookeeperHeap");
        this.nimbusHeap = heap(b.nimbusHeap, "nimbusHeap");
        this.supervisorHeap = heap(b.supervisorHeap, "supervisorHeap");
        this.workerHeap = heap(b.workerHeap, "workerHeap");
        if (megabytes(workerHeap) < 64) {
            throw new IllegalArgumentException("workerHeap must be at least 64m: " + workerHeap);
        }
        this.startupTimeout = positive(b.startupTimeout, "startupTimeout");
        this.submitTimeout = positive(b.submitTimeout, "submitTimeout");
        this.stopTimeout = positive(b.stopTimeout, "stopTimeout");
        this.javaHome = Objects.requireNonNull(b.javaHome, "javaHome").toAbsolutePath().normalize();
        this.extraConf = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraConf));
        Map<Integer, String> used = new TreeMap<>();
        for (Map.Entry<String, Integer> e : namedPorts().entrySet()) {
            String other = used.putIfAbsent(e.getValue(), e.getKey());
            if (other != null) {
                throw new IllegalArgumentException("port " + e.getValue() + " is configured twice (" + other + " and "
                        + e.getKey() + "): every port must differ");
            }
        }
    }

    /** A builder with the defaults (base dir {@code <cwd>/target/local-servers}). */
    public static Builder builder() {
        return new Builder(Path.of("").toAbsolutePath());
    }

    /** A builder holding this configuration, to change a few settings. */
    public Builder toBuilder() {
        return new Builder(this);
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
        Builder b = new Builder(cwd);
        propOrEnv(props, StackConfig.PROP_DIR, env, StackConfig.ENV_DIR).ifPresent(dir -> b.baseDir(cwd.resolve(dir)));
        b.zookeeperPort(intProp(props, PROP_ZOOKEEPER_PORT, b.zookeeperPort));
        b.nimbusPort(intProp(props, PROP_NIMBUS_PORT, b.nimbusPort));
        b.supervisorPort(intProp(props, PROP_SUPERVISOR_PORT, b.supervisorPort));
        b.slots(intProp(props, PROP_SLOTS_PORT, b.slotsPort), intProp(props, PROP_SLOTS, b.slots));
        b.uiPort(intProp(props, PROP_UI_PORT, b.uiPort));
        b.logviewerPort(intProp(props, PROP_LOGVIEWER_PORT, b.logviewerPort));
        b.drpcPort(intProp(props, PROP_DRPC_PORT, b.drpcPort));
        b.pacemakerPort(intProp(props, PROP_PACEMAKER_PORT, b.pacemakerPort));
        b.zookeeperHeap(props.getProperty(PROP_ZOOKEEPER_HEAP, b.zookeeperHeap).trim());
        b.nimbusHeap(props.getProperty(PROP_NIMBUS_HEAP, b.nimbusHeap).trim());
        b.supervisorHeap(props.getProperty(PROP_SUPERVISOR_HEAP, b.supervisorHeap).trim());
        b.workerHeap(props.getProperty(PROP_WORKER_HEAP, b.workerHeap).trim());
        b.startupTimeout(seconds(props, PROP_STARTUP_TIMEOUT, b.startupTimeout));
        b.submitTimeout(seconds(props, PROP_SUBMIT_TIMEOUT, b.submitTimeout));
        b.stopTimeout(seconds(props, PROP_STOP_TIMEOUT, b.stopTimeout));
        String javaHome = props.getProperty(PROP_JAVA_HOME);
        if (!blank(javaHome)) {
            b.javaHome(cwd.resolve(javaHome.trim()));
        }
        return b.build();
    }

    /** The stack's base dir ({@value StackConfig#PROP_DIR}). */
    public Path baseDir() {
        return baseDir;
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

    public int zookeeperPort() {
        return zookeeperPort;
    }

    /** nimbus.thrift.port. */
    public int nimbusPort() {
        return nimbusPort;
    }

    /** supervisor.thrift.port. */
    public int supervisorPort() {
        return supervisorPort;
    }

    /** supervisor.slots.ports: {@code slots} consecutive ports from {@link #PROP_SLOTS_PORT}. */
    public List<Integer> slotPorts() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            ports.add(slotsPort + i);
        }
        return ports;
    }

    public int slots() {
        return slots;
    }

    public int uiPort() {
        return uiPort;
    }

    public int logviewerPort() {
        return logviewerPort;
    }

    /** drpc.port; drpc.invocations.port is this + 1 and drpc.http.port this + 2. */
    public int drpcPort() {
        return drpcPort;
    }

    public int pacemakerPort() {
        return pacemakerPort;
    }

    /** Every port of the cluster by its storm.yaml key (slots as {@code supervisor.slots.ports[i]}). */
    public Map<String, Integer> namedPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("storm.zookeeper.port", zookeeperPort);
        ports.put("nimbus.thrift.port", nimbusPort);
        ports.put("supervisor.thrift.port", supervisorPort);
        List<Integer> slotPorts = slotPorts();
        for (int i = 0; i < slotPorts.size(); i++) {
            ports.put("supervisor.slots.ports[" + i + "]", slotPorts.get(i));
        }
        ports.put("ui.port", uiPort);
        ports.put("logviewer.port", logviewerPort);
        ports.put("drpc.port", drpcPort);
        ports.put("drpc.invocations.port", drpcPort + 1);
        ports.put("drpc.http.port", drpcPort + 2);
        ports.put("pacemaker.port", pacemakerPort);
        return ports;
    }

    /** The ports the cluster listens on while no topology runs: ZooKeeper, Nimbus, supervisor, slots. */
    Map<String, Integer> portsToCheck() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        namedPorts().forEach((k, v) -> {
            if (!k.startsWith("ui.") && !k.startsWith("logviewer.") && !k.startsWith("drpc.")
                    && !k.startsWith("pacemaker.")) {
                ports.put(k, v);
            }
        });
        return ports;
    }

    /** {@code -Xmx} of the ZooKeeper JVM, e.g. "256m". */
    public String zookeeperHeap() {
        return zookeeperHeap;
    }

    public String nimbusHeap() {
        return nimbusHeap;
    }

    public String supervisorHeap() {
        return supervisorHeap;
    }

    /** {@code -Xmx} of each worker JVM, e.g. "768m". */
    public String workerHeap() {
        return workerHeap;
    }

    /** {@link #workerHeap()} in MB (worker.heap.memory.mb). */
    public int workerHeapMb() {
        return (int) megabytes(workerHeap);
    }

    public Duration startupTimeout() {
        return startupTimeout;
    }

    public Duration submitTimeout() {
        return submitTimeout;
    }

    public Duration stopTimeout() {
        return stopTimeout;
    }

    /** The Java home of every Storm JVM. The supervisor gets it as JAVA_HOME, so its workers use it too. */
    public Path javaHome() {
        return javaHome;
    }

    /** {@code <javaHome>/bin/java}. */
    public Path javaExecutable() {
        return javaHome.resolve("bin").resolve("java");
    }

    /** Entries added to (or replacing) the generated storm.yaml's, in order. */
    public Map<String, Object> extraConf() {
        return extraConf;
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

    @Override
    public String toString() {
        return "StormClusterConfig{home=" + homeDir() + ", zookeeper=" + zookeeperPort + ", nimbus=" + nimbusPort
                + ", supervisor=" + supervisorPort + ", slots=" + slotPorts() + ", heaps zookeeper/nimbus/supervisor/worker="
                + zookeeperHeap + "/" + nimbusHeap + "/" + supervisorHeap + "/" + workerHeap + ", javaHome=" + javaHome
                + ", startupTimeout=" + startupTimeout.toSeconds() + "s, submitTimeout=" + submitTimeout.toSeconds()
                + "s, stopTimeout=" + stopTimeout.toSeconds() + "s" + (extraConf.isEmpty() ? "" : ", extraConf=" + extraConf)
                + "}";
    }

    /** Mutable builder of {@link StormClusterConfig}; starts from the defaults. */
    public static final class Builder {
        private Path baseDir;
        private int zookeeperPort = 12181;
        private int nimbusPort = 16627;
        private int supervisorPort = 16628;
        private int slotsPort = 16700;
        private int slots = 2;
        private int uiPort = 16080;
        private int logviewerPort = 16000;
        private int drpcPort = 16772;
        private int pacemakerPort = 16699;
        private String zookeeperHeap = "256m";
        private String nimbusHeap = "512m";
        private String supervisorHeap = "256m";
        private String workerHeap = "768m";
        private Duration startupTimeout = Duration.ofSeconds(120);
        private Duration submitTimeout = Duration.ofSeconds(120);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private Path javaHome = Path.of(System.getProperty("java.home"));
        private final Map<String, Object> extraConf = new LinkedHashMap<>();

        private Builder(Path cwd) {
            this.baseDir = cwd.resolve("target").resolve("local-servers");
        }

        private Builder(StormClusterConfig c) {
            baseDir = c.baseDir;
            zookeeperPort = c.zookeeperPort;
            nimbusPort = c.nimbusPort;
            supervisorPort = c.supervisorPort;
            slotsPort = c.slotsPort;
            slots = c.slots;
            uiPort = c.uiPort;
            logviewerPort = c.logviewerPort;
            drpcPort = c.drpcPort;
            pacemakerPort = c.pacemakerPort;
            zookeeperHeap = c.zookeeperHeap;
            nimbusHeap = c.nimbusHeap;
            supervisorHeap = c.supervisorHeap;
            workerHeap = c.workerHeap;
            startupTimeout = c.startupTimeout;
            submitTimeout = c.submitTimeout;
            stopTimeout = c.stopTimeout;
            javaHome = c.javaHome;
            extraConf.putAll(c.extraConf);
        }

        /** The stack's base dir; the cluster lives in its {@code storm/} subdirectory. */
        public Builder baseDir(Path dir) {
            this.baseDir = dir;
            return this;
        }

        public Builder zookeeperPort(int port) {
            this.zookeeperPort = port;
            return this;
        }

        public Builder nimbusPort(int port) {
            this.nimbusPort = port;
            return this;
        }

        public Builder supervisorPort(int port) {
            this.supervisorPort = port;
            return this;
        }

        /** {@code count} worker slots on ports {@code firstPort}, {@code firstPort + 1}, ... */
        public Builder slots(int firstPort, int count) {
            this.slotsPort = firstPort;
            this.slots = count;
            return this;
        }

        public Builder uiPort(int port) {
            this.uiPort = port;
            return this;
        }

        public Builder logviewerPort(int port) {
            this.logviewerPort = port;
            return this;
        }

        /** drpc.port; the invocations and HTTP ports are the next two. */
        public Builder drpcPort(int port) {
            this.drpcPort = port;
            return this;
        }

        public Builder pacemakerPort(int port) {
            this.pacemakerPort = port;
            return this;
        }

        public Builder zookeeperHeap(String max) {
            this.zookeeperHeap = max;
            return this;
        }

        public Builder nimbusHeap(String max) {
            this.nimbusHeap = max;
            return this;
        }

        public Builder supervisorHeap(String max) {
            this.supervisorHeap = max;
            return this;
        }

        public Builder workerHeap(String max) {
            this.workerHeap = max;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        public Builder submitTimeout(Duration timeout) {
            this.submitTimeout = timeout;
            return this;
        }

        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        public Builder javaHome(Path home) {
            this.javaHome = home;
            return this;
        }

        /**
         * Adds a storm.yaml entry (or replaces a generated one). Values: String, Number, Boolean, or a List or Map of
         * those. E.g. {@code extraConf("supervisor.worker.timeout.secs", 10)}.
         */
        public Builder extraConf(String key, Object value) {
            this.extraConf.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /** @throws IllegalArgumentException if a port, heap size or timeout is invalid or two ports are equal */
        public StormClusterConfig build() {
            return new StormClusterConfig(this);
        }
    }
}
