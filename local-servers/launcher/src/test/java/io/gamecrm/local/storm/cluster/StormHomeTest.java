package io.gamecrm.local.storm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamecrm.local.LocalStackException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Assembling a Storm home in a temporary directory from fake jars. */
class StormHomeTest {

    @TempDir
    Path tmp;

    @Test
    void assemblesTheLayoutOfAStormDistribution() throws IOException {
        Path server = jar("org/apache/storm/storm-server/2.8.3/storm-server-2.8.3.jar");
        Path core = jar("org/apache/storm/storm-core/2.8.3/storm-core-2.8.3.jar");
        Path client = jar("org/apache/storm/storm-client/2.8.3/storm-client-2.8.3.jar");
        Path kryo = jar("com/esotericsoftware/kryo/5.6.2/kryo-5.6.2.jar");

        StormHome home = StormHome.assemble(tmp.resolve("home"), List.of(server, core, client, kryo), List.of(client, kryo),
                "nimbus.thrift.port: 16627\n");

        assertThat(home.dir()).isEqualTo(tmp.resolve("home"));
        assertThat(names(home.libDir())).containsExactlyInAnyOrder("storm-server-2.8.3.jar", "storm-core-2.8.3.jar",
                "storm-client-2.8.3.jar", "kryo-5.6.2.jar");
        assertThat(names(home.libWorkerDir())).containsExactlyInAnyOrder("storm-client-2.8.3.jar", "kryo-5.6.2.jar");
        assertThat(home.libDir().resolve("storm-server-2.8.3.jar")).isSymbolicLink();
        assertThat(Files.readSymbolicLink(home.libDir().resolve("storm-server-2.8.3.jar"))).isEqualTo(server);
        assertThat(Files.readSymbolicLink(home.libWorkerDir().resolve("kryo-5.6.2.jar"))).isEqualTo(kryo);
        assertThat(home.extlibDir()).isEmptyDirectory();
        assertThat(home.extlibDaemonDir()).isEmptyDirectory();
        assertThat(home.logDir()).isDirectory();
        assertThat(home.stormYaml()).isEqualTo(home.dir().resolve("conf/storm.yaml")).hasContent("nimbus.thrift.port: 16627");
        assertThat(home.clusterXml()).isEqualTo(home.dir().resolve("log4j2/cluster.xml")).hasContent(StormConf.clusterXml());
        assertThat(home.workerXml()).isEqualTo(home.dir().resolve("log4j2/worker.xml")).hasContent(StormConf.workerXml());
        assertThat(home.workersArtifactsDir()).isEqualTo(home.dir().resolve("logs/workers-artifacts"));
    }

    @Test
    void classpathsAreThoseOfTheStormScript() {
        StormHome home = StormHome.assemble(tmp.resolve("home"), List.of(jar("a/lib.jar")), List.of(jar("b/worker.jar")), "");
        Path h = home.dir();

        assertThat(home.daemonClasspath()).containsExactly(h.resolve("lib/*"), h.resolve("extlib/*"),
                h.resolve("extlib-daemon/*"), h.resolve("conf"));
        assertThat(home.submitClasspath(Path.of("/jars/../jars/topology.jar"))).containsExactly(h.resolve("lib-worker/*"),
                h.resolve("extlib/*"), Path.of("/jars/topology.jar"), h.resolve("conf"));
    }

