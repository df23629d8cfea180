package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import io.gamecrm.Names;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.cli.traffic.GameTraffic;
import io.gamecrm.cli.traffic.OfferResponse;
import io.gamecrm.cli.traffic.ResponseTally;
import io.gamecrm.json.Json;
import io.gamecrm.local.LocalStack;
import io.gamecrm.local.StackConfig;
import io.gamecrm.local.storm.LocalFluxTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof of issue 16: traffic with a known true effect goes through the real topology (the
 * production Flux file on a Storm LocalCluster, real Kafka and Cassandra), and the project's Spark
 * code ({@code crm analytics uplift}, Spark local, in a JVM of its own with the analytics
 * classpath, as {@code ./crm} runs it) finds that effect in Cassandra.
 *
 * <ul>
 *   <li>the topology exposes exactly the players, in exactly the groups, that the generator's model
 *       of the campaign predicts, and records exactly the conversions it made (campaign_exposures and
 *       campaign_conversions against {@link ResponseTally})</li>
 *   <li>with a true uplift of +10 pp (30% of treated players buy within the window, 20% of held-out
 *       ones) the 95% interval contains +10 pp and excludes 0</li>
 *   <li>with no true effect (25% in both groups) the interval contains 0: no significant uplift</li>
 * </ul>
 *
 * <p><b>Why neither assertion can fail by chance.</b> Nothing in a run is random at run time: the
 * traffic is {@link GameTraffic} with the fixed seed {@link #SEED} (16, the issue's number, chosen
 * before the first run and not changed after it), event times come from a fixed clock, group
 * membership is the topology's hash of campaign and player, and every decision of the campaign depends
 * on event time only (its one wall-clock cap, the budget, is set far above what a run reaches). So each run gives the same
 * counts and the same interval on every machine; each assertion is one fixed, documented draw, not a
 * fresh 5% chance per CI build. What the test proves beyond that draw is that the measured counts are
 * the simulated ones, exactly (first bullet). A change to the seed, the rates or the sizes is a new
 * draw and must be judged before it is committed (the numbers each run saw are logged).
 *
 * <p>Size: 4,000 players, 200,000 events per run, 150 ms of event time apart (8.3 h, within one UTC
 * day, so each player is exposed at most once and the per-player rates are the configured ones).
 * What seed 16 gives (2026-12-02, first run): with the effect, treated 410 of 1,290 converted
 * (31.8%), holdout 247 of 1,304 (18.9%): +12.84 pp, 95% CI [+9.53, +16.15]; without, 324 of 1,293
 * (25.1%) and 336 of 1,304 (25.8%): -0.71 pp, [-4.06, +2.64]; the second run gave the same. A run
 * takes 1.5 to 5 minutes on the 2-core machine (the topology 95 to 230 s, Spark 25 to 75 s), the
 * class 4.5 minutes when the machine is otherwise idle.
 */
