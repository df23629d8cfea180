package io.gamecrm.maintenance;

import java.io.Serializable;
import java.util.Properties;

/** Where component events go: the maintenance topic and the Kafka client settings to reach it. */
public class MaintenanceSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Properties kafka;
    private final String topic;

    /**
     * @param kafka client properties (bootstrap.servers and any security settings); producer
     *              settings needed here are added on top
     * @param topic the maintenance topic, e.g. crm-maintenance
     */
    public MaintenanceSettings(Properties kafka, String topic) {
        if (kafka.getProperty("bootstrap.servers", "").isBlank()) {
            throw new IllegalArgumentException("maintenance: bootstrap.servers must be set");
        }
        this.kafka = new Properties();
        this.kafka.putAll(kafka);
        this.topic = topic;
    }

    public Properties kafka() {
        Properties copy = new Properties();
        copy.putAll(kafka);
        return copy;
    }

    public String topic() {
        return topic;
    }

    String key() {
        return kafka.getProperty("bootstrap.servers") + "|" + topic;
    }
}