    @Test
    void assemblingAgainChangesOnlyWhatDiffers() throws IOException {
        Path a = jar("x/a-1.jar");
        Path b = jar("x/b-1.jar");
        Path home = tmp.resolve("home");
        StormHome first = StormHome.assemble(home, List.of(a, b), List.of(a), "one: 1\n");
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(first.stormYaml(), old);
        Files.setLastModifiedTime(first.workerXml(), old);
        Files.writeString(first.logDir().resolve("nimbus.log"), "kept", StandardCharsets.UTF_8);
        Files.createDirectories(first.extlibDir()); // already there: fine

        StormHome same = StormHome.assemble(home, List.of(a, b), List.of(a), "one: 1\n");

        assertThat(Files.getLastModifiedTime(same.stormYaml())).isEqualTo(old);
        assertThat(Files.getLastModifiedTime(same.workerXml())).isEqualTo(old);
        assertThat(names(same.libDir())).containsExactlyInAnyOrder("a-1.jar", "b-1.jar");

        // b upgraded, a dropped from lib-worker, new storm.yaml
        Path b2 = jar("x/b-2.jar");
        StormHome changed = StormHome.assemble(home, List.of(a, b2), List.of(b2), "one: 2\n");

        assertThat(names(changed.libDir())).containsExactlyInAnyOrder("a-1.jar", "b-2.jar");
        assertThat(names(changed.libWorkerDir())).containsExactly("b-2.jar");
        assertThat(changed.stormYaml()).hasContent("one: 2");
        assertThat(Files.getLastModifiedTime(changed.workerXml())).isEqualTo(old);
        assertThat(changed.logDir().resolve("nimbus.log")).hasContent("kept");
    }

    @Test
    void replacesALinkThatPointsElsewhere() throws IOException {
        Path v1 = jar("repo1/same-1.0.jar");
        Path v1Elsewhere = jar("repo2/same-1.0.jar");
        Path home = tmp.resolve("home");
        StormHome.assemble(home, List.of(v1), List.of(v1), "");

        StormHome again = StormHome.assemble(home, List.of(v1Elsewhere), List.of(v1Elsewhere), "");

        assertThat(Files.readSymbolicLink(again.libDir().resolve("same-1.0.jar"))).isEqualTo(v1Elsewhere);
    }

    @Test
    void refusesTwoJarsWithTheSameFileName() {
        Path one = jar("g1/util-1.0.jar");
        Path two = jar("g2/util-1.0.jar");

        assertThatThrownBy(() -> StormHome.assemble(tmp.resolve("home"), List.of(one, two), List.of(), ""))
                .isInstanceOf(LocalStackException.class).hasMessageContaining("same file name");
    }

    @Test
    void homeOfAConfigIsBelowItsBaseDir() {
        StormClusterConfig cfg = StormClusterConfig.at(tmp);

        assertThat(StormHome.at(cfg).dir()).isEqualTo(tmp.resolve("storm/home"));
        assertThat(StormHome.at(cfg).logDir()).isEqualTo(cfg.logDir());
    }

    @Test
    void embeddedJarListsParse() {
        String sep = java.io.File.pathSeparator;

        assertThat(StormJars.parse("lib", "/m2/a.jar" + sep + "/m2/b.jar\n" + sep + "/m2/c.jar\n"))
                .containsExactly(Path.of("/m2/a.jar"), Path.of("/m2/b.jar"), Path.of("/m2/c.jar"));
        assertThatThrownBy(() -> StormJars.parse("lib", " \n")).isInstanceOf(LocalStackException.class)
                .hasMessageContaining("mvn");
        assertThatThrownBy(() -> StormJars.requirePresent("lib", List.of(tmp.resolve("missing.jar"))))
                .isInstanceOf(LocalStackException.class).hasMessageContaining("1 of 1 jars");
    }

    @Test
    void bootstrapHasTheDaemonClassesAndAJavaScriptSettingJavaHome() throws IOException {
        StormBootstrap b = StormBootstrap.install(tmp.resolve("bootstrap"), Path.of("/opt/jdk's home"));

        assertThat(b.classesDir().resolve("io/gamecrm/local/ParentWatch.class")).isRegularFile();
        assertThat(b.classesDir().resolve("io/gamecrm/local/storm/cluster/WorkerReaper.class")).isRegularFile();
        assertThat(Files.isExecutable(b.javaScript())).isTrue();
        assertThat(b.javaScript()).content().contains("JAVA_HOME='/opt/jdk'\\''s home'\nexport JAVA_HOME\n",
                "exec \"$JAVA_HOME/bin/java\" \"$@\"");
    }

    private Path jar(String relative) {
        try {
            Path p = tmp.resolve("m2").resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "jar " + relative, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }
}
