package io.gamecrm.bench;

import io.gamecrm.cli.LocalSetup;
import io.gamecrm.cli.Terminal;
import io.gamecrm.json.Json;
import io.gamecrm.local.LocalStack;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crm bench e2e|jmh|gateway}: the benchmarks (./crm dispatches "bench" here). */
@Command(name = "crm bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.E2e.class, BenchCommand.Jmh.class, BenchCommand.Gateway.class})
public final class BenchCommand {
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Command(name = "e2e", mixinStandardHelpOptions = true,
            description = {"End to end on the local servers: the full pipeline and its passthrough ceiling (same spout, "
                    + "topics, partitions and acking; nothing else). For each: the maximum sustained throughput (a backlog "
                    + "drained), then latency event -> output at fixed fractions of it.",
                    "Writes bench/results/e2e-latest.json and e2e-latest.svg."})
    static final class E2e implements Callable<Integer> {
        @Option(names = "--backlog", defaultValue = "400000", description = "Events preloaded for the capacity (default: ${DEFAULT-VALUE}).")
        int backlog;

        @Option(names = "--rates", split = ",", defaultValue = "0.25,0.5,0.75",
                description = "Fixed rates as fractions of each topology's capacity (default: ${DEFAULT-VALUE}).")
        List<Double> rates;

        @Option(names = "--rate-seconds", defaultValue = "30", description = "Seconds per fixed rate (default: ${DEFAULT-VALUE}).")
        int rateSeconds;

        @Option(names = "--players", defaultValue = "100000", description = "Players (default: ${DEFAULT-VALUE}).")
        int players;

        @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the raw and output topics (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--only", description = "Run only 'full' or 'passthrough'.")
        String only;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a Flux property (repeatable).")
        Map<String, String> overrides = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            if (backlog < 10_000 || rateSeconds < 5 || players < 1 || partitions < 1
                    || rates.stream().anyMatch(r -> r <= 0 || r > 1.5)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--backlog >= 10000, --rate-seconds >= 5, --players >= 1, --partitions >= 1, rates within (0, 1.5]");
            }
            Terminal t = Terminal.system();
            Path repo = BenchData.repo();
            Instant started = Instant.now();
            List<EndToEnd.Result> results = new ArrayList<>();
            try (LocalStack stack = LocalSetup.servers(msg -> t.line("  " + msg))) {
                EndToEnd e2e = new EndToEnd(stack, repo, t::line);
                EndToEnd.Plan plan = new EndToEnd.Plan(backlog, rates, Duration.ofSeconds(rateSeconds), players, partitions,
                        overrides);
                if (only == null || only.equals("passthrough")) {
                    results.add(e2e.measure("passthrough", repo.resolve("bench/flux/passthrough.yaml"), plan));
                }
                if (only == null || only.equals("full")) {
                    results.add(e2e.measure("full", repo.resolve("flux/crm-topology.yaml"), plan));
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("benchmark", "end-to-end, local servers (Kafka, Cassandra, Storm LocalCluster) on one machine");
            out.put("started_at", started.toString());
            out.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "memory_gb",
                    Math.round(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                            .getTotalMemorySize() / 1e9), "java", System.getProperty("java.version")));
            out.put("command", "./crm bench e2e --backlog " + backlog + " --rates " + String.join(",",
                    rates.stream().map(String::valueOf).toList()) + " --rate-seconds " + rateSeconds + " --players " + players
                    + " --partitions " + partitions + overrides.entrySet().stream().map(e -> " --set " + e.getKey() + "="
                    + e.getValue()).reduce("", String::concat));
            List<Map<String, Object>> rs = new ArrayList<>();
            results.forEach(r -> rs.add(EndToEnd.toMap(r)));
            out.put("results", rs);
            String subtitle = "";
            if (results.size() == 2) {
                double ratio = results.get(1).capacityPerSec() / results.get(0).capacityPerSec();
                out.put("full_over_ceiling", Math.round(ratio * 1000) / 1000.0);
                subtitle = String.format("full pipeline at %.0f%% of the passthrough ceiling; %d cores", ratio * 100,
                        Runtime.getRuntime().availableProcessors());
            }
            Path dir = repo.resolve("bench/results");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("e2e-latest.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
            Files.writeString(dir.resolve("e2e-latest.svg"), Chart.svg("Throughput and latency, end to end", subtitle, results));
            t.line("results: " + dir.resolve("e2e-latest.json") + " and e2e-latest.svg");
            for (EndToEnd.Result r : results) {
                t.line(String.format("%-12s capacity %,8.0f events/s   CPU cores used meanwhile: %s", r.topology(),
                        r.capacityPerSec(), r.cpuCores()));
                for (EndToEnd.RateResult x : r.rates()) {
                    t.line(String.format("   at %,8.0f/s: p50 %6.1f ms  p99 %6.1f ms  p99.9 %6.1f ms  (%,d samples, lag %,d)",
                            x.offeredPerSec(), x.p50Ms(), x.p99Ms(), x.p999Ms(), x.samples(), x.lagAfter()));
                    for (LatencyStages.Stage st : x.stages()) {
                        t.line(String.format("        %-26s p50 %6.1f ms  p99 %6.1f ms", st.name(), st.p50Ms(), st.p99Ms()));
                    }
                }
            }
            if (out.containsKey("full_over_ceiling")) {
                t.line("full / ceiling = " + out.get("full_over_ceiling"));
            }
            return 0;
        }
    }

    @Command(name = "gateway", mixinStandardHelpOptions = true,
            description = {"The ingest gateway (its own JVM) against a plain Kafka producer with the gateway's producer "
                    + "settings, on the local Kafka: capacity (events/s) of the producer, of batched and of single-event "
                    + "requests; then latency percentiles at fixed rates for each.",
                    "Writes bench/results/gateway-latest.json."})
    static final class Gateway implements Callable<Integer> {
        @Option(names = "--events", defaultValue = "200000", description = "Events per capacity run (default: ${DEFAULT-VALUE}).")
        int events;

        @Option(names = "--batch-size", defaultValue = "200", description = "Events per batched request (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--concurrency", defaultValue = "4",
                description = "Batched requests at a time in the capacity run (default: ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--single-concurrency", defaultValue = "32",
                description = "Single-event requests at a time in the capacity run (default: ${DEFAULT-VALUE}).")
        int singleConcurrency;

        @Option(names = "--single-rates", split = ",", defaultValue = "500,1000,2000",
                description = "Fixed rates of single-event requests, per second (default: ${DEFAULT-VALUE}).")
        List<Integer> singleRates;

        @Option(names = "--batch-rates", split = ",", defaultValue = "10000,20000",
                description = "Fixed rates of batched events, per second (default: ${DEFAULT-VALUE}).")
        List<Integer> batchRates;

        @Option(names = "--rate-seconds", defaultValue = "20", description = "Seconds per fixed rate (default: ${DEFAULT-VALUE}).")
        int rateSeconds;

        @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the topic (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--warm-up-seconds", defaultValue = "120",
                description = "Gateway warm-up before anything is recorded (default: ${DEFAULT-VALUE}).")
        int warmUpSeconds;

        @Override
        public Integer call() throws Exception {
            if (events < 1000 || batchSize < 1 || batchSize > 500 || concurrency < 1 || singleConcurrency < 1
                    || rateSeconds < 2 || partitions < 1 || singleRates.stream().anyMatch(r -> r < 1)
                    || batchRates.stream().anyMatch(r -> r < batchSize)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--events >= 1000, --batch-size 1..500, "
                        + "concurrencies >= 1, --rate-seconds >= 2, --partitions >= 1, rates positive (batch rates >= batch size)");
            }
            Terminal t = Terminal.system();
            Path repo = BenchData.repo();
            Instant started = Instant.now();
            String load = loadAverage();
            GatewayBench.Result result;
            try (LocalStack stack = LocalStack.ensureRunning(io.gamecrm.local.StackConfig.fromSystemProperties(),
                    java.util.EnumSet.of(io.gamecrm.local.Server.KAFKA), false, msg -> t.line("  " + msg))) {
                result = new GatewayBench(stack, t::line).run(new GatewayBench.Plan(events, batchSize, concurrency,
                        singleConcurrency, Duration.ofSeconds(15), singleRates, batchRates, Duration.ofSeconds(rateSeconds),
                        partitions, Duration.ofSeconds(warmUpSeconds)), repo.resolve("target/crm"));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("benchmark", "ingest gateway (own JVM) against a plain producer with its settings, local Kafka, one machine");
            out.put("started_at", started.toString());
            out.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "memory_gb",
                    Math.round(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                            .getTotalMemorySize() / 1e9), "java", System.getProperty("java.version"),
                    "load_average_at_start", load, "load_average_at_end", loadAverage()));
            out.put("command", "./crm bench gateway --events " + events + " --batch-size " + batchSize + " --concurrency "
                    + concurrency + " --single-concurrency " + singleConcurrency + " --single-rates "
                    + join(singleRates) + " --batch-rates " + join(batchRates) + " --rate-seconds " + rateSeconds
                    + " --partitions " + partitions + " --warm-up-seconds " + warmUpSeconds);
            out.put("capacity", result.capacity());
            out.put("latency", result.latency());
            double producer = result.capacity().get(0).eventsPerSec();
            double batched = result.capacity().get(1).eventsPerSec();
            out.put("batched_over_producer", Math.round(batched / producer * 1000) / 1000.0);
            Path dir = repo.resolve("bench/results");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("gateway-latest.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
            t.line(String.format("batched gateway / producer = %.3f (target >= 0.5)", batched / producer));
            result.latency().stream().filter(l -> l.mode().equals("gateway-single") && l.offeredEventsPerSec() == 1000)
                    .forEach(l -> t.line(String.format("single-event p99 at 1,000 requests/s = %.2f ms (target <= 10 ms)",
                            l.p99Ms())));
            t.line("results: " + dir.resolve("gateway-latest.json"));
            return 0;
        }

        private static String join(List<Integer> xs) {
            return String.join(",", xs.stream().map(String::valueOf).toList());
        }

        private static String loadAverage() {
            try {
                return Files.readString(Path.of("/proc/loadavg")).trim();
            } catch (java.io.IOException e) {
                return "unknown";
            }
        }
    }

    @Command(name = "jmh", mixinStandardHelpOptions = true,
            description = "JMH benchmarks of the per-event core without I/O (ns per event), and of dispatch with 10, 100 "
                    + "and 1,000 handlers loaded. Extra arguments go to JMH (e.g. -wi 5 -i 10).")
    static final class Jmh implements Callable<Integer> {
        // everything after "jmh" goes to JMH as is: benchmark patterns and JMH's own options (-wi, -p ...)
        @CommandLine.Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<String> a = new ArrayList<>(args);
            Path dir = BenchData.repo().resolve("bench/results");
            Files.createDirectories(dir);
            if (a.stream().noneMatch(x -> x.equals("-rff"))) {
                a.addAll(List.of("-rf", "json", "-rff", dir.resolve("jmh-latest.json").toString()));
            }
            org.openjdk.jmh.Main.main(a.toArray(new String[0]));
            return 0;
        }
    }
}
