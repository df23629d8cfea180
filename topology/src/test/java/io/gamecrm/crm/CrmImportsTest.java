package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Packages depend downward only: the CRM pipeline knows nothing of Storm nor of the bolts above it. */
class CrmImportsTest {

    @Test
    void theCrmPackageImportsNeitherStormNorTheBolts() throws IOException {
        Path dir = RepoPaths.root().resolve("topology/src/main/java/io/gamecrm/crm");
        List<String> upward;
        try (Stream<Path> files = Files.list(dir)) {
            upward = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> lines(f).stream()
                    .filter(l -> l.startsWith("import org.apache.storm.") || l.startsWith("import io.gamecrm.storm."))
                    .map(l -> f.getFileName() + ": " + l)).toList();
        }
        assertThat(upward).isEmpty();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
