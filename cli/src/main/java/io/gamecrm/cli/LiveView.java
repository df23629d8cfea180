package io.gamecrm.cli;

import io.gamecrm.crm.DecisionStats;
import io.gamecrm.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches what the topology writes (triggers, dead letters, maintenance events) from the moment it
 * starts, prints each trigger and notable maintenance event as a readable line, and keeps the
 * numbers the status line shows: counts by campaign and the event-to-trigger latency.
 */
public final class LiveView implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final Terminal terminal;
    private final String triggerTopic;
    private final String deadLetterTopic;
    private final String maintenanceTopic;
    private final KafkaConsumer<String, String> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final String highlightPlayer;

    private final Map<String, Long> triggersByCampaign = new TreeMap<>();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong tasksStarted = new AtomicLong();
    private final AtomicLong handlerErrors = new AtomicLong();
    private final Map<String, Long> suppressed = new TreeMap<>();
    private final long[] latencies = new long[4096];
    private long latencyCount;
    private final long startedAtMs = System.currentTimeMillis();

    /** @param kafkaClient address and security settings ({@link io.gamecrm.access.ClusterAccess#kafkaClient}) */
    public LiveView(Terminal terminal, java.util.Properties kafkaClient, String triggerTopic, String deadLetterTopic,
                    String maintenanceTopic, String highlightPlayer) {
        this.terminal = terminal;
        this.triggerTopic = triggerTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.maintenanceTopic = maintenanceTopic;
        this.highlightPlayer = highlightPlayer;
        java.util.Properties p = new java.util.Properties();
        p.putAll(kafkaClient);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(triggerTopic, deadLetterTopic, maintenanceTopic)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // resolve the end offsets now, before traffic starts
        this.thread = new Thread(this::run, "live-view");
        this.thread.setDaemon(true);
    }

    public LiveView start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running.get()) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                try {
                    if (r.topic().equals(triggerTopic)) {
                        onTrigger(r);
                    } else if (r.topic().equals(deadLetterTopic)) {
                        deadLetters.incrementAndGet();
                    } else if (r.topic().equals(maintenanceTopic)) {
                        onMaintenance(r);
                    }
                } catch (RuntimeException e) {
                    terminal.line("could not read a record of " + r.topic() + ": " + e.getMessage());
                }
            }
        }
    }

    private void onTrigger(ConsumerRecord<String, String> r) {
        Map<String, Object> t = Json.readObject(r.value());
        String campaign = String.valueOf(t.get("campaign"));
        long causeTime = Instant.parse(String.valueOf(t.get("cause_event_time"))).toEpochMilli();
        long latency = Math.max(0, System.currentTimeMillis() - causeTime);
        boolean backlog = causeTime < startedAtMs; // an event of an earlier run, processed now
        synchronized (this) {
            triggersByCampaign.merge(campaign, 1L, Long::sum);
            if (!backlog) {
                latencies[(int) (latencyCount++ % latencies.length)] = latency;
            }
        }
        String player = String.valueOf(t.get("player_id"));
        String text = LocalTime.now(ZoneId.systemDefault()).format(TIME) + "  OFFER " + campaign + " -> " + player
                + "  " + Json.write(t.get("params")) + "  (cause " + t.get("cause_event_type") + " "
                + String.valueOf(t.get("cause_event_id")).substring(0, 8) + ", handler " + t.get("handler") + "@"
                + t.get("handler_version") + ", " + (backlog ? "from an earlier run's backlog)" : latency + " ms after the event)");
        terminal.line(player.equals(highlightPlayer) ? terminal.bold(terminal.green(text)) : text);
    }

    private void onMaintenance(ConsumerRecord<String, String> r) {
        Map<String, Object> m = Json.readObject(r.value());
        String type = String.valueOf(m.get("type"));
        if ("component.started".equals(type)) {
            tasksStarted.incrementAndGet();
        }
        if ("handler.error".equals(type)) {
            handlerErrors.incrementAndGet();
        }
        if (DecisionStats.REPORT.equals(type)) {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> decisions = (Map<String, Map<String, Object>>)
                    ((Map<String, Object>) m.get("details")).get("decisions");
            synchronized (this) {
                decisions.values().forEach(byOutcome -> byOutcome.forEach((outcome, n) -> {
                    if (!"FIRED".equals(outcome)) {
                        suppressed.merge(outcome.toLowerCase(java.util.Locale.ROOT), ((Number) n).longValue(), Long::sum);
                    }
                }));
            }
            return;
        }
        if (type.startsWith("handlers.") || type.startsWith("campaign.") || "handler.error".equals(type)
                || "ERROR".equals(m.get("severity"))) {
            String text = LocalTime.now(ZoneId.systemDefault()).format(TIME) + "  [" + m.get("component") + "#"
                    + m.get("task") + "] " + type + ": " + m.get("message");
            terminal.line("INFO".equals(m.get("severity")) ? terminal.dim(text) : terminal.red(text));
        }
    }

    public long tasksStarted() {
        return tasksStarted.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    public long handlerErrors() {
        return handlerErrors.get();
    }

    /** Suppressed offers by reason (from the CRM tasks' campaign.stats, every 5 s). */
    public synchronized Map<String, Long> suppressed() {
        return new TreeMap<>(suppressed);
    }

    public synchronized Map<String, Long> triggersByCampaign() {
        return new TreeMap<>(triggersByCampaign);
    }

    /** p50 and p99 of the recent event-to-trigger latencies (ms), or null when there is none yet. */
    public synchronized long[] latencyP50P99() {
        int n = (int) Math.min(latencyCount, latencies.length);
        if (n == 0) {
            return null;
        }
        long[] copy = Arrays.copyOf(latencies, n);
        Arrays.sort(copy);
        return new long[] {copy[(int) Math.floor(0.5 * (n - 1))], copy[(int) Math.floor(0.99 * (n - 1))]};
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
