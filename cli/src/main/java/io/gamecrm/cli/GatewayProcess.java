package io.gamecrm.cli;

import io.gamecrm.Names;
import io.gamecrm.local.ChildBootstrap;
import io.gamecrm.local.ChildJvm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The ingest gateway (gateway/server) as a child JVM, the way it runs in production: its own
 * process, {@code server gateway/config.yml}, with the Kafka address, raw topic, ports and the
 * game's API key given as Dropwizard overrides ({@code -Ddw.<path>=value}), the Kafka security settings as the
 * environment variables {@code gateway/config.yml} reads ({@link #kafkaEnvironment}). It ends with this JVM
 * (parent watch) and stops on {@link #close()} as on SIGTERM: Jetty drains the requests in flight.
 */
public final class GatewayProcess implements AutoCloseable {
    public static final String MAIN_CLASS = "io.gamecrm.gateway.GatewayApplication";
    /** Where the demo tries to listen first (the admin port is the next one); taken ports fall back to free ones. */
    public static final int PREFERRED_PORT = 18080;
    private static final String HOST = "127.0.0.1";

    private final ChildJvm child;
    private final int port;
    private final int adminPort;
    private final String apiKey;

    /**
     * The Kafka security settings of a client (the keys of {@link Names.Props#KAFKA_SECURITY_KEYS}) as the
     * environment variables {@code gateway/config.yml} reads: {@code security.protocol} as
     * {@code CRM_KAFKA_SECURITY_PROTOCOL}, and so on.
     */
    static Map<String, String> kafkaEnvironment(Properties kafkaClient) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String key : Names.Props.KAFKA_SECURITY_KEYS) {
            String value = kafkaClient.getProperty(key);
            if (value != null && !value.isBlank()) {
                env.put(environmentName(key), value);
            }
        }
        return env;
    }

    static String environmentName(String kafkaKey) {
        return "CRM_KAFKA_" + kafkaKey.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private GatewayProcess(ChildJvm child, int port, int adminPort, String apiKey) {
        this.child = child;
        this.port = port;
        this.adminPort = adminPort;
        this.apiKey = apiKey;
    }

    /**
     * Starts the gateway for {@code game} with a fresh API key and waits until it accepts connections.
     *
     * @param port 0: {@link #PREFERRED_PORT} when free, else any free port
     */
    public static GatewayProcess start(String kafkaBootstrap, String rawTopic, String game, int port, Path logFile,
                                       List<String> jvmOptions) throws IOException {
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", kafkaBootstrap);
        return start(client, rawTopic, game, port, logFile, jvmOptions);
    }

    /**
     * Like {@link #start(String, String, String, int, Path, List)} with a Kafka client's address and security
     * settings ({@link io.gamecrm.access.ClusterAccess#kafkaClient}).
     */
    public static GatewayProcess start(Properties kafkaClient, String rawTopic, String game, int port, Path logFile,
                                       List<String> jvmOptions) throws IOException {
        String kafkaBootstrap = kafkaClient.getProperty("bootstrap.servers");
        Path server = Repo.root().resolve("gateway/server/target");
        Path cpFile = server.resolve("classpath.txt");
        if (!Files.isRegularFile(cpFile) || !Files.isDirectory(server.resolve("classes/io"))) {
            throw new IllegalStateException("the gateway is not built (" + cpFile + "): run mvn -DskipTests install");
        }
        List<Path> classpath = new ArrayList<>();
        classpath.add(server.resolve("classes"));
        for (String entry : Files.readString(cpFile).trim().split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                classpath.add(Path.of(entry));
            }
        }
        int http = port > 0 ? port : freePort(PREFERRED_PORT);
        int admin = port > 0 ? port + 1 : freePort(http + 1);
        String key = "demo-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        List<String> options = new ArrayList<>(List.of("-Xms128m", "-Xmx512m",
                "-Ddw.kafka.bootstrapServers=" + kafkaBootstrap,
                "-Ddw.kafka.topic=" + rawTopic,
                "-Ddw.games." + game + "=" + key,
                "-Ddw.server.applicationConnectors[0].port=" + http,
                "-Ddw.server.adminConnectors[0].port=" + admin));
        options.addAll(jvmOptions);
        Path work = logFile.getParent();
        ChildJvm child = ChildJvm.start(ChildJvm.Spec.builder("gateway", MAIN_CLASS)
                .jvmOptions(options)
                .bootstrapDir(ChildBootstrap.install(work.resolve("gateway-bootstrap")))
                .classpath(classpath)
                .args(List.of("server", Repo.root().resolve("gateway/config.yml").toString()))
                .outFile(logFile)
                .workDir(work)
                .argFile(work.resolve("gateway.jvm.args"))
                .environment(kafkaEnvironment(kafkaClient))
                .build());
        GatewayProcess gw = new GatewayProcess(child, http, admin, key);
        try {
            child.awaitReady(() -> accepts(http), Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            gw.close();
            throw e;
        }
        return gw;
    }

    private static int freePort(int preferred) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(HOST, preferred));
            return preferred;
        } catch (IOException taken) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
                return s.getLocalPort();
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The base URI (POST /v1/events under it). */
    public URI uri() {
        return URI.create("http://" + HOST + ":" + port);
    }

    /** Metrics at /metrics, health at /healthcheck. */
    public URI adminUri() {
        return URI.create("http://" + HOST + ":" + adminPort);
    }

    public String apiKey() {
        return apiKey;
    }

    public long pid() {
        return child.pid();
    }

    @Override
    public void close() {
        child.stop(Duration.ofSeconds(40));
    }
}
