package io.gamecrm.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.gamecrm.Names;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    public CqlSession cql() {
        String first = get(Names.Props.CASSANDRA_CONTACT_POINTS).split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        return CqlSession.builder()
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                        .build())
                .addContactPoint(new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))))
                .withLocalDatacenter(get(Names.Props.CASSANDRA_DATACENTER))
                .build();
    }

    public Properties kafkaClient() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", get(Names.Props.KAFKA_BOOTSTRAP));
        return p;
    }
}
