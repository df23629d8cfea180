package io.gamecrm.local;

import java.util.Locale;

/** The servers a {@link LocalStack} can run, each as its own child JVM. */
public enum Server {
    /** Single-node Kafka broker (KRaft, combined broker and controller). */
    KAFKA("Kafka", "kafka.Kafka"),
    /** Single Cassandra node (needs Java 17). */
    CASSANDRA("Cassandra", "org.apache.cassandra.service.CassandraDaemon");

    private final String displayName;
    private final String mainClass;

    Server(String displayName, String mainClass) {
        this.displayName = displayName;
        this.mainClass = mainClass;
    }

    /** Human-readable name, e.g. "Kafka". */
    public String displayName() {
        return displayName;
    }

    /** The server's own main class, which the child JVM runs behind {@link ParentWatch}. */
    public String mainClass() {
        return mainClass;
    }

    /** Lower-case key used in file names and the state file, e.g. "kafka". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "kafka" or "cassandra" (any case). */
    public static Server parse(String text) {
        for (Server s : values()) {
            if (s.key().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown server '" + text + "' (expected kafka or cassandra)");
    }
}
