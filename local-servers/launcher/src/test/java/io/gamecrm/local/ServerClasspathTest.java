package io.gamecrm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerClasspathTest {

    @TempDir
    Path tmp;

    @Test
    void embeddedClasspathsListTheServerJars() {
        assertThat(ServerClasspath.of(Server.KAFKA).jars())
                .anyMatch(p -> p.getFileName().toString().startsWith("kafka_2.13-"));
        assertThat(ServerClasspath.of(Server.CASSANDRA).jars())
                .anyMatch(p -> p.getFileName().toString().startsWith("cassandra-all-"));
    }

    @Test
    void embeddedClasspathsBindSlf4jThemselves() {
        // kafka-runtime ships slf4j-api 2 with log4j-slf4j2-impl: the bridge is only for a 1.x binding
        assertThat(ServerClasspath.of(Server.KAFKA).needsLegacySlf4jBridge()).isFalse();
        assertThat(ServerClasspath.of(Server.CASSANDRA).needsLegacySlf4jBridge()).isFalse();
    }

    @Test
    void readsAResource() {
        ServerClasspath cp = ServerClasspath.load("Test", "io/gamecrm/local/test-classpath.txt",
                getClass().getClassLoader());

        assertThat(cp.jars()).containsExactly(Path.of("/repo/a/a-1.jar"), Path.of("/repo/b/b-2.jar"),
                Path.of("/repo/c/c-3.jar"));
    }

    @Test
    void missingResourceSaysToBuild() {
        assertThatThrownBy(() -> ServerClasspath.load("Test", "no/such.txt", getClass().getClassLoader()))
                .isInstanceOf(LocalStackException.class).hasMessageContaining("mvn").hasMessageContaining("install");
    }

    @Test
    void missingJarsAreNamed() throws Exception {
        Path present = Files.createFile(tmp.resolve("present.jar"));
        ServerClasspath cp = ServerClasspath.parse("Kafka", present + ":" + tmp.resolve("gone-1.0.jar") + "\n");

        assertThat(cp.missing()).containsExactly(tmp.resolve("gone-1.0.jar"));
        assertThatThrownBy(cp::requireAllPresent).isInstanceOf(LocalStackException.class)
                .hasMessageContaining("1 of 2 jars of the Kafka runtime are missing")
                .hasMessageContaining("gone-1.0.jar").hasMessageContaining("mvn");
        assertThat(ServerClasspath.parse("Kafka", present.toString()).requireAllPresent().jars())
                .containsExactly(present);
    }

    @Test
    void emptyClasspathIsAnError() {
        assertThatThrownBy(() -> ServerClasspath.parse("Kafka", " \n")).isInstanceOf(LocalStackException.class);
    }

    @Test
    void bridgeDetection() {
        assertThat(ServerClasspath.parse("x", "/r/slf4j-api-2.0.17.jar:/r/log4j-slf4j-impl-2.25.2.jar")
                .needsLegacySlf4jBridge()).isTrue();
        assertThat(ServerClasspath.parse("x", "/r/slf4j-api-2.0.17.jar:/r/log4j-slf4j2-impl-2.25.2.jar")
                .needsLegacySlf4jBridge()).isFalse();
        assertThat(ServerClasspath.parse("x", "/r/slf4j-api-1.7.36.jar:/r/log4j-slf4j-impl-2.25.2.jar")
                .needsLegacySlf4jBridge()).isFalse();
    }
}
