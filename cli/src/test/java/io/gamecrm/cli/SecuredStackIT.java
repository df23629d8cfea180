package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamecrm.Names;
import io.gamecrm.access.ClusterAccess;
import io.gamecrm.access.ClusterAccessException;
import io.gamecrm.access.ClusterAccessException.Problem;
import io.gamecrm.cli.traffic.BobStory;
import io.gamecrm.cli.traffic.GameTraffic;
import io.gamecrm.gateway.client.GatewayClient;
import io.gamecrm.local.LocalStack;
import io.gamecrm.local.LocalTls;
import io.gamecrm.local.StackConfig;
import io.gamecrm.local.StackSecurity;
import io.gamecrm.local.StackSecurity.Credentials;
import io.gamecrm.local.storm.LocalFluxTopology;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real security, end to end: a local stack started secured by the launcher ({@link StackSecurity}: Kafka's
 * client listener SASL_SSL with PLAIN, a certificate made with keytool; Cassandra with PasswordAuthenticator,
 * CassandraAuthorizer and the non-default role {@code crm_app}), one start for the class. The properties file
 * is flux/local.properties with the keys of flux/secured.properties.in filled in (the README shows that file).
 * <ul>
 *   <li>the topology (LocalCluster), the ingest gateway (a child JVM: its producer), the trigger consumer and
 *       {@code crm load} / {@code crm query why} connect with the configured credentials;</li>
 *   <li>a wrong password, a missing login, a PLAINTEXT client and a trust store that does not trust the broker
 *       each end in one typed {@link ClusterAccessException} at start, and {@code crm} exits 1 saying which
 *       properties to check.</li>
 * </ul>
 * Ports: the configured stack's plus {@value #PORT_OFFSET} (override with {@code -Dcrm.it.secured.port.offset}).
 */
class SecuredStackIT {
    static final int PORT_OFFSET = 10;
    private static final Duration QUICK = Duration.ofSeconds(8);

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private static LocalStack stack;
    private static Properties secured;
    private static Path securedFile;
    private static String kafkaPassword;

    @BeforeAll
    static void startSecuredStack(@TempDir Path dir) throws Exception {
        StackConfig plain = StackConfig.fromSystemProperties();
        int offset = Integer.getInteger("crm.it.secured.port.offset", PORT_OFFSET);
        StackConfig.Ports p = plain.ports();
        kafkaPassword = password();
        StackConfig cfg = plain.withBaseDir(plain.baseDir().resolveSibling(plain.baseDir().getFileName() + "-secured"))
                .withPorts(new StackConfig.Ports(p.kafka() + offset, p.kafkaController() + offset,
                        p.cassandra() + offset, p.cassandraStorage() + offset, p.cassandraJmx() + offset))
                .withSecurity(StackSecurity.of(new Credentials("crm", kafkaPassword),
                        new Credentials("crm_app", password()), password()));
        stack = LocalStack.ensureRunning(cfg);

        String run = UUID.randomUUID().toString().substring(0, 8);
        secured = securedProperties(cfg, run);
        secured.setProperty(Names.Props.HANDLERS_DIR, Repo.handlers().toAbsolutePath().toString());
        securedFile = dir.resolve("secured.properties");
        try (var w = Files.newBufferedWriter(securedFile)) {
            secured.store(w, "flux/local.properties with the keys of flux/secured.properties.in (SecuredStackIT)");
        }
    }

    @AfterAll
    static void stopSecuredStack() {
        if (stack != null) {
            stack.close();
        }
    }

