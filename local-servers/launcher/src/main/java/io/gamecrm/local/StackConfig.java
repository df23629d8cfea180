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
 * stack. Start from {@link #at(Path)} (the defaults) or read one with {@link #fromSystemProperties()}; the
 * property names are the {@code PROP_*} constants. Each part checks itself when it is made.
 *
 * @param java17Home an explicit Java 17 home for Cassandra; empty means "the running JVM or one found on this
 *     machine" (/usr/lib/jvm, ...)
 * @param security authentication of the servers ({@link StackSecurity#NONE} unless made with
 *     {@link #withSecurity})
 */
public record StackConfig(Path baseDir, Ports ports, Heaps heaps, Timeouts timeouts, Optional<Path> java17Home,
                          StackSecurity security) {

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

    /** @throws IllegalArgumentException if a part is missing */
    public StackConfig {
        baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath().normalize();
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(heaps, "heaps");
        Objects.requireNonNull(timeouts, "timeouts");
        java17Home = Objects.requireNonNull(java17Home, "java17Home").map(home -> home.toAbsolutePath().normalize());
        Objects.requireNonNull(security, "security");
    }

    /** Without authentication ({@link StackSecurity#NONE}). */
    public StackConfig(Path baseDir, Ports ports, Heaps heaps, Timeouts timeouts, Optional<Path> java17Home) {
        this(baseDir, ports, heaps, timeouts, java17Home, StackSecurity.NONE);
    }

    /**
     * The ports; every one must differ.
     *
     * @param kafka Kafka's client listener (PLAINTEXT, or SASL_SSL when {@link StackConfig#security()} says so)
     * @param kafkaController Kafka's CONTROLLER listener (KRaft)
     * @param cassandra Cassandra's CQL port (native_transport_port)
     * @param cassandraStorage storage_port
     * @param cassandraJmx cassandra.jmx.local.port
     */
    public record Ports(int kafka, int kafkaController, int cassandra, int cassandraStorage, int cassandraJmx) {

        public static final Ports DEFAULTS = new Ports(19092, 19093, 19042, 17000, 17199);

        /** @throws IllegalArgumentException if a port is not in 1..65535 or two ports are equal */
        public Ports {
            port(kafka, "kafkaPort");
            port(kafkaController, "kafkaControllerPort");
            port(cassandra, "cassandraPort");
            port(cassandraStorage, "cassandraStoragePort");
            port(cassandraJmx, "cassandraJmxPort");
            Set<Integer> seen = new HashSet<>();
            for (int p : new int[] {kafka, kafkaController, cassandra, cassandraStorage, cassandraJmx}) {
                if (!seen.add(p)) {
                    throw new IllegalArgumentException("port " + p + " is configured twice: every port must differ");
                }
            }
        }
    }

    /** {@code -Xms} and {@code -Xmx} of the Kafka and the Cassandra JVM, e.g. "256m", "1g". */
    public record Heaps(String kafkaMin, String kafkaMax, String cassandraMin, String cassandraMax) {

        public static final Heaps DEFAULTS = new Heaps("256m", "512m", "256m", "1g");

        /** @throws IllegalArgumentException if a size does not look like 512m or 1g */
        public Heaps {
            heap(kafkaMin, "kafkaHeapMin");
            heap(kafkaMax, "kafkaHeapMax");
            heap(cassandraMin, "cassandraHeapMin");
            heap(cassandraMax, "cassandraHeapMax");
        }
    }

    /**
     * How long each server may take to start, and how long a server may take to exit after SIGTERM before it is
     * killed.
     */
    public record Timeouts(Duration kafkaStartup, Duration cassandraStartup, Duration stop) {

        // Cassandra's 180 s: a restart replays the commit log of every keyspace the tests made; on a busy 2-core
        // machine that took 90 s
        public static final Timeouts DEFAULTS =
                new Timeouts(Duration.ofSeconds(90), Duration.ofSeconds(180), Duration.ofSeconds(30));

        /** @throws IllegalArgumentException if a timeout is not positive */
        public Timeouts {
            positive(kafkaStartup, "kafkaStartupTimeout");
            positive(cassandraStartup, "cassandraStartupTimeout");
            positive(stop, "stopTimeout");
        }
    }

    /** The defaults, with the base dir {@code dir}. */
    public static StackConfig at(Path dir) {
        return new StackConfig(dir, Ports.DEFAULTS, Heaps.DEFAULTS, Timeouts.DEFAULTS, Optional.empty());
    }

    /**
     * Reads the configuration from system properties, falling back to the environment variable
     * {@value #ENV_DIR} for the base dir and to the defaults ({@code <cwd>/target/local-servers} for the base dir)
     * for everything else.
     */
    public static StackConfig fromSystemProperties() {
        return fromProperties(System.getProperties(), System.getenv(), Path.of("").toAbsolutePath());
    }

    /** Like {@link #fromSystemProperties()} with explicit sources (for tests). */
    static StackConfig fromProperties(Properties props, Map<String, String> env, Path cwd) {
        Ports p = Ports.DEFAULTS;
        Heaps h = Heaps.DEFAULTS;
        Timeouts t = Timeouts.DEFAULTS;
        return new StackConfig(
                propOrEnv(props, PROP_DIR, env, ENV_DIR).map(cwd::resolve).orElse(defaultBaseDir(cwd)),
                new Ports(intProp(props, PROP_KAFKA_PORT, p.kafka()),
                        intProp(props, PROP_KAFKA_CONTROLLER_PORT, p.kafkaController()),
                        intProp(props, PROP_CASSANDRA_PORT, p.cassandra()),
                        intProp(props, PROP_CASSANDRA_STORAGE_PORT, p.cassandraStorage()),
                        intProp(props, PROP_CASSANDRA_JMX_PORT, p.cassandraJmx())),
                new Heaps(props.getProperty(PROP_KAFKA_HEAP_MIN, h.kafkaMin()).trim(),
                        props.getProperty(PROP_KAFKA_HEAP_MAX, h.kafkaMax()).trim(),
                        props.getProperty(PROP_CASSANDRA_HEAP_MIN, h.cassandraMin()).trim(),
                        props.getProperty(PROP_CASSANDRA_HEAP_MAX, h.cassandraMax()).trim()),
                new Timeouts(seconds(props, PROP_KAFKA_STARTUP_TIMEOUT, t.kafkaStartup()),
                        seconds(props, PROP_CASSANDRA_STARTUP_TIMEOUT, t.cassandraStartup()),
                        seconds(props, PROP_STOP_TIMEOUT, t.stop())),
                propOrEnv(props, PROP_JAVA17_HOME, env, ENV_JAVA17_HOME).map(cwd::resolve));
    }

    /** {@code <cwd>/target/local-servers}: the base dir when none is configured. */
    public static Path defaultBaseDir(Path cwd) {
        return cwd.resolve("target").resolve("local-servers");
    }

    public StackConfig withBaseDir(Path dir) {
        return new StackConfig(dir, ports, heaps, timeouts, java17Home, security);
    }

    public StackConfig withPorts(Ports newPorts) {
        return new StackConfig(baseDir, newPorts, heaps, timeouts, java17Home, security);
    }

    public StackConfig withHeaps(Heaps newHeaps) {
        return new StackConfig(baseDir, ports, newHeaps, timeouts, java17Home, security);
    }

    /** Java 17 home for Cassandra; {@code null} means search (running JVM, then /usr/lib/jvm, ...). */
    public StackConfig withJava17Home(Path home) {
        return new StackConfig(baseDir, ports, heaps, timeouts, Optional.ofNullable(home), security);
    }

    /** The same stack with authentication: see {@link StackSecurity}. */
    public StackConfig withSecurity(StackSecurity newSecurity) {
        return new StackConfig(baseDir, ports, heaps, timeouts, java17Home, newSecurity);
    }

    /** {@code <base>/tls}: the broker's key store and the clients' trust store ({@link LocalTls}). */
    public Path tlsDir() {
        return baseDir.resolve("tls");
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

    /** The client port of a server (Kafka's PLAINTEXT listener, Cassandra's CQL port). */
    public int clientPort(Server server) {
        return server == Server.KAFKA ? ports.kafka() : ports.cassandra();
    }

    public Duration startupTimeout(Server server) {
        return server == Server.KAFKA ? timeouts.kafkaStartup() : timeouts.cassandraStartup();
    }
}
