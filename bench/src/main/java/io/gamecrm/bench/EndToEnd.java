package io.gamecrm.bench;

import io.gamecrm.Names;
import io.gamecrm.cli.LocalSetup;
import io.gamecrm.cli.traffic.GameTraffic;
import io.gamecrm.local.LocalStack;
import io.gamecrm.local.Server;
import io.gamecrm.local.storm.LocalFluxTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The end-to-end benchmark on the local servers. For a topology (the full CRM pipeline, or the
 * passthrough ceiling: same spout, topics, partitions and acking, nothing else):
 * <ol>
 *   <li><b>capacity</b>: a backlog of events is preloaded into the raw topic, the topology starts,
 *       and the rate at which its consumer group commits offsets over the middle of the drain is
 *       its maximum sustained throughput (above it, lag grows);</li>
 *   <li><b>latency at fixed rates</b>: events are produced at a fraction of that capacity with the
 *       send time as their timestamp, and the output is consumed: latency = receive time minus the
 *       cause event's timestamp (the trigger's {@code cause_event_time}, or the passed-through
 *       event's {@code timestamp}); the run also checks that the lag did not grow.</li>
 * </ol>
 */
public final class EndToEnd {
    /** What is measured and how long. */
    public record Plan(int backlogEvents, List<Double> rateFractions, Duration rateDuration, int players,
                       int rawPartitions, Map<String, String> overrides) {
    }

    /** Latency at one offered rate. */
    public record RateResult(double offeredPerSec, double achievedPerSec, long samples, double p50Ms, double p99Ms,
                             double p999Ms, double maxMs, long lagAfter, List<LatencyStages.Stage> stages,
                             Map<String, Double> cpuCores) {
    }

    /** One topology's results. */
    public record Result(String topology, double capacityPerSec, long backlog, double drainSeconds,
                         Map<String, Double> cpuCores, List<RateResult> rates) {
    }

    private final LocalStack stack;
    private final Path repo;
    private final Consumer<String> progress;

    public EndToEnd(LocalStack stack, Path repo, Consumer<String> progress) {
        this.stack = stack;
        this.repo = repo;
        this.progress = progress;
    }

