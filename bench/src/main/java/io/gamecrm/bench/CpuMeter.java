package io.gamecrm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the machine's CPU went over an interval: cores used by each named process (from the
 * processes' total CPU time) and by the whole machine (from /proc/stat, Linux only). It names the
 * bottleneck of a run: on a 2-core machine with every server local, the processes share the cores.
 */
final class CpuMeter {
    private final Map<String, Long> pids;
    private final Map<String, Duration> startCpu = new LinkedHashMap<>();
    private long startNanos;
    private long[] startMachine;

    CpuMeter(Map<String, Long> pids) {
        this.pids = pids;
    }

    void start() {
        startNanos = System.nanoTime();
        pids.forEach((name, pid) -> startCpu.put(name, cpu(pid)));
        startMachine = machine();
    }

    /** Cores used per process since start(), and "machine" (all processes, 0..cores). */
    Map<String, Double> stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            Duration used = cpu(pid).minus(startCpu.get(name));
            cores.put(name, round(used.toNanos() / 1e9 / seconds));
        });
        long[] end = machine();
        if (startMachine != null && end != null) {
            long total = end[0] - startMachine[0];
            long idle = end[1] - startMachine[1];
            if (total > 0) {
                cores.put("machine", round(Runtime.getRuntime().availableProcessors() * (total - idle) / (double) total));
            }
        }
        return cores;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    /** {total jiffies, idle + iowait jiffies} of the machine, or null where /proc/stat is missing. */
    static long[] machine() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            return parseProcStat(first);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static long[] parseProcStat(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        }
        long total = 0;
        for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }
}
