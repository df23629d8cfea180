package io.gamecrm.gateway.client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The game-side client of the gateway: {@link #submit} events (JSON bytes, each with its
 * {@code event_id}); one sender thread posts them in batches (up to {@code maxBatchEvents}, waiting
 * at most {@code linger} for a batch to fill), one request at a time, so a player's events arrive
 * in submission order.
 *
 * <p>Retries are idempotent by event id: events answered {@code retry} (or a whole request
 * answered 429/503, or a connection failure) are sent again, byte for byte, after a back-off
 * (Retry-After, else exponential from {@code initialBackoff} to {@code maxBackoff}, with jitter),
 * and the gateway recognises an event id it already put on the topic. Events rejected by the
 * gateway (a typed reason) are never sent again: they go to the rejection listener. After
 * {@code maxAttempts} the events are counted as failed. The queue is bounded: {@link #submit}
 * waits for room, or returns false.
 */
public final class GatewayClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayClient.class);

    /**
     * @param maxBatchEvents at most this many events in one request (the gateway's ingest.maxEvents or less)
     * @param maxBatchBytes  at most this many bytes in one request (below the gateway's ingest.maxBodySize)
     * @param linger         how long the sender waits for a batch to fill
     * @param queueCapacity  events waiting to be sent
     * @param maxAttempts    tries per event before it counts as failed
     */
    public record Settings(int maxBatchEvents, int maxBatchBytes, Duration linger, int queueCapacity, int maxAttempts,
                           Duration initialBackoff, Duration maxBackoff) {
        public Settings {
            if (maxBatchEvents < 1 || maxBatchBytes < 1 || queueCapacity < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("batch size, batch bytes, queue capacity and attempts must be positive");
            }
            if (linger.isNegative() || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("linger and back-off must not be negative, max back-off >= initial");
            }
        }

        public static Settings defaults() {
            return new Settings(200, 512 * 1024, Duration.ofMillis(20), 20_000, 30, Duration.ofMillis(100),
                    Duration.ofSeconds(5));
        }
    }

    /** An event the gateway will never accept, with its reason. */
    public record Rejection(byte[] event, String reason, String detail) {
    }

    /** Waits between attempts; a test passes one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Transport transport;
    private final Settings settings;
    private final Consumer<Rejection> onRejected;
    private final Sleeper sleeper;
    private final BlockingQueue<byte[]> queue;
    private final Thread sender;
    private final Object idle = new Object();
    private volatile boolean closing;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    public GatewayClient(URI gateway, String apiKey, Settings settings, Consumer<Rejection> onRejected) {
        this(new HttpTransport(gateway, apiKey, Duration.ofSeconds(30)), settings, onRejected, d -> Thread.sleep(d.toMillis()));
    }

    public GatewayClient(Transport transport, Settings settings, Consumer<Rejection> onRejected, Sleeper sleeper) {
        this.transport = transport;
        this.settings = settings;
        this.onRejected = onRejected;
        this.sleeper = sleeper;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.sender = new Thread(this::run, "gateway-client");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Queues one event; waits up to {@code wait} for room, false when there was none (or the client is closed). */
    public boolean submit(byte[] event, Duration wait) throws InterruptedException {
        if (closing) {
            return false;
        }
        boolean queued = queue.offer(event, wait.toNanos(), TimeUnit.NANOSECONDS);
        if (queued) {
            submitted.incrementAndGet();
        }
        return queued;
    }

    /** Waits until every submitted event is accepted, rejected or failed; false on timeout. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (resolved() < submitted.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    private long resolved() {
        return accepted.get() + rejected.get() + failed.get();
    }

    private void run() {
        byte[] carry = null;
        while (!(closing && queue.isEmpty() && carry == null)) {
            try {
                byte[] first = carry != null ? carry : queue.poll(100, TimeUnit.MILLISECONDS);
                carry = null;
                if (first == null) {
                    continue;
                }
                List<byte[]> batch = new ArrayList<>();
                batch.add(first);
                int bytes = first.length;
                long until = System.nanoTime() + settings.linger().toNanos();
                while (batch.size() < settings.maxBatchEvents()) {
                    long left = until - System.nanoTime();
                    byte[] next = left > 0 && !closing ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (bytes + 1 + next.length > settings.maxBatchBytes()) {
                        carry = next;
                        break;
                    }
                    batch.add(next);
                    bytes += 1 + next.length;
                }
                sendWithRetries(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sends one batch until every event is accepted, rejected, or out of attempts. */
    void sendWithRetries(List<byte[]> batch) throws InterruptedException {
        List<byte[]> pending = batch;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            long retryAfter = 0;
            List<byte[]> again = new ArrayList<>();
            try {
                requests.incrementAndGet();
                GatewayResponse r = transport.post(pending);
                retryAfter = r.retryAfterSeconds();
                if (r.perEvent()) {
                    // the answer lists the events not accepted (or every event); unlisted ones were accepted
                    GatewayResponse.Outcome[] byIndex = new GatewayResponse.Outcome[pending.size()];
                    for (GatewayResponse.Outcome o : r.outcomes()) {
                        if (o.index() >= 0 && o.index() < byIndex.length) {
                            byIndex[o.index()] = o;
                        }
                    }
                    for (int i = 0; i < byIndex.length; i++) {
                        GatewayResponse.Outcome o = byIndex[i];
                        byte[] event = pending.get(i);
                        if (o == null || o.accepted()) {
                            accepted.incrementAndGet();
                            if (o != null && o.duplicate()) {
                                duplicates.incrementAndGet();
                            }
                        } else if (o.rejected()) {
                            rejected.incrementAndGet();
                            onRejected.accept(new Rejection(event, o.reason(), o.detail()));
                        } else {
                            again.add(event);
                        }
                    }
                } else if (r.retryWhole()) {
                    again = pending;
                } else {
                    // refused for good (401, 413, 415, 400 ...): sending it again cannot help
                    log.error("the gateway refused {} events: {} {} ({})", pending.size(), r.status(), r.error(), r.message());
                    for (byte[] event : pending) {
                        rejected.incrementAndGet();
                        onRejected.accept(new Rejection(event, r.error() != null ? r.error() : "http_" + r.status(),
                                r.message()));
                    }
                }
            } catch (IOException e) {
                log.debug("gateway unreachable: {}", e.toString());
                again = pending;
            }
            notifyProgress();
            if (again.isEmpty()) {
                return;
            }
            if (attempt >= settings.maxAttempts()) {
                failed.addAndGet(again.size());
                log.error("{} events failed after {} attempts", again.size(), attempt);
                notifyProgress();
                return;
            }
            retries.addAndGet(again.size());
            sleeper.sleep(backoff(attempt, retryAfter));
            pending = again;
        }
    }

    /** Retry-After when the gateway gave one, else exponential, capped, with up to 20% jitter. */
    Duration backoff(int attempt, long retryAfterSeconds) {
        long base = settings.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        long ms = Math.min(settings.maxBackoff().toMillis(), Math.max(base, 0));
        ms = Math.max(ms, TimeUnit.SECONDS.toMillis(retryAfterSeconds));
        return Duration.ofMillis(ms + (ms > 0 ? ThreadLocalRandom.current().nextLong(ms / 5 + 1) : 0));
    }

    private void notifyProgress() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    public long submitted() {
        return submitted.get();
    }

    /** Events on the topic (including those a retry found there already). */
    public long accepted() {
        return accepted.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long rejected() {
        return rejected.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Events sent again. */
    public long retries() {
        return retries.get();
    }

    public long requests() {
        return requests.get();
    }

    /** Sends what is queued (waiting up to {@code timeout}), then stops. */
    public void close(Duration timeout) throws InterruptedException {
        closing = true;
        sender.join(timeout.toMillis());
        if (sender.isAlive()) {
            sender.interrupt();
            sender.join(1000);
        }
        transport.close();
    }

    @Override
    public void close() {
        try {
            close(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
