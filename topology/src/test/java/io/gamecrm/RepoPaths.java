package io.gamecrm;

import java.nio.file.Files;
import java.nio.file.Path;

/** Folders of the repository, for tests that check its data folders (schemas, handlers, flux). */
public final class RepoPaths {
    private RepoPaths() {
    }

    public static Path root() {
        String prop = System.getProperty("crm.repo.dir");
        if (prop != null && Files.isDirectory(Path.of(prop, "schemas"))) {
            return Path.of(prop);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("schemas"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (a folder with schemas/)");
        }
        return dir;
    }

    public static Path schemas() {
        return root().resolve("schemas");
    }

    public static Path handlers() {
        return root().resolve("handlers-js");
    }

    public static Path flux() {
        return root().resolve("flux");
    }
}