    /** flux/local.properties with the keys of flux/secured.properties.in, filled in, and this run's names. */
    private static Properties securedProperties(StackConfig cfg, String run) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Repo.flux("local.properties"))) {
            p.load(r);
        }
        String template = Files.readString(Repo.flux("secured.properties.in"), StandardCharsets.UTF_8)
                .replace("@KAFKA_BOOTSTRAP@", stack.kafkaBootstrap())
                .replace("@KAFKA_PASSWORD@", kafkaPassword)
                .replace("@TRUST_STORE@", LocalTls.trustStore(cfg).toString())
                .replace("@TRUST_STORE_PASSWORD@", cfg.security().storePassword())
                .replace("@CASSANDRA_CONTACT_POINT@", stack.cassandraContactPoint().getHostString() + ":"
                        + stack.cassandraContactPoint().getPort())
                .replace("@CASSANDRA_PASSWORD@", cfg.security().cassandra().orElseThrow().password());
        assertThat(template).doesNotContainPattern("@[A-Z_]+@");
        Properties keys = new Properties();
        keys.load(new StringReader(template));
        assertThat(p.stringPropertyNames()).as("the template only replaces keys of local.properties")
                .containsAll(keys.stringPropertyNames());
        p.putAll(keys);
        p.setProperty(Names.Props.TOPOLOGY_NAME, "crm-secured-" + run);
        p.setProperty(Names.Props.KAFKA_GROUP_ID, "crm-secured-" + run);
        for (String topic : List.of(Names.Props.TOPIC_RAW, Names.Props.TOPIC_TRIGGER, Names.Props.TOPIC_DEAD_LETTER,
                Names.Props.TOPIC_MAINTENANCE, Names.Props.TOPIC_HANDLERS)) {
            p.setProperty(topic, p.getProperty(topic) + "-" + run);
        }
        p.setProperty(Names.Props.CASSANDRA_KEYSPACE, "crm_secured_" + run);
        return p;
    }

    private static String password() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder("pw");
        for (int i = 0; i < 16; i++) {
            sb.append("abcdefghijkmnopqrstuvwxyz23456789".charAt(random.nextInt(33)));
        }
        return sb.toString();
    }

    @Test
    void theTopologyTheGatewayAndTheCliConnectWithTheConfiguredCredentials(@TempDir Path dir) throws Exception {
        ClusterAccess.check(secured);
        LocalSetup.createTopics(secured, 2);
        Properties client = ClusterAccess.kafkaClient(secured);
        String player = "bob-secured-" + UUID.randomUUID().toString().substring(0, 6);
        int crmTasks = Integer.parseInt(secured.getProperty("crm.crm.parallelism"));

        try (LocalFluxTopology topology = LocalFluxTopology.start(Repo.flux("crm-topology.yaml"), secured, Map.of())) {
            awaitRecords(client, secured.getProperty(Names.Props.TOPIC_MAINTENANCE), crmTasks,
                    v -> v.contains("\"component.started\"") && v.contains("CRM task started"), Duration.ofSeconds(120));
            try (GatewayProcess gateway = GatewayProcess.start(client, secured.getProperty(Names.Props.TOPIC_RAW),
                    GameTraffic.GAME, 0, dir.resolve("gateway.log"), List.of());
                 GatewayClient game = new GatewayClient(gateway.uri(), gateway.apiKey(),
                         GatewayClient.Settings.defaults(), r -> { })) {
                Instant start = Instant.now().minusSeconds(BobStory.STEPS.size());
                for (int i = 0; i < BobStory.STEPS.size(); i++) {
                    String json = BobStory.json(BobStory.STEPS.get(i), player, start.plusSeconds(i),
                            () -> UUID.randomUUID().toString());
                    assertThat(game.submit(json.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5))).isTrue();
                }
                assertThat(game.flush(Duration.ofSeconds(30))).isTrue();
                assertThat(game.accepted()).isEqualTo(BobStory.STEPS.size());
            }

            List<String> triggers = awaitRecords(client, secured.getProperty(Names.Props.TOPIC_TRIGGER), 1,
                    v -> v.contains(player) && v.contains("battle-tanks-offer"), Duration.ofSeconds(90));
            assertThat(triggers).as(() -> "no offer for " + player + "; raw: "
                    + awaitRecords(client, secured.getProperty(Names.Props.TOPIC_RAW), 100, v -> true, QUICK)
                    + "; dead letters: " + awaitRecords(client, secured.getProperty(Names.Props.TOPIC_DEAD_LETTER), 100,
                    v -> true, QUICK) + "; triggers: " + awaitRecords(client,
                    secured.getProperty(Names.Props.TOPIC_TRIGGER), 100, v -> true, QUICK)).hasSize(1);
        }

        assertThat(CrmCli.run("query", "why", player, "--properties", securedFile.toString()))
                .as(console.err()).isZero();
        assertThat(console.out()).contains("battle-tanks-offer");
        assertThat(CrmCli.run("load", "--properties", securedFile.toString(), "--rate", "50", "--duration", "1s",
                "--players", "5")).as(console.err()).isZero();
    }

    @Test
    void wrongOrMissingKafkaCredentialsFailAtStartWithATypedError() {
        Properties client = ClusterAccess.kafkaClient(secured);

        Properties wrongPassword = copy(client);
        wrongPassword.setProperty("sasl.jaas.config", StackSecurity.clientJaas(new Credentials("crm", "not-it")));
        assertProblem(() -> ClusterAccess.checkKafka(wrongPassword, QUICK), Problem.KAFKA_AUTHENTICATION,
                "refused the login", "kafka.sasl.jaas.config");

        Properties unknownUser = copy(client);
        unknownUser.setProperty("sasl.jaas.config", StackSecurity.clientJaas(new Credentials("mallory", kafkaPassword)));
        assertProblem(() -> ClusterAccess.checkKafka(unknownUser, QUICK), Problem.KAFKA_AUTHENTICATION,
                "refused the login");

        Properties noLogin = copy(client);
        noLogin.remove("sasl.jaas.config");
        assertProblem(() -> ClusterAccess.checkKafka(noLogin, QUICK), Problem.KAFKA_SETTINGS, "JAAS");

        Properties plaintext = new Properties();
        plaintext.setProperty("bootstrap.servers", client.getProperty("bootstrap.servers"));
        assertProblem(() -> ClusterAccess.checkKafka(plaintext, QUICK), Problem.KAFKA_UNREACHABLE,
                "did not answer within 8 s", "kafka.security.protocol");

        Properties untrusted = copy(client);
        untrusted.remove("ssl.truststore.location");
        untrusted.remove("ssl.truststore.password");
        assertProblem(() -> ClusterAccess.checkKafka(untrusted, QUICK), Problem.KAFKA_TLS,
                "TLS handshake failed", "kafka.ssl.truststore.location");
    }

    @Test
    void wrongOrMissingCassandraCredentialsFailAtStartWithATypedError() {
        Properties wrong = copy(secured);
        wrong.setProperty(Names.Props.CASSANDRA_PASSWORD, "not-it");
        assertProblem(() -> ClusterAccess.checkCassandra(ClusterAccess.cassandra(wrong)),
                Problem.CASSANDRA_AUTHENTICATION, "(as crm_app) refused the login", "cassandra.password");

        Properties missing = copy(secured);
        missing.setProperty(Names.Props.CASSANDRA_USERNAME, "");
        missing.setProperty(Names.Props.CASSANDRA_PASSWORD, "");
        assertProblem(() -> ClusterAccess.checkCassandra(ClusterAccess.cassandra(missing)),
                Problem.CASSANDRA_AUTHENTICATION, "(no login) refused the login", "cassandra.username");
    }

    @Test
    void crmCommandsWithWrongCredentialsExitSayingWhatToCheck(@TempDir Path dir) throws Exception {
        Properties wrongCassandra = copy(secured);
        wrongCassandra.setProperty(Names.Props.CASSANDRA_PASSWORD, "not-it");
        Path cassandraFile = write(dir.resolve("wrong-cassandra.properties"), wrongCassandra);
        Properties wrongKafka = copy(secured);
        wrongKafka.setProperty("kafka.sasl.jaas.config", StackSecurity.clientJaas(new Credentials("crm", "not-it")));
        Path kafkaFile = write(dir.resolve("wrong-kafka.properties"), wrongKafka);

        assertThat(CrmCli.run("query", "why", "bob", "--properties", cassandraFile.toString())).isEqualTo(1);
        assertThat(console.err()).contains("refused the login").contains("cassandra.password");
        console.resetErr();
        assertThat(CrmCli.run("load", "--properties", kafkaFile.toString(), "--rate", "10", "--duration", "1s"))
                .isEqualTo(1);
        assertThat(console.err()).contains("refused the login").contains("kafka.sasl.jaas.config");
    }

    private static void assertProblem(Runnable check, Problem problem, String... messageParts) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(ClusterAccessException.class, e -> {
            assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
            for (String part : messageParts) {
                assertThat(e.getMessage()).contains(part);
            }
        });
    }

    private static Properties copy(Properties p) {
        Properties c = new Properties();
        c.putAll(p);
        return c;
    }

    private static Path write(Path file, Properties p) throws IOException {
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    /** The values of a topic from its start that match, once {@code count} of them arrived (or the time is up). */
    private static List<String> awaitRecords(Properties client, String topic, int count,
                                             java.util.function.Predicate<String> matching, Duration timeout) {
        Properties p = copy(client);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && matching.test(r.value())) {
                        found.add(r.value());
                    }
                }
            }
        }
        return found;
    }
}
