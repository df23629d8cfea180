package io.gamecrm.maintenance;

import io.gamecrm.handlers.HandlerReport;
import io.gamecrm.json.Json;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
    private static final String HOST = hostName();
    private static final long PID = ProcessHandle.current().pid();

    private final String component;
    private final int taskId;
    private final String topic;
    private final SharedProducers.Lease lease;
    private final Producer<String, String> producer;

    private MaintenanceLog(String component, int taskId, String topic, SharedProducers.Lease lease) {
        this.component = component;
        this.taskId = taskId;
        this.topic = topic;
        this.lease = lease;
        this.producer = lease == null ? null : lease.producer();
    }

    /** Opens (or shares) the producer for these settings; close the log when the task ends. */
    public static MaintenanceLog open(MaintenanceSettings settings, String component, int taskId) {
        return new MaintenanceLog(component, taskId, settings.topic(), SharedProducers.acquire(settings.kafka()));
    }

    /** A log that only writes to SLF4J (tools and tests without Kafka). */
    public static MaintenanceLog loggingOnly(String component) {
        return new MaintenanceLog(component, -1, null, null);
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

    /** A report of the pipeline or the handler runtime, at its level. */
    public void report(HandlerReport r) {
        publish(switch (r.level()) {
            case ERROR -> Severity.ERROR;
            case WARN -> Severity.WARN;
            default -> Severity.INFO;
        }, r.type(), r.message(), r.details());
    }

    public enum Severity { INFO, WARN, ERROR }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
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