class UpliftProofIT {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UpliftProofIT.class);
    static final long SEED = 16;
    static final int PLAYERS = 4000;
    static final int EVENTS = 200_000;
    static final long STEP_MS = 150;
    static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    static final String CAMPAIGN = "proof-offer";
    static final Duration DELAY = Duration.ofMinutes(30);

    /** The servers stop with this JVM when it started them. */
    static LocalStack stack;

    @BeforeAll
    static void servers() {
        stack = LocalStack.ensureRunning(StackConfig.fromSystemProperties());
    }

    @Test
    void aTrueUpliftOfTenPointsIsFoundWithAnIntervalThatContainsItAndExcludesZero(@TempDir Path dir)
            throws Exception {
        Result r = run("effect", dir, 0.30, 0.20);
        assertThat(r.uplift()).isCloseTo(10.0, org.assertj.core.api.Assertions.within(5.0));
        assertThat(r.low()).as("95%% CI low, pp").isLessThanOrEqualTo(10.0).isGreaterThan(0.0);
        assertThat(r.high()).as("95%% CI high, pp").isGreaterThanOrEqualTo(10.0);
    }

    @Test
    void noTrueEffectShowsNoSignificantUplift(@TempDir Path dir) throws Exception {
        Result r = run("null", dir, 0.25, 0.25);
        assertThat(r.low()).as("95%% CI low, pp").isLessThanOrEqualTo(0.0);
        assertThat(r.high()).as("95%% CI high, pp").isGreaterThanOrEqualTo(0.0);
    }

    /** The uplift of the treated group over the holdout, in percentage points, with its 95% interval. */
    record Result(double uplift, double low, double high) {
    }

    private static Result run(String name, Path dir, double treatedRate, double heldOutRate) throws Exception {
        long t0 = System.nanoTime();
        String id = "uplift" + name + UUID.randomUUID().toString().substring(0, 6);
        Path handlers = Files.createDirectories(dir.resolve("handlers"));
        Files.copy(Repo.handlers().resolve("fight-streak.js"), handlers.resolve("fight-streak.js"));
        try (var in = UpliftProofIT.class.getResourceAsStream("/uplift-proof/proof-offer.js")) {
            Files.copy(in, handlers.resolve("proof-offer.js"));
        }
        Properties flux = LocalSetup.ownNames(LocalSetup.fluxProperties(stack, handlers), id);
        LocalSetup.createTopics(flux, 2);

        // the response to the campaign as a CRM task loads it, through the options crm demo and crm load use
        ResponseOptions options = new ResponseOptions();
        options.campaign = CAMPAIGN;
        options.treatedRate = treatedRate;
        options.heldOutRate = heldOutRate;
        options.delay = DELAY;
        OfferResponse response = options.resolve(handlers, flux, msg -> {
            throw new AssertionError(msg);
        });
        assertThat(response.holdout()).isEqualTo(0.5);
        GameTraffic traffic = new GameTraffic(SEED, PLAYERS, 0, response);

        String raw = flux.getProperty(Names.Props.TOPIC_RAW);
        try (LocalFluxTopology topology = LocalFluxTopology.start(Repo.flux("crm-topology.yaml"), flux, Map.of())) {
            long sent = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = TrafficPump.producer(stack.kafkaBootstrap())) {
                for (int i = 0; i < EVENTS; i++) {
                    GameTraffic.Event e = traffic.next(START.plusMillis(i * STEP_MS));
                    producer.send(new ProducerRecord<>(raw, e.playerId(), e.json().getBytes(StandardCharsets.UTF_8)));
                }
            }
            log.info("{}: {} events sent in {} s; the generator's players: {}", name, EVENTS,
                    (System.nanoTime() - sent) / 1_000_000_000, traffic.tally());
            awaitCaughtUp(flux.getProperty(Names.Props.KAFKA_GROUP_ID), raw, Duration.ofMinutes(4));
            log.info("{}: topology caught up {} s after the start", name, (System.nanoTime() - t0) / 1_000_000_000);
        }

        ResponseTally expected = traffic.tally();
        assertThat(expected.exposed(Exposure.Group.TREATED)).isGreaterThan(1000);
        assertThat(expected.exposed(Exposure.Group.HOLDOUT)).isGreaterThan(1000);
        String keyspace = flux.getProperty(Names.Props.CASSANDRA_KEYSPACE);
        try (CqlSession cql = cql()) {
            Map<Exposure.Group, long[]> recorded = recorded(cql, keyspace);
            for (Exposure.Group g : List.of(Exposure.Group.TREATED, Exposure.Group.HOLDOUT)) {
                assertThat(recorded.get(g)).as("exposed and converted, " + g.label())
                        .containsExactly(expected.exposed(g), expected.converted(g));
            }
            assertThat(recorded).doesNotContainKey(Exposure.Group.HOLDOUT_GLOBAL);
        }

        Map<String, Object> holdoutRow = upliftRow(dir, keyspace);
        Result r = new Result(number(holdoutRow, "uplift_pp"), number(holdoutRow, "ci_low_pp"),
                number(holdoutRow, "ci_high_pp"));
        log.info("{}: true uplift {} pp; simulated {} (treated {} , holdout {}); measured {} pp, 95% CI [{}, {}]; run {} s",
                name, String.format(Locale.ROOT, "%+.1f", 100 * (treatedRate - heldOutRate)), expected,
                String.format(Locale.ROOT, "%.4f", expected.rate(Exposure.Group.TREATED)),
                String.format(Locale.ROOT, "%.4f", expected.rate(Exposure.Group.HOLDOUT)), r.uplift(), r.low(), r.high(),
                (System.nanoTime() - t0) / 1_000_000_000);
        try (CqlSession cql = cql()) {
            cql.execute("DROP KEYSPACE IF EXISTS " + keyspace);
        }
        return r;
    }

    /** A session for counting and dropping the run's keyspace (DDL takes longer than the driver's default 2 s). */
    private static CqlSession cql() {
        return CqlSession.builder().addContactPoint(stack.cassandraContactPoint())
                .withLocalDatacenter(stack.cassandraDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
                        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false).build())
                .build();
    }

    /** Waits until the topology's group has committed the end of every partition (acked: written to Cassandra). */
    private static void awaitCaughtUp(String group, String topic, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (var pi : admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
                latest.put(new TopicPartition(topic, pi.partition()), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new java.util.HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            while (System.nanoTime() < end) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                long behind = 0;
                for (var e : ends.entrySet()) {
                    OffsetAndMetadata om = committed.get(e.getKey());
                    behind += e.getValue() - (om == null ? 0 : om.offset());
                }
                if (behind == 0) {
                    return;
                }
                Thread.sleep(1000);
            }
            throw new AssertionError("the topology did not consume " + topic + " within " + timeout);
        }
    }

    /** Per group: [players exposed, players converted] as the topology recorded them. */
    private static Map<Exposure.Group, long[]> recorded(CqlSession cql, String keyspace) {
        Map<Exposure.Group, long[]> out = new EnumMap<>(Exposure.Group.class);
        for (LocalDate day = LocalDate.ofInstant(START, ZoneOffset.UTC);
             !day.isAfter(LocalDate.ofInstant(START.plusMillis(EVENTS * STEP_MS), ZoneOffset.UTC)); day = day.plusDays(1)) {
            for (String table : List.of("campaign_exposures", "campaign_conversions")) {
                for (Row row : cql.execute("SELECT exposure_group FROM " + keyspace + "." + table
                        + " WHERE campaign = ? AND day = ?", CAMPAIGN, day)) {
                    Exposure.Group g = Exposure.Group.valueOf(row.getString(0).toUpperCase(Locale.ROOT));
                    out.computeIfAbsent(g, k -> new long[2])[table.equals("campaign_exposures") ? 0 : 1]++;
                }
            }
        }
        return out;
    }

    /**
     * {@code crm analytics uplift --json} in a JVM of its own, as ./crm runs it (the analytics
     * module's classes and classpath, Spark's module flags), Spark local; the holdout's row.
     */
    private static Map<String, Object> upliftRow(Path dir, String keyspace) throws Exception {
        Path analytics = Repo.root().resolve("analytics");
        String cp = analytics.resolve("target/classes") + ":"
                + Files.readString(analytics.resolve("target/classpath.txt")).trim();
        LocalDate from = LocalDate.ofInstant(START, ZoneOffset.UTC);
        LocalDate to = LocalDate.ofInstant(START.plusMillis(EVENTS * STEP_MS), ZoneOffset.UTC);
        Path out = dir.resolve("uplift.json");
        Path err = dir.resolve("uplift.err");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + analytics.resolve("spark-java17.args"), "-Xmx1g", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + analytics.resolve("src/main/resources/crm-analytics-log4j2.xml"),
                "-Dcrm.log.file=" + dir.resolve("analytics.log"),
                "-cp", cp, "io.gamecrm.analytics.AnalyticsCli", "uplift", "--campaign", CAMPAIGN,
                "--from", from.toString(), "--to", to.toString(), "--json",
                "--properties", Repo.flux("local.properties").toString(),
                "--cassandra", stack.cassandraContactPoint().getHostString() + ":" + stack.cassandraContactPoint().getPort(),
                "--keyspace", keyspace, "--conf", "spark.ui.enabled=false"));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("crm analytics uplift did not finish within 3 minutes: " + Files.readString(err));
        }
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        log.info("crm analytics uplift answered in {} s", (System.nanoTime() - start) / 1_000_000_000);
        String json = Files.readAllLines(out).stream().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no JSON in " + safeRead(out)));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.readObject(json).get("rows");
        log.info("crm analytics uplift --json: {}", json);
        return rows.stream().filter(r -> "holdout".equals(r.get("group"))).findFirst()
                .orElseThrow(() -> new AssertionError("no holdout row in " + json));
    }

    private static double number(Map<String, Object> row, String column) {
        Object v = row.get(column);
        assertThat(v).as(column + " in " + row).isInstanceOf(Number.class);
        return ((Number) v).doubleValue();
    }

    private static String safeRead(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
