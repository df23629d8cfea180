package io.gamecrm.local.storm.cluster;

import static io.gamecrm.local.storm.cluster.Waiting.seconds;

import io.gamecrm.local.ChildJvm;
import io.gamecrm.local.LocalStackException;
import io.gamecrm.local.StackListener;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Submits Flux topologies to a {@link StormCluster} as {@code storm jar <jar> org.apache.storm.flux.Flux --remote
 * <yaml> --filter <properties>} does, in a client JVM whose output goes to
 * {@code <logDir>/submit-<flux file>-<time>.out}.
 */
final class FluxSubmitter {

    static final String FLUX_MAIN = "org.apache.storm.flux.Flux";
    /** Flux prints this (to stdout) before it submits. */
    static final Pattern FLUX_TOPOLOGY_NAME = Pattern.compile("(?m)^Topology Name: (.+?)\\s*$");
    private static final int OUTPUT_LINES = 200;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT);

    private final StormClusterConfig cfg;
    private final StormHome home;
    private final StackListener listener;
    private final TopologyWatcher topologies;

    FluxSubmitter(StormClusterConfig cfg, StormHome home, StackListener listener, TopologyWatcher topologies) {
        this.cfg = cfg;
        this.home = home;
        this.listener = listener;
        this.topologies = topologies;
    }

    /**
     * Submits a Flux topology as {@code storm jar <topologyJar> org.apache.storm.flux.Flux --remote <fluxYaml>
     * --filter <propertiesFile>} does: a client JVM with {@code lib-worker/*}, {@code extlib/*}, the topology jar and
     * {@code conf} on its classpath and {@code -Dstorm.jar=<topologyJar>}, which uploads the jar to Nimbus. The
     * topology jar must contain Flux (flux-core) and the topology's code, but not Storm itself (storm-client is
     * {@code provided}).
     *
     * @param propertiesFile for Flux's {@code --filter} (substitutes {@code ${key}} in the YAML), or null for none
     * @return the topology's name (as the Flux file, after substitution, gives it)
     * @throws LocalStackException if the submitter exits with an error (the message holds its output) or does not
     *                             finish within {@link StormClusterConfig#submitTimeout()}
     */
    String submit(Path topologyJar, Path fluxYaml, Path propertiesFile) {
        Path jar = requireFile(topologyJar, "topology jar");
        Path yaml = requireFile(fluxYaml, "Flux file");
        Path properties = propertiesFile == null ? null : requireFile(propertiesFile, "properties file");
        Set<String> before = topologies.topologyNames();
        List<String> command = submitCommand(cfg, home, jar, yaml, properties);
        String stem = yaml.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path out = home.logDir().resolve("submit-" + stem + "-" + LocalDateTime.now().format(FILE_TIME) + ".out");
        long t0 = System.nanoTime();
        listener.onProgress("submitting " + yaml.getFileName() + " with " + jar.getFileName() + " (output: " + out + ")");
        String output = runSubmitter(command, out);
        Matcher m = FLUX_TOPOLOGY_NAME.matcher(output);
        String name;
        if (m.find()) {
            name = m.group(1);
        } else {
            Set<String> added = new HashSet<>(topologies.topologyNames());
            added.removeAll(before);
            if (added.size() != 1) {
                throw new LocalStackException("submitted " + yaml + " but cannot tell the topology's name (new topologies: "
                        + added + "); submitter output (" + out + "):\n" + lastLines(output, OUTPUT_LINES));
            }
            name = added.iterator().next();
        }
        String id = topologies.topologyId(name).orElseThrow(() -> new LocalStackException("the submitter of " + yaml
                + " succeeded but Nimbus has no topology named " + name + "; output (" + out + "):\n"
                + lastLines(output, OUTPUT_LINES)));
        listener.onProgress(String.format(Locale.ROOT, "submitted topology %s (%s) in %.1f s", name, id, seconds(t0)));
        return name;
    }

    /** The submitter's command line: the storm script's {@code storm jar} for Flux. */
    static List<String> submitCommand(StormClusterConfig cfg, StormHome home, Path jar, Path yaml, Path properties) {
        List<String> cmd = new ArrayList<>(List.of(cfg.javaExecutable().toString(), "-client",
                "-Ddaemon.name=",
                "-Dstorm.options=",
                "-Dstorm.home=" + home.dir(),
                "-Dstorm.log.dir=" + home.logDir(),
                "-Dstorm.conf.file=",
                "-cp", home.submitClasspath(jar).stream().map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator)),
                "-Dstorm.jar=" + jar,
                "-Dstorm.dependency.jars=",
                "-Dstorm.dependency.artifacts={}",
                FLUX_MAIN, "--remote", yaml.toString()));
        if (properties != null) {
            cmd.add("--filter");
            cmd.add(properties.toString());
        }
        return cmd;
    }

    private String runSubmitter(List<String> command, Path out) {
        try {
            Files.writeString(out, "=== " + Instant.now() + " " + String.join(" ", command) + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = ChildJvm.processBuilder(command, home.dir(), out);
            pb.environment().put("JAVA_HOME", cfg.javaHome().toString());
            Process p = pb.start();
            boolean done;
            try {
                done = p.waitFor(cfg.timeouts().submit().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while submitting a topology", e);
            }
            if (!done) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new LocalStackException("the topology submitter (pid " + p.pid() + ") did not finish within "
                        + cfg.timeouts().submit().toSeconds() + " s and was killed; output (" + out + "):\n"
                        + lastLines(read(out), OUTPUT_LINES));
            }
            String output = read(out);
            if (p.exitValue() != 0) {
                throw new LocalStackException("the topology submitter failed (exit code " + p.exitValue()
                        + "); output (" + out + "):\n" + lastLines(output, OUTPUT_LINES));
            }
            return output;
        } catch (IOException e) {
            throw new LocalStackException("cannot run the topology submitter: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while submitting a topology", e);
        }
    }

    private static Path requireFile(Path file, String what) {
        Objects.requireNonNull(file, what);
        Path p = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no " + what + " at " + p);
        }
        return p;
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static String lastLines(String text, int n) {
        List<String> lines = text.lines().collect(Collectors.toList());
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
