package io.gamecrm.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository the command runs from: flux/, handlers-js/, schemas/ are found relative to it. */
public final class Repo {
    private Repo() {
    }

    /** The folder named by -Dcrm.home (the ./crm script sets it), else the nearest parent with flux/. */
    public static Path root() {
        String home = System.getProperty("crm.home");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("flux/crm-topology.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run ./crm from the repository (no flux/crm-topology.yaml found)");
        }
        return dir;
    }

    public static Path flux(String file) {
        return root().resolve("flux").resolve(file);
    }

    public static Path handlers() {
        return root().resolve("handlers-js");
    }
}
