package io.gamecrm.gateway.kafka;

import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;

/** Healthy when the Kafka cluster answers a describe-cluster request within the timeout. */
public final class KafkaHealthCheck extends HealthCheck {
    private final KafkaEventSink sink;
    private final Duration timeout;

    public KafkaHealthCheck(KafkaEventSink sink, Duration timeout) {
        this.sink = sink;
        this.timeout = timeout;
    }

    @Override
    protected Result check() {
        try {
            int brokers = sink.brokers(timeout);
            return brokers > 0 ? Result.healthy("%d broker(s) answer", brokers) : Result.unhealthy("no broker");
        } catch (Exception e) {
            return Result.unhealthy("Kafka does not answer within " + timeout.toMillis() + " ms: " + e);
        }
    }
}
