package io.gamecrm.it;

import com.datastax.oss.driver.api.core.CqlSession;
import io.gamecrm.Names;
import io.gamecrm.RepoPaths;
import io.gamecrm.local.LocalStack;
import io.gamecrm.local.StackConfig;
import io.gamecrm.local.storm.LocalFluxTopology;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The real servers of the integration tests: a local Kafka broker and Cassandra node (started once
 * per test JVM, or reused when already running), plus helpers to isolate each test run (own topics,
 * keyspace and consumer group) and to read what the topology wrote.
 */
public final class ItEnv {
    private static LocalStack stack;

    private ItEnv() {
    }

    public static synchronized LocalStack stack() {
        if (stack == null) {
            stack = LocalStack.ensureRunning(StackConfig.fromSystemProperties());
        }
        return stack;
    }

    /** Names of one test run: every topic, the keyspace and the group carry the run id. */
    public record Run(String id, String raw, String trigger, String deadLetter, String maintenance, String handlers,
                      String keyspace, String group) {
        public static Run create(String testName) {
            String id = testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "")
                    + UUID.randomUUID().toString().substring(0, 6);
            return new Run(id, "raw-" + id, "trigger-" + id, "dead-letter-" + id, "maintenance-" + id,
                    "handlers-" + id, "crm_" + id, "crm-" + id);
        }
    }

    /**
     * {@link #fluxProperties} with a copy of the shipped handlers in {@code dir} and one worker, as a file for
     * Flux's {@code --filter} (a submission to the multi-process cluster).
     */
    public static Path fluxPropertiesFile(Run run, Path dir) throws IOException {
        Properties p = fluxProperties(run, copyOfShippedHandlers(dir.resolve("handlers")));
        p.setProperty("storm.workers", "1");
        Path file = dir.resolve(run.id() + ".properties");
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(file)) {
            p.store(w, run.id());
        }
        return file;
    }

    private static Double shippedTanksHoldout;

    /**
     * Whether the shipped battle-tanks-offer offers to this player when he qualifies: not in its holdout (its
     * share as handlers-js declares it; the global holdout is off in the tests' properties).
     */
    public static synchronized boolean tanksOfferedTo(String player) {
        if (shippedTanksHoldout == null) {
            shippedTanksHoldout = io.gamecrm.handlers.HandlerSet.compile(io.gamecrm.handlers.HandlerDirectory.read(
                    io.gamecrm.RepoPaths.handlers())).set().campaigns().get("battle-tanks-offer").holdout();
        }
        return !io.gamecrm.campaign.Holdout.heldOut("battle-tanks-offer", player, shippedTanksHoldout);
    }

    /** flux/local.properties pointed at the local servers and this run's names. */
    public static Properties fluxProperties(Run run, Path handlersDir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(RepoPaths.flux().resolve("local.properties"))) {
            p.load(r);
        }
        p.setProperty(Names.Props.TOPOLOGY_NAME, "crm-" + run.id());
        p.setProperty(Names.Props.KAFKA_BOOTSTRAP, stack().kafkaBootstrap());
        p.setProperty(Names.Props.KAFKA_GROUP_ID, run.group());
        p.setProperty(Names.Props.TOPIC_RAW, run.raw());
        p.setProperty(Names.Props.TOPIC_TRIGGER, run.trigger());
        p.setProperty(Names.Props.TOPIC_DEAD_LETTER, run.deadLetter());
        p.setProperty(Names.Props.TOPIC_MAINTENANCE, run.maintenance());
        p.setProperty(Names.Props.TOPIC_HANDLERS, run.handlers());
        p.setProperty(Names.Props.CASSANDRA_CONTACT_POINTS,
                stack().cassandraContactPoint().getHostString() + ":" + stack().cassandraContactPoint().getPort());
        p.setProperty(Names.Props.CASSANDRA_DATACENTER, stack().cassandraDatacenter());
        p.setProperty(Names.Props.CASSANDRA_KEYSPACE, run.keyspace());
        p.setProperty(Names.Props.HANDLERS_DIR, handlersDir.toAbsolutePath().toString());
        return p;
    }

    public static void createTopics(Run run, int rawPartitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack().kafkaBootstrap()))) {
            List<NewTopic> topics = List.of(new NewTopic(run.raw(), rawPartitions, (short) 1),
                    new NewTopic(run.trigger(), 2, (short) 1), new NewTopic(run.deadLetter(), 1, (short) 1),
                    new NewTopic(run.maintenance(), 1, (short) 1));
            try {
                admin.createTopics(topics).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Starts the production Flux file on a LocalCluster for a run: its topics (the raw topic with
     * the given partitions), a copy of the shipped handlers under {@code temp}.
     */
    public static LocalFluxTopology startShippedTopology(Run run, Path temp, int rawPartitions)
            throws Exception {
        stack();
        createTopics(run, rawPartitions);
        Path handlers = copyOfShippedHandlers(temp.resolve("handlers"));
        return LocalFluxTopology.start(RepoPaths.flux().resolve("crm-topology.yaml"),
                fluxProperties(run, handlers), Map.of());
    }

    public static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack().kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    public static void send(KafkaProducer<String, byte[]> producer, String topic, String key, String value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8))).get();
    }

    /** Every record of a topic from its beginning, read until {@code done} holds or the timeout passes. */
    public static List<ConsumerRecord<String, String>> readUntil(String topic, Duration timeout,
                                                                 Predicate<List<ConsumerRecord<String, String>>> done) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack().kafkaBootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(out)) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Stops the local Cassandra node (SIGTERM, waits for it to exit). */
    public static void stopCassandra() {
        long pid = recordedPid(io.gamecrm.local.Server.CASSANDRA);
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            p.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
        });
    }

    /** Starts the local Cassandra node again on its data (after {@link #stopCassandra()}). */
    public static LocalStack startCassandra() {
        return start(io.gamecrm.local.Server.CASSANDRA);
    }

    /** Starts a local server again on its data (after it was stopped or killed). */
    public static LocalStack start(io.gamecrm.local.Server server) {
        return LocalStack.ensureRunning(stack().config(), java.util.EnumSet.of(server), false);
    }

    /**
     * {@code kill -9} of a local server (its recorded process, which may be a later one than the stack first
     * started), and waits until it is gone.
     *
     * @return the pid killed
     */
    public static long kill9(io.gamecrm.local.Server server) {
        long pid = recordedPid(server);
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
        });
        return pid;
    }

    /** The pid the stack's state file records for a server now (a restart records a new one). */
    private static long recordedPid(io.gamecrm.local.Server server) {
        return LocalStack.status(stack().config()).stream().filter(s -> s.server() == server && s.pid().isPresent())
                .findFirst().map(s -> s.pid().getAsLong())
                .orElseThrow(() -> new IllegalStateException(server + " has no recorded process"));
    }

    /** Moves a consumer group back to the start of a topic (the group must have no member). */
    public static void resetGroupToEarliest(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack().kafkaBootstrap()))) {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets = new java.util.HashMap<>();
            for (var pi : admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
                offsets.put(new TopicPartition(topic, pi.partition()), new org.apache.kafka.clients.consumer.OffsetAndMetadata(0));
            }
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        }
    }

    /** Whether the group has committed the end of every partition of the topic. */
    public static boolean caughtUp(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack().kafkaBootstrap()));
             KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack().kafkaBootstrap()), new StringDeserializer(),
                     new StringDeserializer())) {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            for (TopicPartition tp : parts) {
                var om = committed.get(tp);
                if (ends.get(tp) > 0 && (om == null || om.offset() < ends.get(tp))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A new keyspace with the schema on the local node, and store settings pointing at it. */
    public static io.gamecrm.profile.CassandraSettings freshKeyspace(CqlSession session, String prefix) {
        String keyspace = prefix + "_" + java.util.UUID.randomUUID().toString().substring(0, 8);
        io.gamecrm.profile.CqlSchema.apply(session, keyspace, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
        return new io.gamecrm.profile.CassandraSettings(stack().cassandraContactPoint().getHostString() + ":"
                + stack().cassandraContactPoint().getPort(), stack().cassandraDatacenter(), keyspace);
    }

    public static CqlSession cql() {
        return CqlSession.builder().addContactPoint(stack().cassandraContactPoint())
                .withLocalDatacenter(stack().cassandraDatacenter()).build();
    }

    /** A copy of handlers-js/ in a temporary folder, so a test may change handler files freely. */
    public static Path copyOfShippedHandlers(Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(RepoPaths.handlers())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".js")).toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }
}
