package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamecrm.local.StackConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, stopped the way a user stops it: {@code ./crm demo} runs on real local
 * servers, its traffic posted through the ingest gateway (a child JVM), until Bob gets his offer,
 * then a Ctrl-C (SIGINT to the terminal's whole process group) stops the traffic, the gateway, the
 * topology and then the servers, and no process is left behind.
 */
class DemoCtrlCIT {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    @Test
    void ctrlCStopsTrafficGatewayTopologyAndServersAndLeavesNoProcess(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(SETSID), "needs setsid to give the demo a process group of its own");
        Path out = dir.resolve("demo.out");
        List<String> cmd = new ArrayList<>(List.of(SETSID.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dcrm.home=" + Repo.root(),
                "-Dcrm.log.file=" + dir.resolve("crm.log"),
                "-Dlog4j2.configurationFile=" + Repo.root().resolve("cli/src/main/resources/crm-cli-log4j2.xml"),
                // servers of its own, on ports no other test uses (-Dcrm.it.demo.<port>=... moves them)
                "-D" + StackConfig.PROP_DIR + "=" + dir.resolve("servers"),
                "-D" + StackConfig.PROP_KAFKA_PORT + "=" + Integer.getInteger("crm.it.demo.kafka.port", 39092),
                "-D" + StackConfig.PROP_KAFKA_CONTROLLER_PORT + "="
                        + Integer.getInteger("crm.it.demo.kafka.controller.port", 39093),
                "-D" + StackConfig.PROP_CASSANDRA_PORT + "=" + Integer.getInteger("crm.it.demo.cassandra.port", 39042),
                "-D" + StackConfig.PROP_CASSANDRA_STORAGE_PORT + "="
                        + Integer.getInteger("crm.it.demo.cassandra.storage.port", 37000),
                "-D" + StackConfig.PROP_CASSANDRA_JMX_PORT + "="
                        + Integer.getInteger("crm.it.demo.cassandra.jmx.port", 37199),
                CrmCli.class.getName(), "demo", "--rate", "50", "--story-player", "bob-ctrl-c"));
        // setsid: the demo leads a process group of its own, like a shell job in a terminal
        Process demo = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            awaitOutput(out, s -> s.contains("OFFER battle-tanks-offer -> bob-ctrl-c"), Duration.ofMinutes(4), demo);
            List<ProcessHandle> servers = demo.toHandle().descendants().filter(ProcessHandle::isAlive).toList();
            assertThat(servers).as("Kafka, Cassandra and gateway JVMs").hasSizeGreaterThanOrEqualTo(3);
            assertThat(servers).as("the gateway JVM").anySatisfy(p -> assertThat(p.info().commandLine().orElse(""))
                    .contains(GatewayProcess.MAIN_CLASS));
            assertThat(read(out)).contains("3/5 Gateway").contains("/v1/events");

            // what a terminal does on Ctrl-C: SIGINT to every process of the foreground group
            long group = processGroup(demo.pid());
            assertThat(group).as("the demo leads its own process group").isEqualTo(demo.pid()).isGreaterThan(1);
            Process kill = new ProcessBuilder("kill", "-s", signal(), "--", "-" + group).inheritIO().start();
            assertThat(kill.waitFor()).isZero();

            assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("the demo stops within 90 s of Ctrl-C").isTrue();
            String text = read(out);
            assertThat(text).contains("Stopping: traffic, gateway, topology, servers ...").contains("Stopped.");
            for (ProcessHandle server : servers) {
                server.onExit().get(30, TimeUnit.SECONDS);
                assertThat(server.isAlive()).isFalse();
            }
        } finally {
            demo.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }

    /** The process group of a process, from /proc/<pid>/stat (the field after the state). */
    private static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(afterName[2]);
    }

    /**
     * INT, as a terminal sends; TERM when this JVM was started with SIGINT ignored (a background job
     * of a non-interactive shell), as the demo then inherits that and the JVM does not handle it.
     * Both start the same shutdown.
     */
    private static String signal() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseLong(line.substring(7).trim(), 16);
                return (ignored & (1L << 1)) != 0 ? "TERM" : "INT";
            }
        }
        return "INT";
    }

    private static void awaitOutput(Path out, Predicate<String> ready, Duration timeout, Process demo)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String text = read(out);
            if (ready.test(text)) {
                return;
            }
            if (!demo.isAlive()) {
                throw new AssertionError("the demo ended early:\n" + text);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the demo did not get there within " + timeout + ":\n" + read(out));
    }

    private static String read(Path out) throws IOException {
        return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    }
}
