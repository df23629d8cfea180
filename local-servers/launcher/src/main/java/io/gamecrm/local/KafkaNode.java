package io.gamecrm.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Single-node Kafka in KRaft mode (one process is broker and controller). Files: {@code <base>/kafka/conf/}
 * (server.properties, log4j2.xml), {@code <base>/kafka/data/} (log dir, formatted on first start),
 * {@code <base>/logs/kafka.log} and {@code kafka.out}. Ready when the client port accepts connections and
 * "Kafka Server started" was logged by this start. The client listener is PLAINTEXT, or SASL_SSL when the stack's
 * {@link StackSecurity} has a Kafka user.
 */
final class KafkaNode extends ServerNode {

    static final String READY_MARKER = "Kafka Server started";
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);

    KafkaNode(StackConfig cfg) {
        super(cfg, Server.KAFKA);
    }

    Path confDir() {
        return cfg.kafkaDir().resolve("conf");
    }

    Path dataDir() {
        return cfg.kafkaDir().resolve("data");
    }

    @Override
    Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka client port", cfg.ports().kafka());
        ports.put("Kafka controller port", cfg.ports().kafkaController());
        return ports;
    }

    /** The broker configuration ({@code server.properties}) for {@code cfg}. */
    static Map<String, String> serverProperties(StackConfig cfg) {
        String host = StackConfig.HOST;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + cfg.ports().kafkaController());
        String client = clientListener(cfg);
        p.put("listeners", client + "://" + host + ":" + cfg.ports().kafka() + ",CONTROLLER://" + host + ":"
                + cfg.ports().kafkaController());
        p.put("advertised.listeners", client + "://" + host + ":" + cfg.ports().kafka());
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", client);
        p.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
        cfg.security().kafka().ifPresent(user -> p.putAll(saslSslProperties(cfg, user)));
        p.put("log.dirs", cfg.kafkaDir().resolve("data").toString());
        p.put("num.partitions", "4");
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        // 50 partitions by default: the first consumer group would wait for 50 partitions to be created
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    /** The client (and inter-broker) listener's name and protocol: PLAINTEXT or SASL_SSL. */
    static String clientListener(StackConfig cfg) {
        return cfg.security().kafkaSecured() ? StackSecurity.KAFKA_SECURITY_PROTOCOL : "PLAINTEXT";
    }

    /**
     * SASL/PLAIN over TLS on the client listener: the broker's certificate ({@link LocalTls}), the one user it
     * accepts, and the same user for the broker's own inter-broker connections. The controller listener stays
     * PLAINTEXT (it serves the KRaft quorum only, not clients).
     */
    static Map<String, String> saslSslProperties(StackConfig cfg, StackSecurity.Credentials user) {
        String password = cfg.security().storePassword();
        String listener = "listener.name." + StackSecurity.KAFKA_SECURITY_PROTOCOL.toLowerCase(Locale.ROOT)
                + "." + StackSecurity.KAFKA_SASL_MECHANISM.toLowerCase(Locale.ROOT) + ".";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sasl.enabled.mechanisms", StackSecurity.KAFKA_SASL_MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", StackSecurity.KAFKA_SASL_MECHANISM);
        p.put(listener + "sasl.jaas.config", StackSecurity.KAFKA_PLAIN_LOGIN_MODULE + " required username=\""
                + user.username() + "\" password=\"" + user.password() + "\" user_" + user.username() + "=\""
                + user.password() + "\";");
        p.put("ssl.keystore.location", LocalTls.keyStore(cfg).toString());
        p.put("ssl.keystore.password", password);
        p.put("ssl.key.password", password);
        p.put("ssl.keystore.type", LocalTls.STORE_TYPE);
        p.put("ssl.truststore.location", LocalTls.trustStore(cfg).toString());
        p.put("ssl.truststore.password", password);
        p.put("ssl.truststore.type", LocalTls.STORE_TYPE);
        p.put("ssl.client.auth", "none");
        return p;
    }

    static String serverPropertiesText(StackConfig cfg) {
        StringBuilder sb = new StringBuilder("# Generated by io.gamecrm.local.KafkaNode at every start; edits are lost.\n");
        serverProperties(cfg).forEach((k, v) -> sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return sb.toString();
    }

    /**
     * Log4j 2 configuration: INFO to {@code logFile} (rolled at 20 MB, two old files kept), chatty loggers at
     * WARN, no console.
     */
    static String log4j2Xml(Path logFile) {
        String file = xml(logFile.toString());
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!-- Generated by io.gamecrm.local.KafkaNode at every start; edits are lost. -->\n"
                // no log4j shutdown hook: it would close the file while the broker still logs its shutdown
                + "<Configuration status=\"WARN\" shutdownHook=\"disable\">\n"
                + "  <Appenders>\n"
                + "    <RollingFile name=\"file\" fileName=\"" + file + "\" filePattern=\"" + file + ".%i\">\n"
                + "      <PatternLayout pattern=\"[%d{ISO8601}] %-5p %m (%c)%n\"/>\n"
                + "      <Policies><SizeBasedTriggeringPolicy size=\"20 MB\"/></Policies>\n"
                + "      <DefaultRolloverStrategy max=\"2\"/>\n"
                + "    </RollingFile>\n"
                + "  </Appenders>\n"
                + "  <Loggers>\n"
                + "    <Root level=\"INFO\"><AppenderRef ref=\"file\"/></Root>\n"
                + "    <Logger name=\"org.apache.kafka.common.config\" level=\"WARN\"/>\n"
                + "    <Logger name=\"org.apache.kafka.common.utils.AppInfoParser\" level=\"WARN\"/>\n"
                + "    <Logger name=\"org.apache.kafka.storage.internals\" level=\"WARN\"/>\n"
                + "    <Logger name=\"kafka.request.logger\" level=\"WARN\"/>\n"
                + "    <Logger name=\"state.change.logger\" level=\"WARN\"/>\n"
                + "    <Logger name=\"kafka.log.LogCleaner\" level=\"WARN\"/>\n"
                + "  </Loggers>\n"
                + "</Configuration>\n";
    }

    /** JVM options of the broker (and of the storage format tool). */
    static List<String> jvmOptions(StackConfig cfg, Path log4j2Xml, boolean slf4jBridge) {
        List<String> o = new ArrayList<>(List.of(
                "-Xms" + cfg.heaps().kafkaMin(), "-Xmx" + cfg.heaps().kafkaMax(),
                "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4j2Xml.toUri()));
        if (slf4jBridge) {
            o.add("-Dslf4j.provider=" + LegacySlf4jBindingProvider.class.getName());
        }
        return o;
    }

    /** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (22 characters). */
    static String newClusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16);
            bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) { // Kafka avoids ids that look like command-line options
                return id;
            }
        }
    }

    boolean isFormatted() {
        return Files.isRegularFile(dataDir().resolve("meta.properties"));
    }

    @Override
    protected BooleanSupplier prepare(ChildJvm.Spec.Builder spec, Path bootstrapDir, StackListener listener)
            throws IOException {
        ServerClasspath classpath = ServerClasspath.of(Server.KAFKA);
        Path properties = confDir().resolve("server.properties");
        Path log4j2 = confDir().resolve("log4j2.xml");
        if (cfg.security().kafkaSecured()) {
            LocalTls.ensure(cfg, listener);
        }
        writeIfChanged(properties, serverPropertiesText(cfg));
        writeIfChanged(log4j2, log4j2Xml(logFile()));
        Files.createDirectories(dataDir());
        List<String> options = jvmOptions(cfg, log4j2, classpath.needsLegacySlf4jBridge());
        if (!isFormatted()) {
            format(classpath, options, properties, bootstrapDir, listener);
        }
        LogScanner started = LogScanner.fromEnd(logFile(), READY_MARKER);
        spec.java(JavaRuntimes.current())
                .jvmOptions(options)
                .classpath(classpath.jars())
                .args(List.of(properties.toString()))
                .argFile(confDir().resolve("jvm.args"))
                .workDir(cfg.kafkaDir());
        return () -> NetProbes.isPortOpen(StackConfig.HOST, cfg.ports().kafka()) && started.found();
    }

    private void format(ServerClasspath classpath, List<String> options, Path properties, Path bootstrapDir,
                        StackListener listener) throws IOException {
        String clusterId = newClusterId();
        listener.onProgress("formatting Kafka storage in " + dataDir() + " (cluster id " + clusterId + ")");
        ChildJvm tool = ChildJvm.start(ChildJvm.Spec.builder("Kafka storage format", "kafka.tools.StorageTool")
                .java(JavaRuntimes.current())
                .jvmOptions(options)
                .bootstrapDir(bootstrapDir)
                .classpath(classpath.jars())
                .args(List.of("format", "-t", clusterId, "-c", properties.toString()))
                .outFile(outFile())
                .diagnosticLogs(List.of(logFile()))
                .argFile(confDir().resolve("format-jvm.args"))
                .workDir(cfg.kafkaDir())
                .build());
        int exit = tool.awaitExit(FORMAT_TIMEOUT);
        if (exit != 0 || !isFormatted()) {
            throw new LocalStackException("formatting the Kafka storage in " + dataDir() + " failed (exit code "
                    + exit + "); see " + tool.describeLogs());
        }
    }
}
