package io.gamecrm.cli;

import io.gamecrm.Names;
import io.gamecrm.crm.HandlerSwap;
import io.gamecrm.feed.DirectorySnapshot;
import io.gamecrm.feed.FeedState;
import io.gamecrm.feed.HandlerRecords;
import io.gamecrm.feed.HandlerTopics;
import io.gamecrm.json.Json;
import io.gamecrm.maintenance.SharedProducers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code crm campaign pause|resume|list}: the kill switch. Pausing writes the campaign into the
 * handlers folder's control.json (reviewable like code), which the watcher publishes to every task
 * within a second; the command then reads the handlers topic the tasks follow and succeeds only when
 * the pause is there. A folder that no running watcher publishes (the topology watches another one,
 * or is not running) is an error, not a silent success. Resuming removes it there and lifts a budget
 * pause on the handlers topic.
 */
@Command(name = "campaign", mixinStandardHelpOptions = true, description = "Pause, resume or list campaigns.",
        subcommands = {CampaignCommand.Pause.class, CampaignCommand.Resume.class, CampaignCommand.ListPaused.class})
public final class CampaignCommand {
    static Path controlFile(Path dir) {
        return (dir != null ? dir : Repo.handlers()).resolve(DirectorySnapshot.CONTROL_FILE);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readControl(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return new LinkedHashMap<>(Map.of("paused", new LinkedHashMap<>()));
        }
        Map<String, Object> m = new LinkedHashMap<>(Json.readObject(Files.readString(file)));
        HandlerRecords.parseControlFile(Files.readString(file)); // fail on a broken file before changing it
        m.put("paused", new LinkedHashMap<>((Map<String, Object>) m.getOrDefault("paused", Map.of())));
        return m;
    }

    static void writeControl(Path file, Map<String, Object> control) throws java.io.IOException {
        Path tmp = file.resolveSibling(".control.json.tmp");
        Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(control) + "\n",
                StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause a campaign without deleting its code (kill switch): its offers are suppressed.")
    static final class Pause implements Callable<Integer> {
        @Parameters(paramLabel = "CAMPAIGN")
        String campaign;

        @Option(names = "--reason", required = true, description = "Why (kept in control.json and the audit trail).")
        String reason;

        @Option(names = "--dir", paramLabel = "DIR", description = "Handlers folder (default: handlers-js/).")
        Path dir;

        @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
                description = "How long to wait for the pause to appear on the handlers topic the tasks follow"
                        + " (default: ${DEFAULT-VALUE}; 0s: do not check).")
        Duration wait;

        @Mixin
        Endpoints endpoints;

        @Override
        @SuppressWarnings("unchecked")
        public Integer call() throws Exception {
            long started = System.currentTimeMillis();
            Path file = controlFile(dir);
            Map<String, Object> control = readControl(file);
            ((Map<String, Object>) control.get("paused")).put(campaign, reason);
            writeControl(file, control);
            System.out.println("paused " + campaign + " in " + file);
            if (wait.isZero()) {
                return 0;
            }
            String topic = endpoints.get(Names.Props.TOPIC_HANDLERS);
            Published published = awaitPublished(campaign, reason, wait, System::nanoTime,
                    () -> HandlerTopics.readToEnd(endpoints.kafkaClient(), topic, Duration.ofSeconds(10)));
            if (published.seen()) {
                System.out.println("published on " + topic + " (control " + published.version()
                        + "); every CRM task following the topic suppresses its offers within about a second");
                List<String> tasks = tasksThatTook(readMaintenance(endpoints.kafkaClient(),
                        endpoints.get(Names.Props.TOPIC_MAINTENANCE), started, Duration.ofSeconds(5)), campaign, reason);
                System.out.println(tasks.isEmpty() ? "no CRM task has reported it yet on "
                        + endpoints.get(Names.Props.TOPIC_MAINTENANCE) + " (campaign.control); `crm campaign list` shows the"
                        + " control in effect" : "taken by " + tasks.size() + " CRM task(s): " + String.join(", ", tasks));
                return 0;
            }
            System.err.println("NOT in effect: nothing on " + topic + " shows the pause after " + wait.toSeconds()
                    + " s, so no running watcher publishes " + file.getParent() + ". Point --dir at the folder the"
                    + " topology watches (" + Names.Props.HANDLERS_DIR + "), or start the topology.");
            return 2;
        }
    }

