package io.gamecrm.access;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import io.gamecrm.Names;
import io.gamecrm.profile.CassandraSessions;
import io.gamecrm.profile.CassandraSettings;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * The clients' settings read from a topology properties file ({@code flux/*.properties}), and a check at start
 * that Kafka and Cassandra accept them. The CLI and the tests take their Kafka client properties and Cassandra
 * settings from here; the Flux file builds the topology's from the same keys ({@code SecuritySettingsTest}
 * checks both give the same). A check either passes or throws one {@link ClusterAccessException} within its
 * time limit: a wrong password, a missing login, a trust store that does not trust the broker or a PLAINTEXT
 * client at a SASL_SSL listener is said once, at start, instead of being retried by the clients for ever.
 */
public final class ClusterAccess {

    /** How long {@link #check(Properties)} waits for Kafka to answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private ClusterAccess() {
    }

    /**
     * The Kafka client properties of a properties file: {@code bootstrap.servers} and the security keys
     * ({@link Names.Props#KAFKA_SECURITY_KEYS}), each from {@code kafka.<key>}, empty ones dropped.
     */
    public static Properties kafkaClient(Properties flux) {
        Properties p = new Properties();
        p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, required(flux, Names.Props.KAFKA_BOOTSTRAP));
        for (String key : Names.Props.KAFKA_SECURITY_KEYS) {
            String v = flux.getProperty(Names.Props.KAFKA_CLIENT_PREFIX + key, "");
            if (!v.isBlank()) {
                p.setProperty(key, v);
            }
        }
        return p;
    }

    /** The Cassandra settings of a properties file: contact points, datacenter, keyspace, timeout and login. */
    public static CassandraSettings cassandra(Properties flux) {
        CassandraSettings s = new CassandraSettings(required(flux, Names.Props.CASSANDRA_CONTACT_POINTS),
                required(flux, Names.Props.CASSANDRA_DATACENTER), required(flux, Names.Props.CASSANDRA_KEYSPACE));
        String timeout = flux.getProperty(Names.Props.CASSANDRA_REQUEST_TIMEOUT, "");
        if (!timeout.isBlank()) {
            s.setRequestTimeoutMs(Integer.parseInt(timeout.trim()));
        }
        s.setUsername(flux.getProperty(Names.Props.CASSANDRA_USERNAME, ""));
        s.setPassword(flux.getProperty(Names.Props.CASSANDRA_PASSWORD, ""));
        return s;
    }

    /** Checks Kafka, then Cassandra, with the settings of a properties file. */
    public static void check(Properties flux) {
        checkKafka(kafkaClient(flux), DEFAULT_TIMEOUT);
        checkCassandra(cassandra(flux));
    }

    /**
     * Asks the cluster for its brokers with {@code client}'s settings.
     *
     * @throws ClusterAccessException if the client refuses the settings, the broker refuses the login or the TLS
     *                                handshake, or nothing answers within {@code timeout}
     */
    public static void checkKafka(Properties client, Duration timeout) {
        String where = "Kafka at " + client.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) + " ("
                + client.getProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT") + ")";
        int ms = (int) timeout.toMillis();
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException | IllegalArgumentException e) {
            throw new ClusterAccessException(ClusterAccessException.Problem.KAFKA_SETTINGS, where
                    + ": the client refuses its settings: " + rootMessage(e)
                    + " (check kafka.security.protocol, kafka.sasl.*, kafka.ssl.*)", e);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes().get(ms + 2_000L,
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw kafkaFailure(where, timeout, e.getCause());
        } catch (TimeoutException e) {
            throw kafkaFailure(where, timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterAccessException(ClusterAccessException.Problem.KAFKA_UNREACHABLE, where
                    + ": interrupted while checking it", e);
        } finally {
            admin.close(Duration.ofSeconds(2));
        }
    }

    private static ClusterAccessException kafkaFailure(String where, Duration timeout, Throwable cause) {
        if (cause instanceof SslAuthenticationException) {
            return new ClusterAccessException(ClusterAccessException.Problem.KAFKA_TLS, where
                    + ": the TLS handshake failed: " + rootMessage(cause)
                    + " (check kafka.ssl.truststore.location and kafka.ssl.truststore.password)", cause);
        }
        if (cause instanceof SaslAuthenticationException
                || cause instanceof org.apache.kafka.common.errors.AuthenticationException) {
            return new ClusterAccessException(ClusterAccessException.Problem.KAFKA_AUTHENTICATION, where
                    + " refused the login: " + rootMessage(cause)
                    + " (check kafka.sasl.mechanism and the user and password in kafka.sasl.jaas.config)", cause);
        }
        return new ClusterAccessException(ClusterAccessException.Problem.KAFKA_UNREACHABLE, where
                + " did not answer within " + timeout.toSeconds() + " s: the broker is down, or its listener"
                + " expects another kafka.security.protocol (" + rootMessage(cause) + ")", cause);
    }

    /**
     * Opens a session with the settings (as the topology does) and reads the node's version.
     *
     * @throws ClusterAccessException if the node requires or refuses the login, or no node answers
     */
    public static void checkCassandra(CassandraSettings settings) {
        try (CqlSession session = openCassandra(settings)) {
            session.execute("SELECT release_version FROM system.local");
        }
    }

    /**
     * A CQL session with the settings, as {@link CassandraSessions} opens the topology's.
     *
     * @throws ClusterAccessException if the node requires or refuses the login, or no node answers
     */
    public static CqlSession openCassandra(CassandraSettings settings) {
        String where = "Cassandra at " + settings.contactPoints()
                + (settings.username().isEmpty() ? " (no login)" : " (as " + settings.username() + ")");
        try {
            return CassandraSessions.open(settings);
        } catch (AuthenticationException e) {
            throw cassandraLogin(where, e);
        } catch (AllNodesFailedException e) {
            for (List<Throwable> errors : e.getAllErrors().values()) {
                for (Throwable t : errors) {
                    if (t instanceof AuthenticationException) {
                        throw cassandraLogin(where, (AuthenticationException) t);
                    }
                }
            }
            throw new ClusterAccessException(ClusterAccessException.Problem.CASSANDRA_UNREACHABLE, where
                    + ": no node answered: " + e.getMessage() + " (check cassandra.contact.points)", e);
        } catch (DriverException e) {
            throw new ClusterAccessException(ClusterAccessException.Problem.CASSANDRA_UNREACHABLE, where + ": "
                    + e.getMessage(), e);
        }
    }

    private static ClusterAccessException cassandraLogin(String where, AuthenticationException e) {
        return new ClusterAccessException(ClusterAccessException.Problem.CASSANDRA_AUTHENTICATION, where
                + " refused the login: " + e.getMessage() + " (check cassandra.username and cassandra.password)", e);
    }

    private static String required(Properties flux, String key) {
        String v = flux.getProperty(key, "");
        if (v.isBlank()) {
            throw new IllegalArgumentException("property " + key + " is not set");
        }
        return v.trim();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == t ? m : t.getMessage() + ": " + m;
    }
}
