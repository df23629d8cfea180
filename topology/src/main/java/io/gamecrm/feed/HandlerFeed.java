package io.gamecrm.feed;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.crm.HandlerSource;
import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.handlers.HandlerRuntime;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.HandlerSettings;
import io.gamecrm.handlers.SpareEngine;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the handlers topic for one CRM task, on its own thread: folds the records into
 * {@link FeedState}, and at each new complete manifest compiles the set in a new script engine,
 * off the executor thread. The executor picks the new set up between two events
 * ({@link #takeLoaded()}), so a swap is atomic: one event never runs on two versions. Campaign
 * control (kill switch, budget pauses) is published as it arrives ({@link #control()}).
 */
public final class HandlerFeed implements HandlerSource {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerFeed.class);

    private final HandlerSettings settings;
    private final AtomicReference<Loaded> loaded = new AtomicReference<>();
    private final AtomicReference<CampaignControl> control = new AtomicReference<>(CampaignControl.NONE);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch first = new CountDownLatch(1);
    private final Thread thread;
    private final Map<String, List<String>> samples;
    private final HandlerRuntime runtime;
    private volatile String lastError;

    public HandlerFeed(HandlerSettings settings, String name) {
        this.settings = settings;
        this.samples = SchemaCatalog.fromClasspath().validExamples();
        this.runtime = HandlerRuntime.of(settings.limits());
        this.thread = new Thread(this::run, "handler-feed-" + name);
        this.thread.setDaemon(true);
    }

    public HandlerFeed start() {
        thread.start();
        return this;
    }

    static KafkaConsumer<String, String> consumer(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        // a new record is returned at once (fetch.min.bytes 1); this only spaces out the empty fetches of an
        // idle topic: with 50 ms, each CRM task made the broker answer 20 empty fetches a second
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private void run() {
        FeedState state = new FeedState();
        SpareEngine spare = new SpareEngine();
        spare.refill();
        HandlerSet lastSet = null;
        List<HandlerFile> lastFiles = null;
        long appliedSeq = -1;
        CampaignControl published = CampaignControl.NONE;
        while (running.get()) {
            try (KafkaConsumer<String, String> consumer = consumer(settings.kafka())) {
                TopicPartition tp = new TopicPartition(settings.topic(), 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                state = new FeedState();
                while (running.get()) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                        try {
                            state.apply(r.key(), r.value());
                        } catch (RuntimeException e) {
                            LOG.warn("skipping a malformed record {} of {}: {}", r.key(), settings.topic(), e.toString());
                        }
                    }
                    CampaignControl c = state.control();
                    if (!c.equals(published)) {
                        published = c;
                        control.set(c);
                    }
                    HandlerRecords.Manifest m = state.manifest();
                    List<HandlerFile> files = state.manifestFiles();
                    if (m != null && files != null && m.seq() != appliedSeq
                            && consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp)) {
                        long t0 = System.nanoTime();
                        if (lastSet != null && files.equals(lastFiles)) {
                            // only the kill switch changed: same files, same set, nothing to compile
                            loaded.set(new Loaded(lastSet, m.seq(), List.of(), 0));
                            appliedSeq = m.seq();
                            continue;
                        }
                        HandlerSet.Compilation c2 = spare.compile(files, runtime);
                        c2.set().warmUp(samples, settings.warmUpDeadlineMs());
                        loaded.set(new Loaded(c2.set(), m.seq(), c2.problems(), (System.nanoTime() - t0) / 1_000_000));
                        lastSet = c2.set();
                        lastFiles = files;
                        LOG.info("handler set {} (manifest {}) compiled and warmed up in {} ms", c2.set().version(),
                                m.seq(), (System.nanoTime() - t0) / 1_000_000);
                        spare.refill();
                        appliedSeq = m.seq();
                        first.countDown();
                    }
                }
            } catch (RuntimeException | Error e) {
                // nothing a handler file does may end this thread: a later set (a fix) must still arrive
                if (e instanceof ThreadDeath) {
                    LOG.warn("a stop by the handler watchdog reached the feed of {}; going on", settings.topic());
                }
                if (Thread.interrupted() && !running.get()) {
                    return;
                }
                lastError = e.toString();
                LOG.warn("following {} failed, retrying in 1 s: {}", settings.topic(), e.toString());
                sleep(1000);
            }
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            if (!running.get()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until the first set is compiled; false on timeout. */
    @Override
    public boolean awaitFirst(Duration timeout) throws InterruptedException {
        return first.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The newest compiled set not yet taken, or null. */
    @Override
    public Loaded takeLoaded() {
        return loaded.getAndSet(null);
    }

    @Override
    public CampaignControl control() {
        return control.get();
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
