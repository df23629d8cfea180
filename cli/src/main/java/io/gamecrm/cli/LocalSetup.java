package io.gamecrm.cli;

import io.gamecrm.Names;
import io.gamecrm.access.ClusterAccess;
import io.gamecrm.local.LocalStack;
import io.gamecrm.local.Server;
import io.gamecrm.local.StackConfig;
import io.gamecrm.local.StackListener;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** The local stack for the commands: servers, topics, and flux/local.properties pointed at them. */
public final class LocalSetup {
    private LocalSetup() {
    }

    public static LocalStack servers(StackListener progress) {
        return LocalStack.ensureRunning(StackConfig.fromSystemProperties(), EnumSet.of(Server.KAFKA, Server.CASSANDRA),
                false, progress);
    }

    /** flux/local.properties with the running stack's addresses and an absolute handlers folder. */
    public static Properties fluxProperties(LocalStack stack, Path handlersDir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Repo.flux("local.properties"))) {
            p.load(r);
        }
        p.setProperty(Names.Props.KAFKA_BOOTSTRAP, stack.kafkaBootstrap());
        p.setProperty(Names.Props.CASSANDRA_CONTACT_POINTS,
                stack.cassandraContactPoint().getHostString() + ":" + stack.cassandraContactPoint().getPort());
        p.setProperty(Names.Props.CASSANDRA_DATACENTER, stack.cassandraDatacenter());
        p.setProperty(Names.Props.HANDLERS_DIR, handlersDir.toAbsolutePath().normalize().toString());
        return p;
    }

    /**
     * Gives a run names of its own in Flux properties, all from {@code prefix} (e.g. bench-1a2b3c):
     * the topology, every topic, the consumer group and the keyspace ({@code -} becomes {@code _}),
     * so runs on the same servers never share data. Returns {@code p}.
     */
    public static Properties ownNames(Properties p, String prefix) {
        p.setProperty(Names.Props.TOPOLOGY_NAME, prefix);
        p.setProperty(Names.Props.KAFKA_GROUP_ID, prefix);
        p.setProperty(Names.Props.TOPIC_RAW, prefix + "-raw");
        p.setProperty(Names.Props.TOPIC_TRIGGER, prefix + "-trigger");
        p.setProperty(Names.Props.TOPIC_DEAD_LETTER, prefix + "-dead-letter");
        p.setProperty(Names.Props.TOPIC_MAINTENANCE, prefix + "-maintenance");
        p.setProperty(Names.Props.TOPIC_HANDLERS, prefix + "-handlers");
        p.setProperty(Names.Props.CASSANDRA_KEYSPACE, prefix.replace('-', '_'));
        return p;
    }

    /** Creates the topics the Flux properties name, when missing. */
    public static void createTopics(Properties flux, int rawPartitions) throws Exception {
        try (Admin admin = Admin.create(ClusterAccess.kafkaClient(flux))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> topics = new ArrayList<>();
            add(topics, existing, flux.getProperty(Names.Props.TOPIC_RAW), rawPartitions);
            add(topics, existing, flux.getProperty(Names.Props.TOPIC_TRIGGER), 2);
            add(topics, existing, flux.getProperty(Names.Props.TOPIC_DEAD_LETTER), 1);
            add(topics, existing, flux.getProperty(Names.Props.TOPIC_MAINTENANCE), 1);
            if (!topics.isEmpty()) {
                try {
                    admin.createTopics(topics).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private static void add(List<NewTopic> topics, Set<String> existing, String name, int partitions) {
        if (!existing.contains(name)) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
    }
}
