package io.gamecrm.profile;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CQL session per worker JVM (per cluster and credentials), shared by every task of the worker
 * and closed when the last task releases it. The first acquirer of a keyspace applies the CQL
 * schema. Executors are threads of one JVM, so sharing the (thread-safe) session is what the
 * driver recommends.
 */
public final class CassandraSessions {
    private static final Logger LOG = LoggerFactory.getLogger(CassandraSessions.class);
    private static final Map<String, Shared> SESSIONS = new HashMap<>();
    private static final Set<String> SCHEMA_APPLIED = new HashSet<>();

    private CassandraSessions() {
    }

    private static final class Shared {
        final CqlSession session;
        int users;

        Shared(CqlSession session) {
            this.session = session;
        }
    }

    /** A use of the shared session; close it exactly once. */
    public static final class Lease implements AutoCloseable {
        private final String key;
        private final CqlSession session;
        private boolean closed;

        private Lease(String key, CqlSession session) {
            this.key = key;
            this.session = session;
        }

        public CqlSession session() {
            return session;
        }

        @Override
        public void close() {
            synchronized (SESSIONS) {
                if (closed) {
                    return;
                }
                closed = true;
                Shared shared = SESSIONS.get(key);
                if (shared != null && --shared.users == 0) {
                    SESSIONS.remove(key);
                    SCHEMA_APPLIED.removeIf(k -> k.startsWith(key + "#"));
                    LOG.info("closing the shared Cassandra session to {}", key);
                    shared.session.close();
                }
            }
        }
    }

    public static Lease acquire(CassandraSettings settings) {
        synchronized (SESSIONS) {
            String key = settings.sessionKey();
            Shared shared = SESSIONS.get(key);
            if (shared == null) {
                LOG.info("opening the shared Cassandra session to {}", settings);
                shared = new Shared(open(settings));
                SESSIONS.put(key, shared);
            }
            shared.users++;
            String schemaKey = key + "#" + settings.keyspace();
            if (SCHEMA_APPLIED.add(schemaKey)) {
                try {
                    long start = System.nanoTime();
                    CqlSchema.apply(shared.session, settings.keyspace(), settings.replication());
                    LOG.info("CQL schema applied to keyspace {} in {} ms", settings.keyspace(),
                            (System.nanoTime() - start) / 1_000_000);
                } catch (RuntimeException e) {
                    SCHEMA_APPLIED.remove(schemaKey);
                    new Lease(key, shared.session).close();
                    throw e;
                }
            }
            return new Lease(key, shared.session);
        }
    }

    /** A new session with the settings (callers other than {@link #acquire} close it themselves). */
    public static CqlSession open(CassandraSettings settings) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofMillis(settings.requestTimeoutMs()))
                // the bolts use prepared statements only: no schema metadata, so DDL at start takes
                // tens of milliseconds instead of over a second per statement
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(10))
                .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, 2048)
                .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
                // after an outage, find the node again within seconds, not a minute
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(500))
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(4))
                .build();
        CqlSessionBuilder builder = CqlSession.builder()
                .withConfigLoader(config)
                .withLocalDatacenter(settings.localDatacenter());
        settings.contactPointList().forEach(a ->
                builder.addContactPoint(new InetSocketAddress(a.getHostString(), a.getPort())));
        if (!settings.username().isEmpty()) {
            builder.withAuthCredentials(settings.username(), settings.password());
        }
        return builder.build();
    }
}
