package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rebuild check of {@code ./crm} (cli/bin/newer-build-input) on a made-up tree whose file times
 * are set, not waited for: what the tests, the benchmarks, the kill switch and handler edits write
 * never asks for a build; a source, resource, schema or pom does.
 */
class NewerBuildInputTest {
    private static final Instant BUILT = Instant.parse("2026-12-01T10:00:00Z");
    private static final Path SCRIPT = Path.of("bin/newer-build-input").toAbsolutePath();

    @TempDir
    Path root;
    private Path stamp;

    @BeforeEach
    void tree() throws IOException {
        for (String f : new String[] {"pom.xml", "topology/pom.xml", "topology/src/main/java/io/A.java",
            "topology/src/main/resources/io/runtime.js", "topology/src/test/java/io/ATest.java",
            "topology/src/test/resources/corpus.jsonl", "schemas/catalog.json", "handlers-js/control.json",
            "handlers-js/logins.js", "bench/results/e2e-latest.json", "target/local-servers/state.json",
            "topology/target/classes/x.json", ".mvn/stand-in-repo/p.pom", "README.md"}) {
            write(f, BUILT.minusSeconds(60));
        }
        stamp = write("target/crm/installed.stamp", BUILT);
    }

    private Path write(String name, Instant time) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, name);
        Files.setLastModifiedTime(p, FileTime.from(time));
        return p;
    }

    private String newer() throws Exception {
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), root.toString(), stamp.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void nothingNewerMeansNoBuild() throws Exception {
        assertThat(newer()).isEmpty();
    }

    @Test
    void whatTestsBenchmarksTheKillSwitchAndHandlerEditsWriteIsNoBuildInput() throws Exception {
        for (String f : new String[] {"handlers-js/control.json", "handlers-js/logins.js", "bench/results/e2e-latest.json",
            "target/local-servers/state.json", "topology/target/classes/x.json", "topology/src/test/java/io/ATest.java",
            "topology/src/test/resources/corpus.jsonl", "README.md", "target/new.json"}) {
            write(f, BUILT.plusSeconds(60));
        }

        assertThat(newer()).isEmpty();
    }

    @Test
    void aSourceAResourceASchemaOrAPomAsksForABuild() throws Exception {
        for (String f : new String[] {"topology/src/main/java/io/A.java", "topology/src/main/resources/io/runtime.js",
            "schemas/catalog.json", "topology/pom.xml", "pom.xml", ".mvn/stand-in-repo/p.pom",
            "gateway/server/src/main/java/io/New.java"}) {
            tree();
            write(f, BUILT.plusSeconds(60));

            assertThat(newer()).as(f).isEqualTo(root.resolve(f).toString());
        }
    }
}
