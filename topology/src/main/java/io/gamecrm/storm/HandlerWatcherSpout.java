package io.gamecrm.storm;

import io.gamecrm.feed.DirectorySnapshot;
import io.gamecrm.feed.FeedState;
import io.gamecrm.feed.HandlerPublisher;
import io.gamecrm.feed.HandlerTopics;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerReport;
import io.gamecrm.handlers.HandlerRuntime;
import io.gamecrm.handlers.HandlerSettings;
import io.gamecrm.maintenance.MaintenanceLog;
import io.gamecrm.maintenance.MaintenanceSettings;
import io.gamecrm.maintenance.SharedProducers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichSpout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the handlers directory (crm.handlers.dir) and publishes it to the handlers topic, which
 * every CRM task follows. Polls the folder every scan interval (a watch service misses changes on
 * shared volumes); a change is taken once two scans agree, so a half-written file is not
 * published. Only files that pass their checks are published ({@link HandlerPublisher}); a rejected
 * file is reported on the maintenance topic with the reason. Checking and publishing run on a
 * thread of their own ({@code handler-publisher}), so the spout's executor never waits for a file
 * (each check is bounded by the load budget and deadline, and the watchdog). Emits no tuples. Run
 * exactly one (parallelism 1).
 */
public class HandlerWatcherSpout extends BaseRichSpout {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HandlerWatcherSpout.class);

    private final HandlerSettings settings;
    private final MaintenanceSettings maintenance;

    private transient MaintenanceLog maintenanceLog;
    private transient SharedProducers.Lease producer;
    private transient FeedState published;
    private transient HandlerPublisher publisher;
    private transient DirectorySnapshot lastScan;
    private transient volatile DirectorySnapshot lastPlanned;
    private transient long nextScan;
    private transient boolean dirMissingReported;
    private transient ExecutorService worker;
    private transient Future<?> inFlight;

    public HandlerWatcherSpout(HandlerSettings settings, MaintenanceSettings maintenance) {
        this.settings = settings;
        this.maintenance = maintenance;
    }

    @Override
    public void open(Map<String, Object> conf, TopologyContext context, SpoutOutputCollector collector) {
        this.maintenanceLog = MaintenanceLog.open(maintenance, context.getThisComponentId(), context.getThisTaskId());
        this.producer = SharedProducers.acquire(settings.kafka());
        try {
            HandlerTopics.ensure(settings.kafka(), settings.topic());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the handlers topic " + settings.topic() + ": " + e, e);
        }
        this.published = HandlerTopics.readToEnd(settings.kafka(), settings.topic(), Duration.ofSeconds(30));
        this.publisher = newPublisher();
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "handler-publisher");
            t.setDaemon(true);
            return t;
        });
        maintenanceLog.info("component.started", "watching " + settings.dir() + " for handler files, publishing to "
                + settings.topic(), Map.of("dir", settings.dir(), "topic", settings.topic()));
    }

    /** Seam for tests: the publisher, with the limits of the handler settings. */
    protected HandlerPublisher newPublisher() {
        return new HandlerPublisher(HandlerRuntime.of(settings.limits()));
    }

    @Override
    public void nextTuple() {
        if (inFlight != null && !inFlight.isDone()) {
            sleepBriefly();
            return;
        }
        long now = System.nanoTime();
        if (now < nextScan) {
            sleepBriefly();
            return;
        }
        nextScan = now + TimeUnit.MILLISECONDS.toNanos(settings.scanIntervalMs());
        DirectorySnapshot scan;
        try {
            scan = DirectorySnapshot.read(Path.of(settings.dir()));
            dirMissingReported = false;
        } catch (Exception e) {
            if (!dirMissingReported) {
                dirMissingReported = true;
                maintenanceLog.error("handlers.dir.unreadable", "cannot read the handlers directory " + settings.dir() + ": " + e
                        + "; the last published handlers stay in effect", Map.of("dir", settings.dir()));
            }
            return;
        }
        boolean stable = scan.equals(lastScan);
        lastScan = scan;
        if (!stable || scan.equals(lastPlanned)) {
            inFlight = worker.submit(this::idle);
            return;
        }
        lastPlanned = scan;
        inFlight = worker.submit(() -> planAndPublish(scan));
    }

    private void idle() {
        try {
            publisher.idle();
        } catch (RuntimeException | Error e) {
            LOG.warn("preparing the next handler check failed: {}", e.toString());
        }
    }

    /** On the publisher thread: nothing a file does may end it, or no later change is published. */
    private void planAndPublish(DirectorySnapshot scan) {
        HandlerPublisher.Plan plan;
        try {
            plan = publisher.plan(published, scan.files(), scan.controlJson());
        } catch (RuntimeException | Error e) {
            LOG.error("checking the handler files failed; will try again at the next change: {}", e.toString(), e);
            maintenanceLog.error("handlers.check.failed", "checking the handler files failed: " + e, Map.of("error", e.toString()));
            lastPlanned = null;
            publisher = newPublisher();
            return;
        }
        publish(plan);
    }

    private void publish(HandlerPublisher.Plan plan) {
        for (HandlerProblem p : plan.rejected()) {
            HandlerReport r = HandlerReport.rejected(p, "published");
            maintenanceLog.error(r.type(), r.message(), r.details());
        }
        if (!plan.publishes()) {
            return;
        }
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (HandlerPublisher.Change c : plan.records()) {
                sent.add(producer.producer().send(new ProducerRecord<>(settings.topic(), 0, c.key(), c.value())));
            }
            producer.producer().flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
            plan.records().forEach(c -> published.apply(c.key(), c.value()));
            maintenanceLog.info("handlers.published", "published to " + settings.topic() + ": " + String.join(", ", plan.accepted()),
                    Map.of("changes", plan.accepted(), "manifest_seq", published.manifest().seq()));
        } catch (Exception e) {
            LOG.warn("publishing handlers failed, will retry: {}", e.toString());
            lastPlanned = null; // try again at the next scan
            published = HandlerTopics.readToEnd(settings.kafka(), settings.topic(), Duration.ofSeconds(30));
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
            try {
                worker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close();
        }
        if (maintenanceLog != null) {
            maintenanceLog.close();
        }
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        // publishes to Kafka only
    }
}
