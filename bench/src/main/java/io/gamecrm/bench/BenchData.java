package io.gamecrm.bench;

import io.gamecrm.cli.traffic.GameTraffic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Where the repository is, and deterministic sample traffic, for the benchmarks. */
public final class BenchData {
    private BenchData() {
    }

    public static Path repo() {
        String home = System.getProperty("crm.home");
        if (home != null) {
            return Path.of(home);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("handlers-js"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from the repository, or set -Dcrm.home");
        }
        return dir;
    }

    /** n valid events of the realistic mix, about 400 bytes each, for 1000 players. */
    public static List<GameTraffic.Event> events(int n) {
        GameTraffic traffic = new GameTraffic(42, 1000, 0);
        Instant t = Instant.parse("2026-11-26T10:00:00Z");
        List<GameTraffic.Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(traffic.next(t.plusMillis(i)));
        }
        return out;
    }
}
