package io.gamecrm.cli;

import io.gamecrm.cli.traffic.GameTraffic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends game traffic to the raw topic at a fixed rate (events per second), keyed by player id,
 * on its own thread. Paced against the clock, so a slow send is caught up rather than lost.
 */
public final class TrafficPump implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final GameTraffic traffic;
    private final double rate;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Thread thread;

    public TrafficPump(String bootstrap, String topic, GameTraffic traffic, double rate) {
        this.producer = producer(bootstrap);
        this.topic = topic;
        this.traffic = traffic;
        this.rate = rate;
        this.thread = new Thread(this::run, "traffic-pump");
        this.thread.setDaemon(true);
    }

    public static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.BATCH_SIZE_CONFIG, 65536), new StringSerializer(), new ByteArraySerializer());
    }

    public TrafficPump start() {
        thread.start();
        return this;
    }

    /** Sends one record now, from any thread (used for Bob's story). */
    public void send(String key, String json) {
        producer.send(new ProducerRecord<>(topic, key, json.getBytes(StandardCharsets.UTF_8)), (md, e) -> {
            if (e != null) {
                errors.incrementAndGet();
            }
        });
        sent.incrementAndGet();
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
            GameTraffic.Event e = traffic.next(Instant.now());
            send(e.playerId(), e.json());
            n++;
        }
    }

    public long sent() {
        return sent.get();
    }

    public long errors() {
        return errors.get();
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
