package io.gamecrm.analytics.it;

import io.gamecrm.local.LocalStack;
import io.gamecrm.local.Server;
import io.gamecrm.local.StackConfig;
import io.gamecrm.analytics.spark.SparkSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The real servers of the analytics ITs: the local Cassandra node (started once per test JVM or
 * reused), a keyspace per test class, and Spark settings with this project's test ports
 * (37000-37999; no UI).
 */
final class ItSpark {
    private static LocalStack stack;

    private ItSpark() {
    }

    static synchronized LocalStack cassandra() {
        if (stack == null) {
            stack = LocalStack.ensureRunning(StackConfig.fromSystemProperties(), EnumSet.of(Server.CASSANDRA), false);
        }
        return stack;
    }

    static InetSocketAddress contactPoint() {
        return cassandra().cassandraContactPoint();
    }

    static String contactPointText() {
        return contactPoint().getHostString() + ":" + contactPoint().getPort();
    }

    static String datacenter() {
        return cassandra().cassandraDatacenter();
    }

    static String keyspace(String testName) {
        return "an_" + testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "")
                + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Spark settings for a test: loopback, fixed test ports (Spark moves up if one is taken), no UI. */
    static SparkSettings settings(String master, String keyspace, int driverPort, List<String> jars) {
        return new SparkSettings(master, contactPoint().getHostString(), contactPoint().getPort(), datacenter(), keyspace,
                jars, Map.of("spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1",
                "spark.driver.port", Integer.toString(driverPort),
                "spark.blockManager.port", Integer.toString(driverPort + 10),
                "spark.port.maxRetries", "8"));
    }

    /** Drops a test's keyspace and closes the session (either may be null when the set-up failed early). */
    static void dropKeyspace(com.datastax.oss.driver.api.core.CqlSession cql, String keyspace) {
        if (cql != null) {
            if (keyspace != null) {
                cql.execute("DROP KEYSPACE IF EXISTS " + keyspace);
            }
            cql.close();
        }
    }

    /** The repository root (failsafe passes it). */
    static Path repo() {
        return io.gamecrm.analytics.TestRepo.root();
    }
}
