package io.gamecrm.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * One server of the stack: its generated configuration, how to launch it as a {@link ChildJvm} and how to
 * tell that it is ready. An instance serves one launch.
 */
abstract class ServerNode {

    protected final StackConfig cfg;
    protected final Server server;
    private volatile BooleanSupplier readiness;

    protected ServerNode(StackConfig cfg, Server server) {
        this.cfg = cfg;
        this.server = server;
    }

    static ServerNode of(Server server, StackConfig cfg) {
        return server == Server.KAFKA ? new KafkaNode(cfg) : new CassandraNode(cfg);
    }

    Server server() {
        return server;
    }

    int port() {
        return cfg.clientPort(server);
    }

    String address() {
        return StackConfig.HOST + ":" + port();
    }

    /** Every port the server listens on, by role (client port first); all must be free before a start. */
    abstract Map<String, Integer> ports();

    /** The server's own log file, e.g. {@code <base>/logs/kafka.log}. */
    Path logFile() {
        return cfg.logDir().resolve(server.key() + ".log");
    }

    /** The child's stdout and stderr, e.g. {@code <base>/logs/kafka.out}. */
    Path outFile() {
        return cfg.logDir().resolve(server.key() + ".out");
    }

    /**
     * Writes the configuration, prepares the data directories and starts the child JVM without waiting.
     *
     * @param parentPid the process whose death stops the server; empty for a detached server
     */
    final ChildJvm launch(OptionalLong parentPid, Path bootstrapDir, StackListener listener) throws IOException {
        ChildJvm.Spec.Builder spec = ChildJvm.Spec.builder(server.displayName(), server.mainClass())
                .bootstrapDir(bootstrapDir)
                .outFile(outFile())
                .diagnosticLogs(List.of(logFile()));
        parentPid.ifPresentOrElse(spec::parentPid, spec::detached);
        readiness = prepare(spec, bootstrapDir, listener);
        return ChildJvm.start(spec.build());
    }

    /**
     * Writes configuration and data directories, completes {@code spec} (java, classpath, options, args,
     * work dir) and returns the readiness check for the process about to start.
     */
    protected abstract BooleanSupplier prepare(ChildJvm.Spec.Builder spec, Path bootstrapDir, StackListener listener)
            throws IOException;

    /** Waits until the launched server is ready; returns the time waited. */
    Duration awaitReady(ChildJvm child) {
        return child.awaitReady(readiness, cfg.startupTimeout(server));
    }

    /** A protocol-level check that the client port is served by this kind of server. */
    boolean isServing() {
        return NetProbes.isServing(server, StackConfig.HOST, port());
    }

    /** Writes a text file atomically when its content changed. */
    static void writeIfChanged(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
                return;
            }
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Escapes text for an XML attribute or element. */
    static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
