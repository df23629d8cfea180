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
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Submits Flux topologies to a {@link StormCluster} as {@code storm jar <jar> org.apache.storm.flux.Flux --remote
 * <yaml> --filter <properties>} does, in a client JVM ({@link ChildJvm}, like the daemons) whose output goes to
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
    private final StormBootstrap bootstrap;
    private final StackListener listener;
    private final TopologyWatcher topologies;

    FluxSubmitter(StormClusterConfig cfg, StormHome home, StormBootstrap bootstrap, StackListener listener,
                  TopologyWatcher topologies) {
        this.cfg = cfg;
        this.home = home;
        this.bootstrap = bootstrap;
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
     *                             finish within {@link StormClusterConfig.Timeouts#submit()}
     */
    String submit(Path topologyJar, Path fluxYaml, Path propertiesFile) {
        Path jar = requireFile(topologyJar, "topology jar");
        Path yaml = requireFile(fluxYaml, "Flux file");
        Path properties = propertiesFile == null ? null : requireFile(propertiesFile, "properties file");
        Set<String> before = topologies.topologyNames();
        String stem = yaml.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path out = home.logDir().resolve("submit-" + stem + "-" + LocalDateTime.now().format(FILE_TIME) + ".out");
        long t0 = System.nanoTime();
        listener.onProgress("submitting " + yaml.getFileName() + " with " + jar.getFileName() + " (output: " + out + ")");
        String output = run(submitter(bootstrap, home, jar, yaml, properties, out), out);
        Matcher m = FLUX_TOPOLOGY_NAME.matcher(output);
        String name;
        if (m.find()) {
            name = m.group(1);
        } else {
            Set<String> added = new HashSet<>(topologies.topologyNames());
            added.removeAll(before);
            if (added.size() != 1) {
                throw new LocalStackException("submitted " + yaml + " but cannot tell the topology's name (new topologies: "
                        + added + "); submitter output (" + out + "):\n" + lastLines(out));
            }
            name = added.iterator().next();
        }
        String id = topologies.topologyId(name).orElseThrow(() -> new LocalStackException("the submitter of " + yaml
                + " succeeded but Nimbus has no topology named " + name + "; output (" + out + "):\n"
                + lastLines(out)));
        listener.onProgress(String.format(Locale.ROOT, "submitted topology %s (%s) in %.1f s", name, id, seconds(t0)));
        return name;
    }

    /**
     * The submitter's command line as the storm script's {@code storm jar} for Flux has it. {@link #submitter} runs
     * the same options, classpath, main class and arguments (through {@link ChildJvm}, so with its bootstrap entry
     * first on the classpath and {@code ParentWatch} before the main class).
     */
    static List<String> submitCommand(StormClusterConfig cfg, StormHome home, Path jar, Path yaml, Path properties) {
        List<String> cmd = new ArrayList<>();
        cmd.add(cfg.javaExecutable().toString());
        cmd.addAll(clientOptions(home));
        cmd.add("-cp");
        cmd.add(home.submitClasspath(jar).stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        cmd.addAll(jarOptions(jar));
        cmd.add(FLUX_MAIN);
        cmd.addAll(fluxArgs(yaml, properties));
        return cmd;
    }

    /**
     * The submitting JVM: on the cluster's JDK (the bootstrap's java script sets {@code JAVA_HOME} as the storm
     * script does), in the Storm home, its output appended to {@code out}.
     */
    static ChildJvm.Spec submitter(StormBootstrap bootstrap, StormHome home, Path jar, Path yaml, Path properties,
                                   Path out) {
        List<String> options = new ArrayList<>(clientOptions(home));
        options.addAll(jarOptions(jar));
        return ChildJvm.Spec.builder("the topology submitter", FLUX_MAIN)
                .java(bootstrap.javaScript())
                .jvmOptions(options)
                .bootstrapDir(bootstrap.classesDir())
                .classpath(home.submitClasspath(jar))
                .args(fluxArgs(yaml, properties))
                .outFile(out)
                .workDir(home.dir())
                .build();
    }

    /** What the storm script passes every client command ({@code storm jar} included). */
    private static List<String> clientOptions(StormHome home) {
        return List.of("-client",
                "-Ddaemon.name=",
                "-Dstorm.options=",
                "-Dstorm.home=" + home.dir(),
                "-Dstorm.log.dir=" + home.logDir(),
                "-Dstorm.conf.file=");
    }

    /** What {@code storm jar} adds: the jar that StormSubmitter uploads to Nimbus, and no dependencies. */
    private static List<String> jarOptions(Path jar) {
        return List.of("-Dstorm.jar=" + jar,
                "-Dstorm.dependency.jars=",
                "-Dstorm.dependency.artifacts={}");
    }

    private static List<String> fluxArgs(Path yaml, Path properties) {
        List<String> args = new ArrayList<>(List.of("--remote", yaml.toString()));
        if (properties != null) {
            args.add("--filter");
            args.add(properties.toString());
        }
        return args;
    }

    /** Runs the submitter to its end and returns its output. */
    private String run(ChildJvm.Spec spec, Path out) {
        ChildJvm jvm;
        try {
            jvm = ChildJvm.start(spec);
        } catch (IOException e) {
            throw new LocalStackException("cannot run the topology submitter: " + e.getMessage(), e);
        }
        // kills it after the timeout, with the end of its output in the message
        int code = jvm.awaitExit(cfg.timeouts().submit());
        if (code != 0) {
            throw new LocalStackException("the topology submitter failed (exit code " + code + "); output (" + out
                    + "):\n" + lastLines(out));
        }
        return read(out);
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

    private static String lastLines(Path out) {
        return String.join(System.lineSeparator(), ChildJvm.tail(out, OUTPUT_LINES));
    }
}
