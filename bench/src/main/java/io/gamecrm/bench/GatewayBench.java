package io.gamecrm.bench;

import io.gamecrm.cli.GatewayProcess;
import io.gamecrm.cli.traffic.GameTraffic;
import io.gamecrm.gateway.client.GatewayResponse;
import io.gamecrm.gateway.client.HttpTransport;
import io.gamecrm.local.LocalStack;
import io.gamecrm.local.Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ingest gateway against its ceiling, a plain Kafka producer with the gateway's own producer
 * settings (acks=all, idempotent, linger 1 ms), sending the same kind of events to the same local
 * broker in the same run. The gateway runs as its own JVM (as in production and in the demo); the
 * load comes from this JVM over HTTP/1.1 (the game-side client's transport).
 *
 * <ol>
 *   <li>Capacity (closed loop, as fast as it goes): the producer; the gateway with batches
 *       ({@code batchSize} events a request, {@code concurrency} requests at a time); the gateway with
 *       one event a request ({@code singleConcurrency} at a time).</li>
 *   <li>Latency at fixed rates (open loop, measured from each request's scheduled time, so a stall
 *       counts against it): single-event requests, batched requests, and the producer's send → ack.</li>
 * </ol>
 * Every event is new (a fresh event id): the gateway never answers one from its recent-ids cache.
 */
final class GatewayBench {
    record Plan(int events, int batchSize, int concurrency, int singleConcurrency, Duration singleSeconds,
                List<Integer> singleRates, List<Integer> batchRates, Duration rateSeconds, int partitions, Duration warmUp) {
    }

    record Capacity(String mode, long events, long requests, double seconds, double eventsPerSec, long errors,
                    Map<String, Double> cpuCores) {
    }

    record Latency(String mode, int offeredEventsPerSec, int eventsPerRequest, double achievedEventsPerSec, long requests,
                   long errors, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                   Map<String, Double> cpuCores) {
    }

    record Result(List<Capacity> capacity, List<Latency> latency) {
    }

    private final LocalStack stack;
    private final Consumer<String> out;
    private final GameTraffic traffic = new GameTraffic(7, 100_000, 0);

    GatewayBench(LocalStack stack, Consumer<String> out) {
        this.stack = stack;
        this.out = out;
    }

    Result run(Plan plan, Path logDir) throws Exception {
        String topic = "bench-gateway-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, plan.partitions(), (short) 1))).all().get();
        }
        out.accept("topic " + topic + " (" + plan.partitions() + " partitions); starting the gateway");
        List<Capacity> capacity = new ArrayList<>();
        List<Latency> latency = new ArrayList<>();
        try (GatewayProcess gw = GatewayProcess.start(stack.kafkaBootstrap(), topic, GameTraffic.GAME, 0,
                logDir.resolve("gateway-bench.log"), gatewayJvmOptions());
             KafkaProducer<String, byte[]> producer = producer(stack.kafkaBootstrap())) {
            HttpTransport http = new HttpTransport(gw.uri(), gw.apiKey(), Duration.ofSeconds(30));
            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put("gateway", gw.pid());
            pids.put("kafka", stack.pid(Server.KAFKA));
            pids.put("load generator", ProcessHandle.current().pid());

            // the gateway's C2 compiler works for minutes on Jetty's and Jersey's deep call paths when it
            // has half a core: the warm-up runs each kind of request until then (a gateway runs for days)
            out.accept("warm-up (not recorded, about " + plan.warmUp().toSeconds() + " s)");
            producerCapacity(producer, topic, events(Math.min(100_000, plan.events())), pids);
            long warmUntil = System.nanoTime() + plan.warmUp().toNanos();
            while (System.nanoTime() < warmUntil) {
                gatewayCapacity(http, "warm-up", events(50_000), plan.batchSize(), plan.concurrency(), pids);
                gatewaySingleCapacity(http, plan.singleConcurrency(), Duration.ofSeconds(15), pids);
            }

            capacity.add(report(producerCapacity(producer, topic, events(plan.events()), pids)));
            capacity.add(report(gatewayCapacity(http, "gateway-batched", events(plan.events()), plan.batchSize(),
                    plan.concurrency(), pids)));
            capacity.add(report(gatewaySingleCapacity(http, plan.singleConcurrency(), plan.singleSeconds(), pids)));
            for (int rate : plan.singleRates()) {
                latency.add(report(openLoop(http, producer, topic, "gateway-single", rate, 1, plan.rateSeconds(), pids)));
            }
            for (int rate : plan.batchRates()) {
                latency.add(report(openLoop(http, producer, topic, "gateway-batched", rate, plan.batchSize(),
                        plan.rateSeconds(), pids)));
            }
            List<Integer> producerRates = new ArrayList<>(plan.singleRates());
            producerRates.addAll(plan.batchRates());
            for (int rate : producerRates.stream().distinct().sorted().toList()) {
                latency.add(report(openLoop(http, producer, topic, "producer", rate, 1, plan.rateSeconds(), pids)));
            }
        } finally {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                out.accept("could not delete " + topic + ": " + e);
            }
        }
        return new Result(capacity, latency);
    }

    /** The gateway JVM's options: a fixed heap, plus $CRM_GATEWAY_JAVA_OPTS (e.g. to record a JFR profile). */
    static List<String> gatewayJvmOptions() {
        List<String> o = new ArrayList<>(List.of("-Xms512m", "-Xmx512m"));
        String extra = System.getenv("CRM_GATEWAY_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            o.addAll(List.of(extra.trim().split("\\s+")));
        }
        return o;
    }

    /** The gateway's producer settings (gateway/server KafkaSettings), for the ceiling. */
    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5, ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20), new StringSerializer(), new ByteArraySerializer());
    }

    private List<GameTraffic.Event> events(int n) {
        Instant now = Instant.now();
        List<GameTraffic.Event> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(traffic.next(now));
        }
        return list;
    }

    private byte[] bytes(GameTraffic.Event e) {
        return e.json().getBytes(StandardCharsets.UTF_8);
    }

    private Capacity producerCapacity(KafkaProducer<String, byte[]> producer, String topic, List<GameTraffic.Event> events,
                                      Map<String, Long> pids) throws InterruptedException {
        CpuMeter cpu = new CpuMeter(pids);
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(events.size());
        cpu.start();
        long start = System.nanoTime();
        for (GameTraffic.Event e : events) {
            producer.send(new ProducerRecord<>(topic, e.playerId(), bytes(e)), (md, ex) -> {
                if (ex != null) {
                    errors.incrementAndGet();
                }
                done.countDown();
            });
        }
        done.await(10, TimeUnit.MINUTES);
        double secs = (System.nanoTime() - start) / 1e9;
        return new Capacity("producer", events.size(), 0, round(secs), round(events.size() / secs), errors.get(), cpu.stop());
    }

    private Capacity gatewayCapacity(HttpTransport http, String mode, List<GameTraffic.Event> events, int batchSize,
                                     int concurrency, Map<String, Long> pids) throws Exception {
        List<List<byte[]>> batches = new ArrayList<>();
        for (int i = 0; i < events.size(); i += batchSize) {
            batches.add(events.subList(i, Math.min(events.size(), i + batchSize)).stream().map(this::bytes).toList());
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        CpuMeter cpu = new CpuMeter(pids);
        cpu.start();
        long start = System.nanoTime();
        onThreads(concurrency, "bench-batch", () -> {
            int i;
            while ((i = next.getAndIncrement()) < batches.size()) {
                List<byte[]> b = batches.get(i);
                try {
                    GatewayResponse r = http.post(b);
                    requests.incrementAndGet();
                    if (r.status() != 202) {
                        errors.addAndGet(b.size());
                    } else {
                        errors.addAndGet(r.outcomes().stream().filter(o -> !o.accepted()).count());
                    }
                } catch (Exception e) {
                    errors.addAndGet(b.size());
                }
            }
        });
        double secs = (System.nanoTime() - start) / 1e9;
        return new Capacity(mode, events.size(), requests.get(), round(secs), round(events.size() / secs), errors.get(),
                cpu.stop());
    }

    private Capacity gatewaySingleCapacity(HttpTransport http, int concurrency, Duration duration, Map<String, Long> pids)
            throws Exception {
        List<GameTraffic.Event> pool = events(300_000);
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        CpuMeter cpu = new CpuMeter(pids);
        cpu.start();
        long start = System.nanoTime();
        onThreads(concurrency, "bench-single", () -> {
            int i;
            while (System.nanoTime() < end && (i = next.getAndIncrement()) < pool.size()) {
                try {
                    if (http.post(List.of(bytes(pool.get(i)))).status() != 202) {
                        errors.incrementAndGet();
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
                done.incrementAndGet();
            }
        });
        double secs = (System.nanoTime() - start) / 1e9;
        return new Capacity("gateway-single", done.get(), done.get(), round(secs), round(done.get() / secs), errors.get(),
                cpu.stop());
    }

    /** Runs {@code body} on {@code concurrency} threads named {@code <name>-<i>} and waits for them all. */
    private static void onThreads(int concurrency, String name, Runnable body) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            Thread t = new Thread(body, name + "-" + w);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
    }

    /**
     * Requests (or producer sends) of {@code perRequest} events at {@code eventsPerSec}, each on its
     * schedule whatever the previous ones do; latency from the scheduled time to the answer (202) or ack.
     */
    private Latency openLoop(HttpTransport http, KafkaProducer<String, byte[]> producer, String topic, String mode,
                             int eventsPerSec, int perRequest, Duration duration, Map<String, Long> pids)
            throws Exception {
        double requestsPerSec = (double) eventsPerSec / perRequest;
        int total = (int) Math.ceil(requestsPerSec * duration.toSeconds());
        List<GameTraffic.Event> pool = events(total * perRequest);
        Recorder recorder = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        Semaphore outstanding = new Semaphore(5_000);
        CountDownLatch finished = new CountDownLatch(total);
        CpuMeter cpu = new CpuMeter(pids);
        cpu.start();
        long start = System.nanoTime();
        double interval = 1e9 / requestsPerSec;
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 200_000));
            }
            if (!outstanding.tryAcquire()) {
                errors.incrementAndGet();
                finished.countDown();
                continue;
            }
            List<GameTraffic.Event> slice = pool.subList(i * perRequest, (i + 1) * perRequest);
            if (mode.equals("producer")) {
                GameTraffic.Event e = slice.get(0);
                producer.send(new ProducerRecord<>(topic, e.playerId(), bytes(e)), (md, ex) -> {
                    if (ex != null) {
                        errors.incrementAndGet();
                    }
                    recorder.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
                    outstanding.release();
                    finished.countDown();
                });
            } else {
                CompletableFuture<GatewayResponse> f = http.postAsync(slice.stream().map(this::bytes).toList());
                f.whenComplete((r, ex) -> {
                    if (ex != null || r.status() != 202) {
                        errors.incrementAndGet();
                    }
                    recorder.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
                    outstanding.release();
                    finished.countDown();
                });
            }
        }
        finished.await(2, TimeUnit.MINUTES);
        double secs = (System.nanoTime() - start) / 1e9;
        Histogram h = recorder.getIntervalHistogram();
        return new Latency(mode, eventsPerSec, perRequest, round(h.getTotalCount() * perRequest / secs), h.getTotalCount(),
                errors.get(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), cpu.stop());
    }

    private Capacity report(Capacity c) {
        out.accept(String.format("%-16s capacity %,10.0f events/s  (%,d events, %,d requests, %.1f s, errors %d)  CPU %s",
                c.mode(), c.eventsPerSec(), c.events(), c.requests(), c.seconds(), c.errors(), c.cpuCores()));
        return c;
    }

    private Latency report(Latency l) {
        out.accept(String.format("%-16s at %,7d events/s (%d/request): achieved %,8.0f  p50 %6.2f  p90 %6.2f  p99 %6.2f"
                        + "  p99.9 %6.2f  max %7.2f ms  (%,d requests, errors %d)  CPU %s", l.mode(), l.offeredEventsPerSec(),
                l.eventsPerRequest(), l.achievedEventsPerSec(), l.p50Ms(), l.p90Ms(), l.p99Ms(), l.p999Ms(), l.maxMs(),
                l.requests(), l.errors(), l.cpuCores()));
        return l;
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
