package io.gamecrm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimesTest {

    @TempDir
    Path jvms;

    @Test
    void usesTheRunningJvmWhenItIs17() {
        Path current = Path.of("/opt/current-jdk");

        assertThat(JavaRuntimes.find17(Optional.empty(), 17, current, List.of(jvms)))
                .isEqualTo(current.resolve("bin/java"));
    }

    @Test
    void findsAJava17OnTheMachineOtherwise() throws Exception {
        fakeJdk("temurin-25-jdk-amd64", "25");
        Path jdk17 = fakeJdk("java-17-openjdk-amd64", "17.0.15");

        assertThat(JavaRuntimes.find17(Optional.empty(), 25, Path.of("/opt/jdk25"), List.of(jvms)))
                .isEqualTo(jdk17.resolve("bin/java"));
    }

    @Test
    void configuredHomeMustBe17() throws Exception {
        Path jdk25 = fakeJdk("jdk25", "25.0.1");
        Path jdk17 = fakeJdk("jdk17", "17");

        assertThat(JavaRuntimes.find17(Optional.of(jdk17), 25, jdk25, List.of())).isEqualTo(jdk17.resolve("bin/java"));
        assertThatThrownBy(() -> JavaRuntimes.find17(Optional.of(jdk25), 17, jdk25, List.of()))
                .isInstanceOf(LocalStackException.class).hasMessageContaining("is Java 25");
    }

    @Test
    void failsClearlyWithoutJava17() throws Exception {
        fakeJdk("temurin-25-jdk-amd64", "25");

        assertThatThrownBy(() -> JavaRuntimes.find17(Optional.empty(), 25, Path.of("/opt/jdk25"), List.of(jvms)))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("needs Java 17")
                .hasMessageContaining(StackConfig.PROP_JAVA17_HOME)
                .hasMessageContaining(jvms.toString());
    }

    @Test
    void readsTheReleaseFile() throws Exception {
        assertThat(JavaRuntimes.featureVersion(fakeJdk("a", "17.0.15"))).isEqualTo(17);
        assertThat(JavaRuntimes.featureVersion(fakeJdk("b", "1.8.0_402"))).isEqualTo(8);
        assertThat(JavaRuntimes.featureVersion(jvms.resolve("none"))).isEqualTo(-1);
    }

    private Path fakeJdk(String name, String version) throws Exception {
        Path home = Files.createDirectories(jvms.resolve(name));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}
