package io.gamecrm.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.gamecrm.access.ClusterAccess;
import io.gamecrm.profile.CassandraSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where a command finds Kafka and Cassandra: the same properties file the topology runs with
 * (flux/local.properties by default), so a command talks to what the topology uses.
 */
public final class Endpoints {
    @Option(names = "--properties", paramLabel = "FILE",
            description = "Flux properties with the addresses, topics and keyspace (default: flux/local.properties).")
    Path properties;

    private static final int CQL_REQUEST_TIMEOUT_MS = 10_000;
    private boolean kafkaChecked;

    public Properties load() {
        Path file = properties != null ? properties : Repo.flux("local.properties");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        return p;
    }

    public String get(String key) {
        String v = load().getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("property " + key + " is not set in " + (properties != null ? properties
                    : Repo.flux("local.properties")));
        }
        return v;
    }

    /**
     * A CQL session with the file's contact point, datacenter and login (as the topology opens its own), a 10 s
     * request timeout.
     *
     * @throws io.gamecrm.access.ClusterAccessException if the node refuses or requires a login, or does not answer
     */
    public CqlSession cql() {
        CassandraSettings settings = ClusterAccess.cassandra(load());
        settings.setRequestTimeoutMs(CQL_REQUEST_TIMEOUT_MS);
        return ClusterAccess.openCassandra(settings);
    }

    /**
     * The file's Kafka client properties (address and security, as the topology's clients get them), checked
     * once against the cluster.
     *
     * @throws io.gamecrm.access.ClusterAccessException if the cluster refuses them or does not answer
     */
    public Properties kafkaClient() {
        Properties client = ClusterAccess.kafkaClient(load());
        if (!kafkaChecked) {
            ClusterAccess.checkKafka(client, ClusterAccess.DEFAULT_TIMEOUT);
            kafkaChecked = true;
        }
        return client;
    }
}
