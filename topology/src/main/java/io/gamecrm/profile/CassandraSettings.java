package io.gamecrm.profile;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where and how to reach Cassandra. Built by Flux from {@code cassandra.*} properties and handed to
 * bolts through their constructors; small and serializable. Optional settings are Flux
 * {@code properties} (setters); an empty string means "not set".
 */
public class CassandraSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String contactPoints;
    private final String localDatacenter;
    private final String keyspace;
    private String replication = "{'class': 'SimpleStrategy', 'replication_factor': 1}";
    private int eventsTtlSeconds = 30 * 24 * 3600;
    /** Event types kept in player_events, sorted; null: every type. */
    private SortedSet<String> historyEventTypes;
    private int requestTimeoutMs = 5000;
    private int writeBatchBytes = 30_000;
    private String username = "";
    private String password = "";

    /**
     * @param contactPoints   comma-separated host:port list, e.g. "127.0.0.1:9042"
     * @param localDatacenter the datacenter of the contact points, e.g. "datacenter1"
     * @param keyspace        created at start if missing, with {@link #setReplication}
     */
    public CassandraSettings(String contactPoints, String localDatacenter, String keyspace) {
        this.contactPoints = require(contactPoints, "contact points");
        this.localDatacenter = require(localDatacenter, "local datacenter");
        this.keyspace = require(keyspace, "keyspace");
        if (!keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
            throw new IllegalArgumentException("keyspace must be lower-case letters, digits and '_', got " + keyspace);
        }
        contactPointList(); // fail early on a malformed list
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Cassandra " + what + " must be set");
        }
        return value.trim();
    }

    public List<InetSocketAddress> contactPointList() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String hp : contactPoints.split(",")) {
            String s = hp.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("contact point must be host:port, got '" + s + "'");
            }
            out.add(InetSocketAddress.createUnresolved(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))));
        }
        return out;
    }

    public String contactPoints() {
        return contactPoints;
    }

    public String localDatacenter() {
        return localDatacenter;
    }

    public String keyspace() {
        return keyspace;
    }

    public String replication() {
        return replication;
    }

    public void setReplication(String replication) {
        this.replication = require(replication, "replication");
    }

    public int eventsTtlSeconds() {
        return eventsTtlSeconds;
    }

    public void setEventsTtlSeconds(int eventsTtlSeconds) {
        if (eventsTtlSeconds < 0) {
            throw new IllegalArgumentException("events TTL must be >= 0 (0 = keep forever)");
        }
        this.eventsTtlSeconds = eventsTtlSeconds;
    }

    /** Size of the unlogged batches rows are written in; 0 = one request per row. */
    /**
     * The event types whose events are kept in {@code player_events} (cassandra.history.event.types):
     * {@code *} for all, a comma-separated list of types, or empty for none. The profile, the
     * decisions and the triggers of every event are written whatever this says; only the history
     * row of the others is left out (one row write less per event).
     */
    public void setHistoryEventTypes(String types) {
        String t = types == null ? "" : types.trim();
        if (t.equals("*")) {
            this.historyEventTypes = null;
            return;
        }
        SortedSet<String> set = new TreeSet<>();
        for (String type : t.split(",")) {
            String name = type.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!name.matches("[a-z][a-z0-9_]{0,31}")) {
                throw new IllegalArgumentException("history event types must be '*' or event types (as in the envelope"
                        + " schema: lower-case letters, digits and '_'), comma-separated; got '" + name + "'");
            }
            set.add(name);
        }
        this.historyEventTypes = Collections.unmodifiableSortedSet(set);
    }

    /** Whether events of this type are kept in {@code player_events}. */
    public boolean keepsHistoryOf(String eventType) {
        return historyEventTypes == null || historyEventTypes.contains(eventType);
    }

    /** The setting as text: {@code *}, or the types comma-separated (empty: none). */
    public String historyEventTypes() {
        return historyEventTypes == null ? "*" : String.join(",", historyEventTypes);
    }

    public int writeBatchBytes() {
        return writeBatchBytes;
    }

    public void setWriteBatchBytes(int writeBatchBytes) {
        if (writeBatchBytes < 0 || writeBatchBytes > 45_000) {
            throw new IllegalArgumentException("write batch bytes must be within 0..45000 (Cassandra refuses batches "
                    + "over 50 KB by default), got " + writeBatchBytes);
        }
        this.writeBatchBytes = writeBatchBytes;
    }

    public int requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public void setRequestTimeoutMs(int requestTimeoutMs) {
        this.requestTimeoutMs = requestTimeoutMs;
    }

    public String username() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username == null ? "" : username;
    }

    public String password() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password == null ? "" : password;
    }

    /** Identity of the session these settings open: equal keys share one session per JVM. */
    String sessionKey() {
        return contactPoints + "|" + localDatacenter + "|" + username;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CassandraSettings c && c.contactPoints.equals(contactPoints)
                && c.localDatacenter.equals(localDatacenter) && c.keyspace.equals(keyspace)
                && c.username.equals(username);
    }

    @Override
    public int hashCode() {
        return Objects.hash(contactPoints, localDatacenter, keyspace, username);
    }

    @Override
    public String toString() {
        return "Cassandra[" + contactPoints + ", dc=" + localDatacenter + ", keyspace=" + keyspace + "]";
    }
}
