package io.gamecrm.local;

import static io.gamecrm.local.ConfigValues.heap;
import static io.gamecrm.local.ConfigValues.intProp;
import static io.gamecrm.local.ConfigValues.port;
import static io.gamecrm.local.ConfigValues.positive;
import static io.gamecrm.local.ConfigValues.propOrEnv;
import static io.gamecrm.local.ConfigValues.seconds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Immutable settings of the local stack: where data and logs live, the ports, heap sizes and timeouts.
 *
 * <p>Everything binds to {@value #HOST}. All files live below {@link #baseDir()}:
 * {@code kafka/} and {@code cassandra/} (generated configs and data), {@code logs/}, the state file
 * {@code stack.properties} and the lock file {@code stack.lock}. Two JVMs that use the same base dir share one
 * stack. Build one with {@link #builder()} or read one with {@link #fromSystemProperties()}; the property
 * names are the {@code PROP_*} constants.
 */
public final class StackConfig {

    /** Every server listens on this address only. */
    public static final String HOST = "127.0.0.1";
    /** Cassandra's datacenter name (SimpleSnitch). */
    public static final String DATACENTER = "datacenter1";

    public static final String PROP_DIR = "crm.local.dir";
    public static final String ENV_DIR = "CRM_LOCAL_DIR";
    public static final String PROP_KAFKA_PORT = "crm.local.kafka.port";
    public static final String PROP_KAFKA_CONTROLLER_PORT = "crm.local.kafka.controller.port";
    public static final String PROP_CASSANDRA_PORT = "crm.local.cassandra.port";
    public static final String PROP_CASSANDRA_STORAGE_PORT = "crm.local.cassandra.storage.port";
    public static final String PROP_CASSANDRA_JMX_PORT = "crm.local.cassandra.jmx.port";
    public static final String PROP_KAFKA_HEAP_MIN = "crm.local.kafka.heap.min";
    public static final String PROP_KAFKA_HEAP_MAX = "crm.local.kafka.heap.max";
    public static final String PROP_CASSANDRA_HEAP_MIN = "crm.local.cassandra.heap.min";
    public static final String PROP_CASSANDRA_HEAP_MAX = "crm.local.cassandra.heap.max";
    /** Seconds. */
    public static final String PROP_KAFKA_STARTUP_TIMEOUT = "crm.local.kafka.startup.timeout";
    /** Seconds. */
    public static final String PROP_CASSANDRA_STARTUP_TIMEOUT = "crm.local.cassandra.startup.timeout";
    /** Seconds a server gets after SIGTERM before it is killed. */
    public static final String PROP_STOP_TIMEOUT = "crm.local.stop.timeout";
    /** A Java 17 home for Cassandra, when the running JVM is not Java 17. */
    public static final String PROP_JAVA17_HOME = "crm.local.java17.home";
    public static final String ENV_JAVA17_HOME = "CRM_JAVA17_HOME";

    private final Path baseDir;
    private final int kafkaPort;
    private final int kafkaControllerPort;
    private final int cassandraPort;
    private final int cassandraStoragePort;
    private final int cassandraJmxPort;
    private final String kafkaHeapMin;
    private final String kafkaHeapMax;
    private final String cassandraHeapMin;
    private final String cassandraHeapMax;
    private final Duration kafkaStartupTimeout;
    private final Duration cassandraStartupTimeout;
    private final Duration stopTimeout;
    private final Path java17Home;

    private StackConfig(Builder b) {
        this.baseDir = Objects.requireNonNull(b.baseDir, "baseDir").toAbsolutePath().normalize();
        this.kafkaPort = port(b.kafkaPort, "kafkaPort");
        this.kafkaControllerPort = port(b.kafkaControllerPort, "kafkaControllerPort");
        this.cassandraPort = port(b.cassandraPort, "cassandraPort");
        this.cassandraStoragePort = port(b.cassandraStoragePort, "cassandraStoragePort");
        this.cassandraJmxPort = port(b.cassandraJmxPort, "cassandraJmxPort");
        this.kafkaHeapMin = heap(b.kafkaHeapMin, "kafkaHeapMin");
        this.kafkaHeapMax = heap(b.kafkaHeapMax, "kafkaHeapMax");
        this.cassandraHeapMin = heap(b.cassandraHeapMin, "cassandraHeapMin");
        this.cassandraHeapMax = heap(b.cassandraHeapMax, "cassandraHeapMax");
        this.kafkaStartupTimeout = positive(b.kafkaStartupTimeout, "kafkaStartupTimeout");
        this.cassandraStartupTimeout = positive(b.cassandraStartupTimeout, "cassandraStartupTimeout");
        this.stopTimeout = positive(b.stopTimeout, "stopTimeout");
        this.java17Home = b.java17Home == null ? null : b.java17Home.toAbsolutePath().normalize();
        Set<Integer> ports = new HashSet<>();
        for (int p : new int[] {kafkaPort, kafkaControllerPort, cassandraPort, cassandraStoragePort, cassandraJmxPort}) {
            if (!ports.add(p)) {
                throw new IllegalArgumentException("port " + p + " is configured twice: every port must differ");
            }
        }
    }

    /** A builder with the defaults (base dir {@code <cwd>/target/local-servers}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change a few settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Reads the configuration from system properties, falling back to the environment variable
     * {@value #ENV_DIR} for the base dir and to the defaults for everything else.
     */
    public static StackConfig fromSystemProperties() {
        return fromProperties(System.getProperties(), System.getenv(), Path.of("").toAbsolutePath());
    }

    /** Like {@link #fromSystemProperties()} with explicit sources (for tests). */
    static StackConfig fromProperties(Properties props, Map<String, String> env, Path cwd) {
        Builder b = new Builder(cwd);
        propOrEnv(props, PROP_DIR, env, ENV_DIR).ifPresent(dir -> b.baseDir(cwd.resolve(dir)));
        b.kafkaPort(intProp(props, PROP_KAFKA_PORT, b.kafkaPort));
        b.kafkaControllerPort(intProp(props, PROP_KAFKA_CONTROLLER_PORT, b.kafkaControllerPort));
        b.cassandraPort(intProp(props, PROP_CASSANDRA_PORT, b.cassandraPort));
        b.cassandraStoragePort(intProp(props, PROP_CASSANDRA_STORAGE_PORT, b.cassandraStoragePort));
        b.cassandraJmxPort(intProp(props, PROP_CASSANDRA_JMX_PORT, b.cassandraJmxPort));
        b.kafkaHeap(props.getProperty(PROP_KAFKA_HEAP_MIN, b.kafkaHeapMin).trim(),
                props.getProperty(PROP_KAFKA_HEAP_MAX, b.kafkaHeapMax).trim());
        b.cassandraHeap(props.getProperty(PROP_CASSANDRA_HEAP_MIN, b.cassandraHeapMin).trim(),
                props.getProperty(PROP_CASSANDRA_HEAP_MAX, b.cassandraHeapMax).trim());
        b.kafkaStartupTimeout(seconds(props, PROP_KAFKA_STARTUP_TIMEOUT, b.kafkaStartupTimeout));
        b.cassandraStartupTimeout(seconds(props, PROP_CASSANDRA_STARTUP_TIMEOUT, b.cassandraStartupTimeout));
        b.stopTimeout(seconds(props, PROP_STOP_TIMEOUT, b.stopTimeout));
        propOrEnv(props, PROP_JAVA17_HOME, env, ENV_JAVA17_HOME).ifPresent(home -> b.java17Home(cwd.resolve(home)));
        return b.build();
    }

    public Path baseDir() {
        return baseDir;
    }

    /** {@code <base>/logs}: every server's log and stdout files. */
    public Path logDir() {
        return baseDir.resolve("logs");
    }

    /** {@code <base>/kafka}: generated config ({@code conf/}) and data ({@code data/}). */
    public Path kafkaDir() {
        return baseDir.resolve("kafka");
    }

    /** {@code <base>/cassandra}: generated config ({@code conf/}) and data directories. */
    public Path cassandraDir() {
        return baseDir.resolve("cassandra");
    }

    /** {@code <base>/stack.properties}: pids and ports of the running servers. */
    public Path stateFile() {
        return baseDir.resolve("stack.properties");
    }

    /** {@code <base>/stack.lock}: serializes starts and stops across JVMs. */
    public Path lockFile() {
        return baseDir.resolve("stack.lock");
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int kafkaControllerPort() {
        return kafkaControllerPort;
    }

    public int cassandraPort() {
        return cassandraPort;
    }

    public int cassandraStoragePort() {
        return cassandraStoragePort;
    }

    public int cassandraJmxPort() {
        return cassandraJmxPort;
    }

    /** The client port of a server (Kafka's PLAINTEXT listener, Cassandra's CQL port). */
    public int clientPort(Server server) {
        return server == Server.KAFKA ? kafkaPort : cassandraPort;
    }

    /** Value for {@code -Xms} of the Kafka JVM, e.g. "256m". */
    public String kafkaHeapMin() {
        return kafkaHeapMin;
    }

    /** Value for {@code -Xmx} of the Kafka JVM, e.g. "512m". */
    public String kafkaHeapMax() {
        return kafkaHeapMax;
    }

    public String cassandraHeapMin() {
        return cassandraHeapMin;
    }

    public String cassandraHeapMax() {
        return cassandraHeapMax;
    }

    public Duration kafkaStartupTimeout() {
        return kafkaStartupTimeout;
    }

    public Duration cassandraStartupTimeout() {
        return cassandraStartupTimeout;
    }

    public Duration startupTimeout(Server server) {
        return server == Server.KAFKA ? kafkaStartupTimeout : cassandraStartupTimeout;
    }

    /** How long a server may take to exit after SIGTERM before it is killed. */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /** An explicit Java 17 home for Cassandra; empty means "the running JVM or one found on this machine". */
    public Optional<Path> java17Home() {
        return Optional.ofNullable(java17Home);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StackConfig)) {
            return false;
        }
        StackConfig c = (StackConfig) o;
        return kafkaPort == c.kafkaPort && kafkaControllerPort == c.kafkaControllerPort
                && cassandraPort == c.cassandraPort && cassandraStoragePort == c.cassandraStoragePort
                && cassandraJmxPort == c.cassandraJmxPort && baseDir.equals(c.baseDir)
                && kafkaHeapMin.equals(c.kafkaHeapMin) && kafkaHeapMax.equals(c.kafkaHeapMax)
                && cassandraHeapMin.equals(c.cassandraHeapMin) && cassandraHeapMax.equals(c.cassandraHeapMax)
                && kafkaStartupTimeout.equals(c.kafkaStartupTimeout)
                && cassandraStartupTimeout.equals(c.cassandraStartupTimeout)
                && stopTimeout.equals(c.stopTimeout) && Objects.equals(java17Home, c.java17Home);
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseDir, kafkaPort, kafkaControllerPort, cassandraPort, cassandraStoragePort,
                cassandraJmxPort, kafkaHeapMin, kafkaHeapMax, cassandraHeapMin, cassandraHeapMax,
                kafkaStartupTimeout, cassandraStartupTimeout, stopTimeout, java17Home);
    }

    @Override
    public String toString() {
        return "StackConfig{baseDir=" + baseDir + ", kafka=" + HOST + ":" + kafkaPort
                + " (controller " + kafkaControllerPort + ", heap " + kafkaHeapMin + ".." + kafkaHeapMax
                + "), cassandra=" + HOST + ":" + cassandraPort + " (storage " + cassandraStoragePort
                + ", jmx " + cassandraJmxPort + ", heap " + cassandraHeapMin + ".." + cassandraHeapMax
                + "), startupTimeouts=" + kafkaStartupTimeout.toSeconds() + "s/"
                + cassandraStartupTimeout.toSeconds() + "s, stopTimeout=" + stopTimeout.toSeconds() + "s"
                + (java17Home == null ? "" : ", java17Home=" + java17Home) + "}";
    }

    /** Mutable builder of {@link StackConfig}; starts from the defaults. */
    public static final class Builder {
        private Path baseDir;
        private int kafkaPort = 19092;
        private int kafkaControllerPort = 19093;
        private int cassandraPort = 19042;
        private int cassandraStoragePort = 17000;
        private int cassandraJmxPort = 17199;
        private String kafkaHeapMin = "256m";
        private String kafkaHeapMax = "512m";
        private String cassandraHeapMin = "256m";
        private String cassandraHeapMax = "1g";
        private Duration kafkaStartupTimeout = Duration.ofSeconds(90);
        // a restart replays the commit log of every keyspace the tests made: on a busy 2-core machine that took 90 s
        private Duration cassandraStartupTimeout = Duration.ofSeconds(180);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private Path java17Home;

        private Builder() {
            this(Path.of("").toAbsolutePath());
        }

        private Builder(Path cwd) {
            this.baseDir = cwd.resolve("target").resolve("local-servers");
        }

        private Builder(StackConfig c) {
            baseDir = c.baseDir;
            kafkaPort = c.kafkaPort;
            kafkaControllerPort = c.kafkaControllerPort;
            cassandraPort = c.cassandraPort;
            cassandraStoragePort = c.cassandraStoragePort;
            cassandraJmxPort = c.cassandraJmxPort;
            kafkaHeapMin = c.kafkaHeapMin;
            kafkaHeapMax = c.kafkaHeapMax;
            cassandraHeapMin = c.cassandraHeapMin;
            cassandraHeapMax = c.cassandraHeapMax;
            kafkaStartupTimeout = c.kafkaStartupTimeout;
            cassandraStartupTimeout = c.cassandraStartupTimeout;
            stopTimeout = c.stopTimeout;
            java17Home = c.java17Home;
        }

        public Builder baseDir(Path dir) {
            this.baseDir = dir;
            return this;
        }

        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        public Builder kafkaControllerPort(int port) {
            this.kafkaControllerPort = port;
            return this;
        }

        public Builder cassandraPort(int port) {
            this.cassandraPort = port;
            return this;
        }

        public Builder cassandraStoragePort(int port) {
            this.cassandraStoragePort = port;
            return this;
        }

        public Builder cassandraJmxPort(int port) {
            this.cassandraJmxPort = port;
            return this;
        }

        /** {@code -Xms} and {@code -Xmx} of the Kafka JVM, e.g. ("256m", "512m"). */
        public Builder kafkaHeap(String min, String max) {
            this.kafkaHeapMin = min;
            this.kafkaHeapMax = max;
            return this;
        }

        /** {@code -Xms} and {@code -Xmx} of the Cassandra JVM, e.g. ("256m", "1g"). */
        public Builder cassandraHeap(String min, String max) {
            this.cassandraHeapMin = min;
            this.cassandraHeapMax = max;
            return this;
        }

        public Builder kafkaStartupTimeout(Duration timeout) {
            this.kafkaStartupTimeout = timeout;
            return this;
        }

        public Builder cassandraStartupTimeout(Duration timeout) {
            this.cassandraStartupTimeout = timeout;
            return this;
        }

        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /** Java 17 home for Cassandra; {@code null} means search (running JVM, then /usr/lib/jvm, ...). */
        public Builder java17Home(Path home) {
            this.java17Home = home;
            return this;
        }

        /** @throws IllegalArgumentException if a port, heap size or timeout is invalid or two ports are equal */
        public StackConfig build() {
            return new StackConfig(this);
        }
    }
}