    /**
     * The tasks (component#task) whose {@code campaign.control} report, among the maintenance events
     * given, has the campaign paused with this reason; sorted, each once.
     */
    @SuppressWarnings("unchecked")
    static List<String> tasksThatTook(List<Map<String, Object>> events, String campaign, String reason) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (Map<String, Object> e : events) {
            if (HandlerSwap.CONTROL_REPORT.equals(e.get("type")) && e.get("details") instanceof Map<?, ?> d
                    && d.get("paused") instanceof Map<?, ?> paused && reason.equals(paused.get(campaign))) {
                out.add(e.get("component") + "#" + e.get("task"));
            }
        }
        return List.copyOf(out);
    }

    /** The maintenance events from {@code sinceMs} on, read for {@code wait}. */
    static List<Map<String, Object>> readMaintenance(Properties client, String topic, long sinceMs, Duration wait) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(client, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            Map<TopicPartition, Long> times = new HashMap<>();
            parts.forEach(p -> times.put(p, sinceMs));
            consumer.offsetsForTimes(times).forEach((p, o) -> {
                if (o == null) {
                    consumer.seekToEnd(List.of(p));
                } else {
                    consumer.seek(p, o.offset());
                }
            });
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        out.add(Json.readObject(r.value()));
                    } catch (IllegalArgumentException notAnEvent) {
                        // not ours to judge: skipped
                    }
                }
            }
        }
        return out;
    }

    /** Whether the handlers topic showed the pause, and the control version that did. */
    record Published(boolean seen, String version) {
    }

    /**
     * Reads the handlers topic until its control pauses the campaign with this reason, or the wait
     * has passed (on the given clock, in nanoseconds).
     */
    static Published awaitPublished(String campaign, String reason, Duration wait, java.util.function.LongSupplier nanos,
                                    java.util.function.Supplier<FeedState> read) throws InterruptedException {
        long deadline = nanos.getAsLong() + wait.toNanos();
        while (true) {
            FeedState state = read.get();
            if (reason.equals(state.paused().get(campaign))) {
                return new Published(true, state.controlVersion());
            }
            if (nanos.getAsLong() - deadline >= 0) {
                return new Published(false, null);
            }
            Thread.sleep(500);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a campaign paused by the kill switch or by its budget.")
    static final class Resume implements Callable<Integer> {
        @Parameters(paramLabel = "CAMPAIGN")
        String campaign;

        @Option(names = "--dir", paramLabel = "DIR", description = "Handlers folder (default: handlers-js/).")
        Path dir;

        @Mixin
        Endpoints endpoints;

        @Override
        @SuppressWarnings("unchecked")
        public Integer call() throws Exception {
            Path file = controlFile(dir);
            Map<String, Object> control = readControl(file);
            if (((Map<String, Object>) control.get("paused")).remove(campaign) != null) {
                writeControl(file, control);
                System.out.println("removed " + campaign + " from the kill switch in " + file);
            }
            String topic = endpoints.get(Names.Props.TOPIC_HANDLERS);
            try (SharedProducers.Lease producer = SharedProducers.acquire(endpoints.kafkaClient())) {
                producer.producer().send(new ProducerRecord<>(topic, 0, HandlerRecords.BUDGET_PREFIX + campaign, null))
                        .get(10, TimeUnit.SECONDS);
            }
            System.out.println("lifted any budget pause of " + campaign + " on " + topic);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the campaigns in effect and which are paused (kill switch or budget), from the handlers topic.")
    static final class ListPaused implements Callable<Integer> {
        @Mixin
        Endpoints endpoints;

        @Override
        public Integer call() {
            String topic = endpoints.get(Names.Props.TOPIC_HANDLERS);
            FeedState state = HandlerTopics.readToEnd(endpoints.kafkaClient(), topic, Duration.ofSeconds(20));
            if (state.manifest() == null) {
                System.out.println("nothing published on " + topic + " yet (is the topology running?)");
                return 1;
            }
            System.out.println("handler files in effect (manifest " + state.manifest().seq() + "):");
            new TreeMap<>(state.manifest().files()).forEach((f, v) -> System.out.println("  " + f + " @" + v));
            System.out.println("paused by the kill switch: " + (state.control().paused().isEmpty() ? "none"
                    : state.control().paused()));
            System.out.println("paused by their budget:    " + (state.control().budgeted().isEmpty() ? "none"
                    : state.control().budgeted()));
            return 0;
        }
    }

    static CommandLine.ParameterException bad(CommandLine cl, String message) {
        return new CommandLine.ParameterException(cl, message);
    }
}
