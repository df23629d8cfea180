package io.gamecrm.local;

import static io.gamecrm.local.ItReport.rssMb;
import static io.gamecrm.local.ItReport.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starts a real Kafka broker and Cassandra node, uses them with the real clients, checks reuse and shutdown.
 *
 * <p>Runs in its own base dir ({@code target/local-servers-it} of this module) and on its own ports, so it
 * neither disturbs nor reuses a stack started with the defaults (e.g. by {@code crm servers start}).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LocalStackIT {
    private static final ItReport REPORT = new ItReport(LocalStackIT.class);

    private final StackConfig cfg = StackConfig.fromSystemProperties()
            .withBaseDir(Path.of("target", "local-servers-it").toAbsolutePath())
            .withPorts(new StackConfig.Ports(19192, 19193, 19142, 17100, 17299));

    @Test
    void startsUsesReusesAndStopsBothServers() throws Exception {
        LocalStack.stopFromStateFile(cfg, StackListener.NONE); // leftovers of an aborted earlier run
        boolean freshData = !Files.isDirectory(cfg.kafkaDir().resolve("data"));
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        StackListener listener = progress::add;
        long kafkaPid;
        long cassandraPid;

        long t0 = System.nanoTime();
        try (LocalStack stack = LocalStack.ensureRunning(cfg, EnumSet.allOf(Server.class), false,
                listener.andThen(StackListener.logging()))) {
            REPORT.line("both servers ready in %.1f s (%s data)", seconds(t0), freshData ? "fresh" : "existing");
            kafkaPid = stack.pid(Server.KAFKA);
            cassandraPid = stack.pid(Server.CASSANDRA);
            REPORT.line("resident memory: Kafka %d MB, Cassandra %d MB", rssMb(kafkaPid), rssMb(cassandraPid));

            assertThat(stack.owned()).isTrue();
            assertThat(stack.owned(Server.KAFKA)).isTrue();
            assertThat(stack.owned(Server.CASSANDRA)).isTrue();
            assertThat(stack.kafkaBootstrap()).isEqualTo("127.0.0.1:19192");
            assertThat(stack.cassandraContactPoint()).isEqualTo(new InetSocketAddress("127.0.0.1", 19142));
            assertThat(stack.cassandraDatacenter()).isEqualTo("datacenter1");
            assertThat(stack.logDir().resolve("kafka.log")).content().contains("Kafka Server started");
            assertThat(progress).anyMatch(m -> m.startsWith("starting Kafka on 127.0.0.1:19192 (log: "))
                    .anyMatch(m -> m.startsWith("Kafka ready in "))
                    .anyMatch(m -> m.startsWith("Cassandra ready in "));

            long t1 = System.nanoTime();
            assertThat(kafkaRoundTrip(stack.kafkaBootstrap())).isEqualTo("hello");
            REPORT.line("Kafka topic + produce + consume in %.1f s", seconds(t1));
            long t2 = System.nanoTime();
            assertThat(cassandraReleaseVersion(stack)).startsWith("5.0.");
            REPORT.line("Cassandra session + query in %.1f s", seconds(t2));

            long t3 = System.nanoTime();
            try (LocalStack again = LocalStack.ensureRunning(cfg, EnumSet.allOf(Server.class), false, listener)) {
                REPORT.line("second ensureRunning (reuse) in %.2f s", seconds(t3));
                assertThat(again.owned()).isFalse();
                assertThat(again.pid(Server.KAFKA)).isEqualTo(kafkaPid);
                assertThat(again.pid(Server.CASSANDRA)).isEqualTo(cassandraPid);
                assertThat(again.kafkaBootstrap()).isEqualTo(stack.kafkaBootstrap());
            }
            // closing the reusing instance stopped nothing
            assertThat(isAlive(kafkaPid)).isTrue();
            assertThat(isAlive(cassandraPid)).isTrue();
            assertThat(LocalStack.status(cfg)).allMatch(ServerStatus::running);
            t0 = System.nanoTime();
        }
        REPORT.line("close() stopped both servers in %.1f s", seconds(t0));

        assertThat(isAlive(kafkaPid)).isFalse();
        assertThat(isAlive(cassandraPid)).isFalse();
        assertThat(isOpen(cfg.ports().kafka())).isFalse();
        assertThat(isOpen(cfg.ports().cassandra())).isFalse();
        assertThat(cfg.stateFile()).doesNotExist();
        assertThat(LocalStack.status(cfg)).noneMatch(ServerStatus::running);
    }

    private static String kafkaRoundTrip(String bootstrap) throws Exception {
        String topic = "it-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "player-1", "hello")).get(30, TimeUnit.SECONDS);
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(r.key()).isEqualTo("player-1");
                    return r.value();
                }
            }
        }
        return null;
    }

    private static String cassandraReleaseVersion(LocalStack stack) {
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(stack.cassandraContactPoint())
                .withLocalDatacenter(stack.cassandraDatacenter())
                .build()) {
            Row row = session.execute("SELECT release_version FROM system.local").one();
            return row.getString("release_version");
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean isOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
