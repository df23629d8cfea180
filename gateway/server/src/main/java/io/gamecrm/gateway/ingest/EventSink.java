package io.gamecrm.gateway.ingest;

import java.util.concurrent.CompletableFuture;

/** Where accepted events go: the raw topic, in production ({@code KafkaEventSink}). */
public interface EventSink {
    /**
     * Sends one event, keyed by its player id. The future completes when the record is
     * acknowledged (acks=all), or fails; calls made in order for one key are written in that order.
     * Must not throw: a failure to send fails the future.
     */
    CompletableFuture<Written> send(String key, byte[] value);

    /** Where a record was written. */
    record Written(int partition, long offset) {
    }
}
