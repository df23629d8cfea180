package io.gamecrm.analytics.spark;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where analytics runs and what it reads.
 *
 * @param master           {@code local[N]} (embedded) or {@code spark://HOST:PORT} (a standalone cluster)
 * @param cassandraHost    a contact point of the CRM's Cassandra cluster
 * @param cassandraPort    its CQL port
 * @param datacenter       the local datacenter of the driver
 * @param keyspace         the CRM's keyspace ({@code cassandra.keyspace})
 * @param applicationJars  what executors of a cluster need besides Spark (spark.jars); unused locally
 * @param sparkConf        further Spark settings ({@code --conf k=v}), applied last
 */
public record SparkSettings(String master, String cassandraHost, int cassandraPort, String datacenter, String keyspace,
                            List<String> applicationJars, Map<String, String> sparkConf) {
    private static final Pattern MASTER = Pattern.compile("local(\\[(\\d+|\\*)])?|spark://[^\\s/]+:\\d+(,[^\\s/]+:\\d+)*");
    private static final Pattern KEYSPACE = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,47}");

    public SparkSettings {
        if (master == null || !MASTER.matcher(master).matches()) {
            throw new IllegalArgumentException("--master must be local, local[N], local[*] or spark://HOST:PORT, got '"
                    + master + "'");
        }
        if (cassandraHost == null || cassandraHost.isBlank()) {
            throw new IllegalArgumentException("the Cassandra host is empty");
        }
        if (cassandraPort < 1 || cassandraPort > 65535) {
            throw new IllegalArgumentException("the Cassandra port must be within 1..65535, got " + cassandraPort);
        }
        if (datacenter == null || datacenter.isBlank()) {
            throw new IllegalArgumentException("the Cassandra datacenter is empty");
        }
        if (keyspace == null || !KEYSPACE.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("not a Cassandra keyspace name: '" + keyspace + "'");
        }
        applicationJars = List.copyOf(applicationJars);
        sparkConf = Map.copyOf(new TreeMap<>(sparkConf));
    }

    /** Whether the job runs on a cluster (its executors need {@link #applicationJars()}). */
    public boolean onCluster() {
        return master.startsWith("spark://");
    }

    /** "HOST:PORT" parsed, e.g. from cassandra.contact.points (the first of a list). */
    public static String[] hostAndPort(String contactPoints) {
        String first = contactPoints.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        if (colon <= 0 || colon == first.length() - 1) {
            throw new IllegalArgumentException("a Cassandra contact point must look like HOST:PORT, got '" + first + "'");
        }
        String port = first.substring(colon + 1);
        if (!port.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("a Cassandra contact point must look like HOST:PORT, got '" + first + "'");
        }
        return new String[] {first.substring(0, colon), port};
    }

    public SparkSettings withMaster(String newMaster) {
        return new SparkSettings(newMaster, cassandraHost, cassandraPort, datacenter, keyspace, applicationJars, sparkConf);
    }

    public SparkSettings withKeyspace(String newKeyspace) {
        return new SparkSettings(master, cassandraHost, cassandraPort, datacenter, newKeyspace, applicationJars, sparkConf);
    }
}
