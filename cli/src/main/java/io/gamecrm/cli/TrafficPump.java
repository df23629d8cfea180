package io.gamecrm.cli;

import io.gamecrm.cli.traffic.GameTraffic;
import io.gamecrm.gateway.client.GatewayClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends game traffic through the ingest gateway at a fixed rate (events per second), on its own
 * thread, with the game-side client (batches, retries on 429/503). Paced against the clock, so a
 * slow send is caught up rather than lost.
 */
public final class TrafficPump implements AutoCloseable {
    private final GatewayClient client;
    private final GameTraffic traffic;
    private final double rate;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;

    public TrafficPump(URI gateway, String apiKey, GameTraffic traffic, double rate) {
        this.client = new GatewayClient(gateway, apiKey, GatewayClient.Settings.defaults(), r -> { });
        this.traffic = traffic;
        this.rate = rate;
        this.thread = new Thread(this::run, "traffic-pump");
        this.thread.setDaemon(true);
    }

    /** A plain producer for tools that write a topic themselves (benchmarks): string keys, bytes as values. */
    public static KafkaProducer<String, byte[]> producer(String bootstrap) {
        java.util.Properties client = new java.util.Properties();
        client.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return producer(client);
    }

    /** Like {@link #producer(String)} with a Kafka client's address and security settings. */
    public static KafkaProducer<String, byte[]> producer(java.util.Properties kafkaClient) {
        java.util.Properties p = new java.util.Properties();
        p.putAll(kafkaClient);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public TrafficPump start() {
        thread.start();
        return this;
    }

    /** Sends one event now, from any thread (used for Bob's story). */
    public void send(String json) {
        try {
            if (client.submit(json.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1))) {
                sent.incrementAndGet();
            } else {
                dropped.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        if (rate <= 0) {
            return;
        }
        long start = System.nanoTime();
        long n = 0;
        double nanosPerEvent = 1e9 / rate;
        while (running.get()) {
            long due = start + (long) (n * nanosPerEvent);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Math.min(wait, 50_000_000L));
                continue;
            }
            send(traffic.next(Instant.now()).json());
            n++;
        }
    }

    public long sent() {
        return sent.get();
    }

    /** Accepted by the gateway: on the raw topic. */
    public long accepted() {
        return client.accepted();
    }

    /** Refused by the gateway with a typed reason (not JSON, no player_id ...): never reach the topology. */
    public long rejected() {
        return client.rejected();
    }

    /** Failed after every retry, or not queued: the gateway was unreachable too long. */
    public long errors() {
        return client.failed() + dropped.get();
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(2000);
            client.close(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