    /** Measures one topology; {@code fluxFile} is flux/crm-topology.yaml or bench/flux/passthrough.yaml. */
    public Result measure(String label, Path fluxFile, Plan plan) throws Exception {
        String id = label + Long.toHexString(System.currentTimeMillis() & 0xffffff);
        Path handlers = java.nio.file.Files.createTempDirectory("bench-handlers");
        for (Path dir : List.of(repo.resolve("handlers-js"), repo.resolve("bench/handlers"))) {
            try (var files = java.nio.file.Files.list(dir)) {
                for (Path f : files.filter(x -> x.toString().endsWith(".js")).toList()) {
                    java.nio.file.Files.copy(f, handlers.resolve(f.getFileName()));
                }
            }
        }
        Properties props = LocalSetup.ownNames(LocalSetup.fluxProperties(stack, handlers), "bench-" + id);
        plan.overrides().forEach(props::setProperty);
        String bootstrap = stack.kafkaBootstrap();
        String raw = props.getProperty(Names.Props.TOPIC_RAW);
        String out = props.getProperty(Names.Props.TOPIC_TRIGGER);
        createTopics(bootstrap, props, plan.rawPartitions());

        progress.accept(label + ": preloading " + plan.backlogEvents() + " events");
        GameTraffic traffic = new GameTraffic(42, plan.players(), 0);
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            Instant t = Instant.now();
            for (int i = 0; i < plan.backlogEvents(); i++) {
                GameTraffic.Event e = traffic.next(t);
                producer.send(new ProducerRecord<>(raw, e.playerId(), e.json().getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        progress.accept(label + ": starting the topology and draining the backlog");
        List<RateResult> rates = new ArrayList<>();
        double capacity;
        long drainStart;
        double drainSeconds;
        Map<String, Double> cpuCores = Map.of();
        try (LocalFluxTopology topology = LocalFluxTopology.start(fluxFile, props, Map.of());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            String group = props.getProperty(Names.Props.KAFKA_GROUP_ID);
            long total = plan.backlogEvents();
            long t20 = 0;
            long c20 = 0;
            long t95 = 0;
            long c95 = 0;
            drainStart = System.nanoTime();
            long deadline = drainStart + Duration.ofMinutes(20).toNanos();
            long lastPrint = 0;
            CpuMeter cpu = cpuMeter();
            while (System.nanoTime() < deadline) {
                long committed = committed(admin, group);
                long now = System.nanoTime();
                if (t20 == 0 && committed >= total * 0.2) {
                    t20 = now;
                    c20 = committed;
                    cpu.start();
                }
                if (committed >= total * 0.95) {
                    t95 = now;
                    c95 = committed;
                    if (t20 != 0) {
                        cpuCores = cpu.stop();
                    }
                    break;
                }
                if (now - lastPrint > 5_000_000_000L) {
                    progress.accept(String.format("%s: drained %,d of %,d", label, committed, total));
                    lastPrint = now;
                }
                Thread.sleep(250);
            }
            if (t95 == 0 || t20 == 0 || t95 == t20) {
                throw new IllegalStateException(label + ": the backlog did not drain within 20 minutes");
            }
            capacity = (c95 - c20) / ((t95 - t20) / 1e9);
            drainSeconds = (t95 - drainStart) / 1e9;
            progress.accept(String.format("%s: capacity %,.0f events/s (drained 20%%..95%% of the backlog); CPU cores used then: %s",
                    label, capacity, cpuCores));
            // let the rest of the backlog drain before measuring latency
            while (committed(admin, group) < total && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            for (double fraction : plan.rateFractions()) {
                double rate = fraction * capacity;
                rates.add(atRate(label, bootstrap, raw, out, group, admin, traffic, rate, plan.rateDuration()));
            }
        }
        deleteTopics(bootstrap, props);
        return new Result(label, capacity, plan.backlogEvents(), drainSeconds, cpuCores, rates);
    }

    private RateResult atRate(String label, String bootstrap, String raw, String out, String group, Admin admin,
                              GameTraffic traffic, double rate, Duration duration) throws Exception {
        progress.accept(String.format("%s: %,.0f events/s for %d s", label, rate, duration.toSeconds()));
        LatencyStages latency = new LatencyStages();
        AtomicBoolean consuming = new AtomicBoolean(true);
        long windowStart = System.currentTimeMillis();
        Thread consumer = new Thread(() -> consume(bootstrap, out, windowStart, latency, consuming), "bench-consumer");
        long producedBefore = endOffsets(bootstrap, raw);
        long committedBefore = committed(admin, group);
        consumer.start();
        Thread.sleep(1000); // the consumer is positioned at the end
        long sent = 0;
        CpuMeter cpu = cpuMeter();
        cpu.start();
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            double nanosPer = 1e9 / rate;
            while (System.nanoTime() < end) {
                long due = start + (long) (sent * nanosPer);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(Math.min(wait, 10_000_000L));
                    continue;
                }
                GameTraffic.Event e = traffic.next(Instant.now());
                producer.send(new ProducerRecord<>(raw, e.playerId(), e.json().getBytes(StandardCharsets.UTF_8)));
                sent++;
            }
            producer.flush();
        }
        Map<String, Double> cores = cpu.stop();
        long lagAtEnd = (producedBefore + sent) - committed(admin, group);
        double achieved = (committed(admin, group) - committedBefore) / (double) duration.toSeconds();
        Thread.sleep(3000); // the last outputs arrive
        consuming.set(false);
        consumer.join();
        RateResult r = new RateResult(rate, achieved, latency.count(), latency.totalMs(50), latency.totalMs(99),
                latency.totalMs(99.9), latency.maxMs(), lagAtEnd, latency.stages(), cores);
        progress.accept(String.format("%s:   %,d samples  p50 %.1f ms  p99 %.1f ms  p99.9 %.1f ms  (lag at the end %,d)"
                + "; CPU cores used (the benchmark's producer and consumer are in the Storm JVM): %s",
                label, r.samples(), r.p50Ms(), r.p99Ms(), r.p999Ms(), r.lagAfter(), cores));
        for (LatencyStages.Stage st : r.stages()) {
            progress.accept(String.format("%s:     %-26s p50 %6.1f ms  p99 %6.1f ms", label, st.name(), st.p50Ms(), st.p99Ms()));
        }
        return r;
    }

    private static void consume(String bootstrap, String topic, long windowStartMs, LatencyStages latency,
                                AtomicBoolean running) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                // a new record comes back at once (fetch.min.bytes 1); a short wait would only make the broker
                // answer hundreds of empty fetches a second, CPU taken from what is measured
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            c.assign(parts);
            c.seekToEnd(parts);
            parts.forEach(c::position);
            while (running.get()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime() / 1000 - NANO_TO_EPOCH_MICROS;
                    LatencyStages.Sample sample = LatencyStages.split(r.value(), r.timestamp(), now);
                    if (sample == null || sample.sentMicros() < windowStartMs * 1000) {
                        continue; // not a measured event's output, or one of the backlog's
                    }
                    latency.record(sample);
                }
            }
        }
    }

    /** System.nanoTime() in microseconds minus this, is the wall clock in epoch microseconds. */
    private static final long NANO_TO_EPOCH_MICROS = System.nanoTime() / 1000
            - (Instant.now().getEpochSecond() * 1_000_000L + Instant.now().getNano() / 1000);

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 2, ProducerConfig.BATCH_SIZE_CONFIG, 131072,
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void createTopics(String bootstrap, Properties props, int rawPartitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // the broker stamps the raw and output records: the latency stages use those times (LatencyStages)
            Map<String, String> appendTime = Map.of("message.timestamp.type", "LogAppendTime");
            admin.createTopics(List.of(
                    new NewTopic(props.getProperty(Names.Props.TOPIC_RAW), rawPartitions, (short) 1).configs(appendTime),
                    new NewTopic(props.getProperty(Names.Props.TOPIC_TRIGGER), rawPartitions, (short) 1).configs(appendTime),
                    new NewTopic(props.getProperty(Names.Props.TOPIC_DEAD_LETTER), 1, (short) 1),
                    new NewTopic(props.getProperty(Names.Props.TOPIC_MAINTENANCE), 1, (short) 1))).all().get();
        }
    }

    private static void deleteTopics(String bootstrap, Properties props) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(List.of(props.getProperty(Names.Props.TOPIC_RAW), props.getProperty(Names.Props.TOPIC_TRIGGER),
                    props.getProperty(Names.Props.TOPIC_DEAD_LETTER), props.getProperty(Names.Props.TOPIC_MAINTENANCE),
                    props.getProperty(Names.Props.TOPIC_HANDLERS))).all().get();
        } catch (Exception e) {
            // the disk is only a bench's scratch space
        }
    }

    private static long committed(Admin admin, String group) throws Exception {
        long sum = 0;
        for (var om : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values()) {
            if (om != null) {
                sum += om.offset();
            }
        }
        return sum;
    }

    private static long endOffsets(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            return ends.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The Storm JVM is this one (LocalCluster); Kafka and Cassandra are the stack's child processes. */
    private CpuMeter cpuMeter() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("storm_jvm", ProcessHandle.current().pid());
        pids.put("kafka", stack.pid(Server.KAFKA));
        pids.put("cassandra", stack.pid(Server.CASSANDRA));
        return new CpuMeter(pids);
    }

    /** The results as plain maps, for JSON. */
    public static Map<String, Object> toMap(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topology", r.topology());
        m.put("capacity_events_per_sec", Math.round(r.capacityPerSec()));
        m.put("backlog_events", r.backlog());
        m.put("drain_seconds", Math.round(r.drainSeconds() * 10) / 10.0);
        m.put("cpu_cores_during_capacity", r.cpuCores());
        List<Map<String, Object>> rates = new ArrayList<>();
        for (RateResult x : r.rates()) {
            Map<String, Object> rm = new HashMap<>();
            rm.put("offered_events_per_sec", Math.round(x.offeredPerSec()));
            rm.put("achieved_events_per_sec", Math.round(x.achievedPerSec()));
            rm.put("samples", x.samples());
            rm.put("p50_ms", round(x.p50Ms()));
            rm.put("p99_ms", round(x.p99Ms()));
            rm.put("p999_ms", round(x.p999Ms()));
            rm.put("max_ms", round(x.maxMs()));
            rm.put("lag_at_end", x.lagAfter());
            Map<String, Object> stages = new LinkedHashMap<>();
            x.stages().forEach(st -> {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("p50_ms", round(st.p50Ms()));
                sm.put("p99_ms", round(st.p99Ms()));
                stages.put(st.name(), sm);
            });
            rm.put("stages", stages);
            rm.put("cpu_cores", x.cpuCores());
            rates.add(new LinkedHashMap<>(new java.util.TreeMap<>(rm)));
        }
        m.put("fixed_rates", rates);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
