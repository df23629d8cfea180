package io.gamecrm.analytics;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository the tests run in: -Dcrm.repo.dir (failsafe sets it), else the nearest parent with handlers-js/. */
public final class TestRepo {
    private TestRepo() {
    }

    public static Path root() {
        String dir = System.getProperty("crm.repo.dir");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("handlers-js"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no handlers-js/ above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
