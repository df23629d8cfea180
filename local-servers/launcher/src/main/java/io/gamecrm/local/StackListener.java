package io.gamecrm.local;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives human-readable progress messages while a {@link LocalStack} starts or stops, e.g.
 * "starting Kafka on 127.0.0.1:19092 (log: …/logs/kafka.log)" and "Kafka ready in 5.8 s (pid 4242)".
 *
 * <p>Called from the launcher's worker threads, possibly concurrently; implementations must be thread-safe
 * and quick. Messages are single lines without a trailing newline.
 */
@FunctionalInterface
public interface StackListener {

    /** Ignores every message. */
    StackListener NONE = message -> { };

    void onProgress(String message);

    /** Logs every message at INFO through SLF4J (logger {@code io.gamecrm.local.LocalStack}). */
    static StackListener logging() {
        Logger log = LoggerFactory.getLogger(LocalStack.class);
        return log::info;
    }

    /** Sends each message to this listener, then to {@code next}. */
    default StackListener andThen(StackListener next) {
        Objects.requireNonNull(next, "next");
        return message -> {
            onProgress(message);
            next.onProgress(message);
        };
    }
}
