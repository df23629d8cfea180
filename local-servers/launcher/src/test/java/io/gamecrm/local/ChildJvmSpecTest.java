package io.gamecrm.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmSpecTest {

    @TempDir
    Path tmp;

    private ChildJvm.Spec.Builder spec() {
        return ChildJvm.Spec.builder("Kafka", "kafka.Kafka")
                .java(Path.of("/jdk/bin/java"))
                .jvmOptions(List.of("-Xmx512m", "-Dlog.dir=/a dir/logs"))
                .bootstrapDir(Path.of("/base/bootstrap"))
                .classpath(List.of(Path.of("/m2/a.jar"), Path.of("/m2/b.jar")))
                .args(List.of("/base/kafka/conf/server.properties"))
                .outFile(tmp.resolve("kafka.out"))
                .workDir(tmp);
    }

    @Test
    void attachedChildIsWatchedByItsParent() {
        List<String> cmd = spec().parentPid(4242).build().command();

        assertThat(withoutSetsid(cmd)).containsExactly("/jdk/bin/java", "-Xmx512m", "-Dlog.dir=/a dir/logs", "-cp",
                "/base/bootstrap:/m2/a.jar:/m2/b.jar", "io.gamecrm.local.ParentWatch", "4242", "kafka.Kafka",
                "/base/kafka/conf/server.properties");
    }

    @Test
    void attachedChildGetsItsOwnSessionSoACtrlCReachesOnlyTheLauncher() {
        List<String> cmd = spec().parentPid(4242).build().command();

        if (setsidAvailable()) {
            assertThat(cmd.get(0)).endsWith("setsid");
        }
    }

    private static boolean setsidAvailable() {
        return Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"));
    }

    private static List<String> withoutSetsid(List<String> cmd) {
        return cmd.get(0).endsWith("setsid") ? cmd.subList(1, cmd.size()) : cmd;
    }

    @Test
    void detachedChildIsNotWatchedAndGetsItsOwnSession() {
        List<String> cmd = spec().detached().build().command();

        assertThat(cmd).containsSubsequence("/jdk/bin/java", "io.gamecrm.local.ParentWatch", "-", "kafka.Kafka");
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            assertThat(cmd.get(0)).endsWith("setsid");
        }
    }

    @Test
    void argumentFileKeepsTheCommandLineShort() {
        ChildJvm.Spec s = spec().parentPid(1).argFile(Path.of("/base/kafka/conf/jvm.args")).build();

        assertThat(withoutSetsid(s.command())).containsExactly("/jdk/bin/java", "@/base/kafka/conf/jvm.args",
                "io.gamecrm.local.ParentWatch", "1", "kafka.Kafka", "/base/kafka/conf/server.properties");
        assertThat(s.argFileText()).isEqualTo("-Xmx512m\n\"-Dlog.dir=/a dir/logs\"\n-cp\n"
                + "/base/bootstrap:/m2/a.jar:/m2/b.jar\n");
    }

    @Test
    void tailReturnsTheLastLines() throws Exception {
        Path f = Files.writeString(tmp.resolve("x.log"), "1\n2\n3\n4\n");

        assertThat(ChildJvm.tail(f, 2)).containsExactly("3", "4");
        assertThat(ChildJvm.tail(f, 10)).containsExactly("1", "2", "3", "4");
        assertThat(ChildJvm.tail(tmp.resolve("none"), 2)).isEmpty();
    }
}
