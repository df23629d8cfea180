package io.gamecrm.gateway.kafka;

import io.dropwizard.lifecycle.Managed;
import io.gamecrm.gateway.ingest.EventSink;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw topic as an {@link EventSink}: one idempotent producer (acks=all) for the whole gateway,
 * opened in {@link #start()} and closed in {@link #stop()}, after Jetty has drained the requests,
 * waiting for the records still in flight. Also answers the health check (an admin client).
 */
public class KafkaEventSink implements EventSink, Managed {
    private static final Logger log = LoggerFactory.getLogger(KafkaEventSink.class);

    private final KafkaSettings settings;
    private volatile Producer<String, byte[]> producer;
    private volatile Admin admin;

    public KafkaEventSink(KafkaSettings settings) {
        this.settings = settings;
    }

    @Override
    public void start() {
        producer = createProducer();
        admin = Admin.create(settings.clientProperties());
        log.info("producing to topic {} at {} (acks=all, idempotent)", settings.topic(), settings.bootstrapServers());
    }

    /** The producer; a test can override it. */
    protected Producer<String, byte[]> createProducer() {
        return new KafkaProducer<>(settings.producerProperties());
    }

    @Override
    public CompletableFuture<Written> send(String key, byte[] value) {
        CompletableFuture<Written> f = new CompletableFuture<>();
        Producer<String, byte[]> p = producer;
        if (p == null) {
            f.completeExceptionally(new IllegalStateException("the gateway's producer is not running"));
            return f;
        }
        try {
            p.send(new ProducerRecord<>(settings.topic(), key, value), (md, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(new Written(md.partition(), md.offset()));
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /** Kafka answers: the cluster's broker count, or an exception within {@code timeout}. */
    public int brokers(Duration timeout) throws Exception {
        Admin a = admin;
        if (a == null) {
            throw new IllegalStateException("not started");
        }
        return a.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
    }

    @Override
    public void stop() {
        Producer<String, byte[]> p = producer;
        if (p != null) {
            // Jetty has answered every request by now: a record still in flight was answered "retry"
            // (never 202); it gets one more acknowledgement timeout to land
            log.info("closing the producer (flushing records in flight)");
            p.close(Duration.ofMillis(settings.ackTimeout().toMilliseconds()));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        log.info("producer closed");
    }
}
