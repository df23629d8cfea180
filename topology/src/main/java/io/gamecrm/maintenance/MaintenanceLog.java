package io.gamecrm.maintenance;

import io.gamecrm.json.Json;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes component events (started, handlers loaded or rejected, handler errors, campaign
 * paused …) to the maintenance topic as JSON, and logs them. One producer per worker JVM and topic,
 * shared by every task; safe to call from any thread (the Kafka producer is thread-safe). Sends are
 * fire-and-forget: a maintenance event must never block or fail event processing, so a failed send
 * is only logged.
 */
public final class MaintenanceLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceLog.class);
    private static final Map<String, SharedProducer> PRODUCERS = new HashMap<>();
    private static final String HOST = hostName();
    private static final long PID = ProcessHandle.current().pid();

    private final String component;
    private final int taskId;
    private final String topic;
    private final String key;
    private final Producer<String, String> producer;
    private boolean closed;

    private static final class SharedProducer {
        final Producer<String, String> producer;
        int users;

        SharedProducer(Producer<String, String> producer) {
            this.producer = producer;
        }
    }

    private MaintenanceLog(String component, int taskId, String topic, String key, Producer<String, String> producer) {
        this.component = component;
        this.taskId = taskId;
        this.topic = topic;
        this.key = key;
        this.producer = producer;
    }

    /** Opens (or shares) the producer for these settings; close the log when the task ends. */
    public static MaintenanceLog open(MaintenanceSettings settings, String component, int taskId) {
        synchronized (PRODUCERS) {
            SharedProducer shared = PRODUCERS.computeIfAbsent(settings.key(), k -> new SharedProducer(newProducer(settings)));
            shared.users++;
            return new MaintenanceLog(component, taskId, settings.topic(), settings.key(), shared.producer);
        }
    }

    /** A log that only writes to SLF4J (tools and tests without Kafka). */
    public static MaintenanceLog loggingOnly(String component) {
        return new MaintenanceLog(component, -1, null, null, null);
    }

    private static Producer<String, String> newProducer(MaintenanceSettings settings) {
        Properties p = settings.kafka();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "crm-maintenance-" + PID);
        return new KafkaProducer<>(p);
    }

    /** Publishes an event: {@code type} like "handlers.loaded", a one-line message, and details. */
    public void publish(Severity severity, String type, String message, Map<String, ?> details) {
        switch (severity) {
            case ERROR -> LOG.error("[{}#{}] {}: {}", component, taskId, type, message);
            case WARN -> LOG.warn("[{}#{}] {}: {}", component, taskId, type, message);
            default -> LOG.info("[{}#{}] {}: {}", component, taskId, type, message);
        }
        if (producer == null) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("severity", severity.name());
        event.put("message", message);
        event.put("component", component);
        event.put("task", taskId);
        event.put("host", HOST);
        event.put("pid", PID);
        event.put("time", Instant.now().toString());
        event.put("details", details == null ? Map.of() : details);
        try {
            producer.send(new ProducerRecord<>(topic, component, Json.write(event)), (md, e) -> {
                if (e != null) {
                    LOG.warn("could not publish maintenance event {} to {}: {}", type, topic, e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("could not publish maintenance event {} to {}: {}", type, topic, e.toString());
        }
    }

    public void info(String type, String message, Map<String, ?> details) {
        publish(Severity.INFO, type, message, details);
    }

    public void warn(String type, String message, Map<String, ?> details) {
        publish(Severity.WARN, type, message, details);
    }

    public void error(String type, String message, Map<String, ?> details) {
        publish(Severity.ERROR, type, message, details);
    }

    public enum Severity { INFO, WARN, ERROR }

    @Override
    public void close() {
        if (producer == null || closed) {
            return;
        }
        closed = true;
        synchronized (PRODUCERS) {
            SharedProducer shared = PRODUCERS.get(key);
            if (shared != null && --shared.users == 0) {
                PRODUCERS.remove(key);
                shared.producer.close(java.time.Duration.ofSeconds(5));
            } else {
                producer.flush();
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}
