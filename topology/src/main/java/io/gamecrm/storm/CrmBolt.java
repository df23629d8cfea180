package io.gamecrm.storm;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import io.gamecrm.Names;
import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.campaign.Decision;
import io.gamecrm.crm.CrmCore;
import io.gamecrm.crm.CrmEvent;
import io.gamecrm.crm.BatchProcessor;
import io.gamecrm.crm.DailyMetrics;
import io.gamecrm.crm.GroupCommit;
import io.gamecrm.handlers.CampaignDef;
import io.gamecrm.handlers.HandlerAlerts;
import io.gamecrm.handlers.HandlerBreakers;
import io.gamecrm.handlers.HandlerOutcome;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerReport;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.HandlerSettings;
import io.gamecrm.handlers.feed.HandlerFeed;
import io.gamecrm.handlers.feed.HandlerRecords;
import io.gamecrm.handlers.feed.HandlerSource;
import io.gamecrm.maintenance.MaintenanceLog;
import io.gamecrm.maintenance.MaintenanceSettings;
import io.gamecrm.maintenance.SharedProducers;
import io.gamecrm.profile.CassandraProfileStore;
import io.gamecrm.profile.CassandraSessions;
import io.gamecrm.profile.CassandraSettings;
import io.gamecrm.profile.ProfileStore;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;
import org.apache.storm.utils.TupleUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the handlers for each event of the players this task owns (fields grouping on player_id),
 * keeps their state in Cassandra, and emits the triggers on stream {@code triggers}. The handler
 * set comes from the handlers topic and is swapped between two batches when a new version arrives.
 * An input is acked only after its effects are written; if Cassandra fails, the input is failed
 * and the spout replays it. The logic is {@link CrmCore} and {@link BatchProcessor}; this class
 * adapts them to Storm.
 *
 * <p>{@code execute} only hands the input to the task's committer thread ({@link GroupCommit}),
 * which processes whatever has arrived as one batch: a lone event at once, larger batches under
 * load. The committer acks, fails and emits under the collector's lock, as Storm's own
 * {@code KafkaBolt} does from its producer callback; this needs {@code topology.producer.batch.size}
 * 1 (flux/reference.properties), so that nothing the committer emits waits in a batch of the
 * executor thread.
 */
public class CrmBolt extends BaseRichBolt {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CrmBolt.class);

    private final CassandraSettings cassandra;
    private final MaintenanceSettings maintenance;
    private final HandlerSettings handlerSettings;
    private int batchMaxEvents = BatchProcessor.Settings.DEFAULTS.maxBatch();
    private long storeTimeoutMs = BatchProcessor.Settings.DEFAULTS.ioTimeoutMillis();
    private long backoffMaxMs = BatchProcessor.Settings.DEFAULTS.backoffMaxMillis();
    private long cacheMaxPlayers = BatchProcessor.Settings.DEFAULTS.cacheMaxPlayers();
    private String analyticsMetrics = "lost_streak";
    private String triggerTopic = "";
    private int analyticsCap = 20;

    private transient OutputCollector collector;
    private transient CassandraSessions.Lease cassandraLease;
    private transient MaintenanceLog log;
    private transient SharedProducers.Lease sideProducer;
    private transient HandlerSource feed;
    private transient HandlerSet handlers;
    private transient CampaignControl control;
    private transient CampaignGuard guard;
    private transient HandlerBreakers breakers;
    private transient BatchProcessor<Tuple> batch;
    private transient GroupCommit<Tuple> commit;
    private transient io.gamecrm.trigger.TriggerLedger ledger;
    private transient Counter resentTriggers;
    private transient Counter repairedProfiles;
    private transient Counter rejected;
    private transient Counter flushes;
    private transient com.codahale.metrics.Histogram batchSizes;
    private transient Timer flushLatency;
    private transient CrmMetrics metrics;
    private transient Counter events;
    private transient Counter duplicates;
    private transient Counter failedTuples;
    private transient Counter notReady;
    private transient Timer latency;
    private transient int taskId;
    private transient Map<String, Map<String, Long>> decisionCounts;
    private transient long lastStatsMs;

    public CrmBolt(CassandraSettings cassandra, MaintenanceSettings maintenance, HandlerSettings handlers) {
        this.cassandra = cassandra;
        this.maintenance = maintenance;
        this.handlerSettings = handlers;
    }

    /** The handler settings Flux built (tests: they must equal what the offline runner reads). */
    HandlerSettings handlerSettings() {
        return handlerSettings;
    }

    /** Events per write-behind batch at most (crm.batch.max.events). */
    public void setBatchMaxEvents(int batchMaxEvents) {
        this.batchMaxEvents = batchMaxEvents;
    }

    /** How long a batch may wait for Cassandra before its inputs are failed for replay (crm.store.timeout.ms). */
    public void setStoreTimeoutMs(long storeTimeoutMs) {
        this.storeTimeoutMs = storeTimeoutMs;
    }

    /** Longest back-off while Cassandra fails (crm.store.backoff.max.ms). */
    public void setBackoffMaxMs(long backoffMaxMs) {
        this.backoffMaxMs = backoffMaxMs;
    }

    /** Player states cached per task (crm.cache.max.players). */
    public void setCacheMaxPlayers(long cacheMaxPlayers) {
        this.cacheMaxPlayers = cacheMaxPlayers;
    }

    /** Profile metrics of the daily analytics, comma-separated (crm.analytics.metrics). */
    public void setAnalyticsMetrics(String analyticsMetrics) {
        this.analyticsMetrics = analyticsMetrics;
    }

    /**
     * The trigger topic (crm.topic.trigger), read back when a replayed event's triggers may already
     * have been sent; empty: re-emit them without looking.
     */
    public void setTriggerTopic(String triggerTopic) {
        this.triggerTopic = triggerTopic == null ? "" : triggerTopic;
    }

    /** Highest value the daily analytics track (crm.analytics.cap). */
    public void setAnalyticsCap(int analyticsCap) {
        this.analyticsCap = analyticsCap;
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.collector = collector;
        this.taskId = context.getThisTaskId();
        this.log = openMaintenanceLog(context);
        this.metrics = new CrmMetrics(context);
        this.decisionCounts = new java.util.TreeMap<>();
        this.lastStatsMs = System.currentTimeMillis();
        this.sideProducer = openSideProducer();
        this.control = CampaignControl.NONE;
        int tasks = context.getComponentTasks(context.getThisComponentId()).size();
        this.guard = new CampaignGuard(tasks, System::currentTimeMillis, () -> control, this::budgetExceeded);
        this.breakers = new HandlerBreakers(handlerSettings.breaker(), System::currentTimeMillis,
                new HandlerAlerts(System::currentTimeMillis, this::report, (h, phase, inv) -> metrics.invocation(h.name(), phase, inv)));
        this.feed = openFeed(context.getThisComponentId() + "-" + taskId);
        this.events = context.registerCounter("crm.events.processed");
        this.duplicates = context.registerCounter("crm.events.duplicate");
        this.failedTuples = context.registerCounter("crm.events.failed");
        this.notReady = context.registerCounter("crm.events.not-ready");
        this.latency = context.registerTimer("crm.events.latency");
        this.rejected = context.registerCounter("crm.events.rejected");
        this.resentTriggers = context.registerCounter("crm.triggers.resent");
        this.repairedProfiles = context.registerCounter("crm.profiles.repaired");
        this.ledger = triggerTopic.isBlank() ? null : new io.gamecrm.trigger.TriggerLedger(handlerSettings.kafka(), triggerTopic);
        this.flushes = context.registerCounter("crm.batches.flushed");
        this.batchSizes = context.registerHistogram("crm.batches.size");
        this.flushLatency = context.registerTimer("crm.batches.latency");
        CrmCore core = new CrmCore(() -> handlers, breakers, guard, new Triggers(SchemaCatalog.fromClasspath()),
                Clock.systemUTC(), DailyMetrics.of(analyticsMetrics, analyticsCap));
        BatchProcessor.Settings bs = new BatchProcessor.Settings(batchMaxEvents, storeTimeoutMs,
                Math.min(200, backoffMaxMs), backoffMaxMs, cacheMaxPlayers);
        this.batch = new BatchProcessor<>(openStore(), core, bs, Clock.systemUTC(), System::nanoTime, new StoreAlerts());
        context.registerGauge("crm.cache.players", batch::cachedPlayers);
        context.registerGauge("crm.cache.hits", batch::cacheHits);
        context.registerGauge("crm.cache.misses", batch::cacheMisses);
        context.registerGauge("crm.players.blocked", batch::blockedPlayers);
        context.registerGauge("crm.batches.reading.ms", () -> batch.timeSplitMillis()[0]);
        context.registerGauge("crm.batches.applying.ms", () -> batch.timeSplitMillis()[1]);
        context.registerGauge("crm.batches.writing.ms", () -> batch.timeSplitMillis()[2]);
        try {
            if (!feed.awaitFirst(Duration.ofMillis(handlerSettings.startupTimeoutMs()))) {
                log.warn("handlers.waiting", "no handler set on " + handlerSettings.topic() + " after "
                        + handlerSettings.startupTimeoutMs() + " ms; events are failed for replay until one arrives"
                        + (feed.lastError() == null ? "" : " (" + feed.lastError() + ")"), Map.of());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        swapIfNew();
        this.commit = new GroupCommit<>(batch, new Outcomes(), batchMaxEvents, 4 * batchMaxEvents, 1000,
                "crm-commit-" + taskId).start();
        context.registerGauge("crm.inputs.waiting", commit::waiting);
        log.info("component.started", "CRM task started", Map.of("handlers_version",
                handlers == null ? "none" : handlers.version(), "keyspace", cassandra.keyspace()));
    }

    /** Seam for tests: the maintenance log. */
    protected MaintenanceLog openMaintenanceLog(TopologyContext context) {
        return MaintenanceLog.open(maintenance, context.getThisComponentId(), context.getThisTaskId());
    }

    /** Seam for tests: the handler sets, from the handlers topic. */
    protected HandlerSource openFeed(String name) {
        return new HandlerFeed(handlerSettings, name).start();
    }

    /** Seam for tests: the producer of budget pauses (to the handlers topic); null: none. */
    protected SharedProducers.Lease openSideProducer() {
        return SharedProducers.acquire(handlerSettings.kafka());
    }

    /** Seam for tests: the profile store; the default shares one CQL session per worker JVM. */
    protected ProfileStore openStore() {
        this.cassandraLease = CassandraSessions.acquire(cassandra);
        return new CassandraProfileStore(cassandraLease.session(), cassandra);
    }

    /** Takes a newly compiled set and the latest campaign control, between two events. */
    private void swapIfNew() {
        CampaignControl c = feed.control();
        if (c != control) {
            guard.onControl(control, c);
            control = c;
        }
        HandlerFeed.Loaded loaded = feed.takeLoaded();
        if (loaded == null) {
            return;
        }
        handlers = loaded.set();
        for (HandlerProblem p : loaded.problems()) {
            report(HandlerReport.rejected(p, "loaded"));
        }
        // a handler the watchdog had to stop while the set warmed up is disabled before it meets an event
        handlers.stoppedInWarmUp().forEach(s -> breakers.record(s.handler(), s.phase(), s.invocation()));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("set_version", handlers.version());
        details.put("manifest_seq", loaded.manifest().seq());
        Map<String, String> files = new LinkedHashMap<>();
        handlers.files().forEach((name, f) -> files.put(name, f.version()));
        details.put("files", files);
        details.put("campaigns", List.copyOf(handlers.campaigns().keySet()));
        details.put("compile_ms", loaded.compileMillis());
        log.info("handlers.loaded", "handler set " + handlers.version() + " (" + files.size() + " files, manifest "
                + loaded.manifest().seq() + ") in effect", details);
    }

    @Override
    public void execute(Tuple input) {
        if (TupleUtils.isTick(input)) {
            return; // the committer needs no tick: it processes what arrives, and reports when idle
        }
        commit.submit(input, EventTuples.toEvent(input));
    }

    /** The committer's outcomes, to Storm: on the committer thread, collector calls under its lock. */
    private final class Outcomes implements GroupCommit.Sink<Tuple> {
        @Override
        public boolean beforeBatch() {
            swapIfNew();
            return handlers != null;
        }

        @Override
        public void refused(Tuple input, GroupCommit.Refusal why) {
            (why == GroupCommit.Refusal.NOT_READY ? notReady : rejected).inc();
            synchronized (collector) {
                collector.fail(input);
            }
        }

        @Override
        public void flushed(BatchProcessor.Flushed<Tuple> f) {
            synchronized (collector) {
                emitAndAck(f);
            }
            events.inc(f.acked().size());
            failedTuples.inc(f.failed().size());
            flushes.inc();
            batchSizes.update(f.acked().size() + f.failed().size());
            flushLatency.update(f.nanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void abandoned(List<Tuple> inputs, Throwable cause) {
            LOG.error("CRM task {}: failing {} inputs for replay: {}", taskId, inputs.size(), cause.toString(), cause);
            synchronized (collector) {
                inputs.forEach(collector::fail);
            }
            failedTuples.inc(inputs.size());
        }

        @Override
        public void idle() {
            publishStats();
        }
    }

    private void emitAndAck(BatchProcessor.Flushed<Tuple> f) {
        long now = System.currentTimeMillis();
        for (BatchProcessor.Acked<Tuple> a : f.acked()) {
            List<Triggers.Trigger> triggers = a.result().triggers();
            if (a.result().duplicate() && !triggers.isEmpty()) {
                // a replayed event: send again only the triggers that never reached the topic
                triggers = ledger == null ? triggers : ledger.unsent(triggers);
                resentTriggers.inc(triggers.size());
            }
            for (Triggers.Trigger t : triggers) {
                collector.emit(Names.Streams.TRIGGERS, a.handle(), new Values(t.playerId(), t.json()));
            }
            if (a.result().repair() != null) {
                repairedProfiles.inc();
                report(HandlerReport.profileRepaired(a.event().playerId(), a.result().repair()));
            }
            for (HandlerOutcome.Log l : a.result().logs()) {
                LOG.debug("{}", HandlerReport.logged(a.event().playerId(), a.event().eventId(), l).message());
            }
            for (Decision d : a.result().decisions()) {
                metrics.decision(d);
                decisionCounts.computeIfAbsent(d.campaign() == null ? "(handler " + d.handler() + ")" : d.campaign(),
                        k -> new java.util.TreeMap<>()).merge(d.outcome().name(), 1L, Long::sum);
            }
            if (a.result().duplicate()) {
                duplicates.inc();
            }
            latency.update(Math.max(0, now - a.event().ingestedAtMs()), TimeUnit.MILLISECONDS);
            collector.ack(a.handle());
        }
        for (Tuple t : f.failed()) {
            collector.fail(t);
        }
    }

    /**
     * Every 5 s at most, the campaign decisions since the last report (fired, and suppressed by
     * reason) go to the maintenance topic as {@code campaign.stats}: what the metrics count, for
     * those who read the topic (the live demo).
     */
    private void publishStats() {
        long now = System.currentTimeMillis();
        if (now - lastStatsMs < 5000 || decisionCounts.isEmpty()) {
            return;
        }
        log.publish(MaintenanceLog.Severity.INFO, "campaign.stats", "campaign decisions in the last "
                + (now - lastStatsMs) / 1000 + " s: " + decisionCounts, Map.of("decisions", decisionCounts,
                "since_ms", lastStatsMs));
        decisionCounts = new java.util.TreeMap<>();
        lastStatsMs = now;
    }

    /** Cassandra trouble and recovery go to the maintenance topic. */
    private final class StoreAlerts implements BatchProcessor.Listener {
        @Override
        public void storeFailed(String what, Throwable error, long backoffMillis) {
            log.error("cassandra.failing", "Cassandra failed " + what + ": " + error + "; inputs are failed for replay,"
                    + " backing off " + backoffMillis + " ms", Map.of("error", String.valueOf(error),
                    "backoff_ms", backoffMillis));
        }

        @Override
        public void storeRecovered(long downMillis) {
            log.info("cassandra.recovered", "Cassandra answers again after " + downMillis + " ms",
                    Map.of("down_ms", downMillis));
        }
    }

    private void budgetExceeded(CampaignDef campaign, String reason) {
        String by = "crm#" + taskId;
        if (sideProducer != null) {
            sideProducer.producer().send(new ProducerRecord<>(handlerSettings.topic(), 0,
                    HandlerRecords.BUDGET_PREFIX + campaign.id(), HandlerRecords.budgetValue(campaign.id(), reason, by)));
        }
        report(HandlerReport.campaignPaused(campaign, reason));
    }

    /** A handler report to crm-maintenance (and the log). */
    private void report(HandlerReport r) {
        MaintenanceLog.Severity severity = switch (r.level()) {
            case ERROR -> MaintenanceLog.Severity.ERROR;
            case WARN -> MaintenanceLog.Severity.WARN;
            default -> MaintenanceLog.Severity.INFO;
        };
        log.publish(severity, r.type(), r.message(), r.details());
    }

    @Override
    public void cleanup() {
        if (commit != null) {
            // clean shutdown: what was handed over is processed and written (what fails is replayed after restart)
            commit.close(2 * storeTimeoutMs + 5000);
        }
        if (feed != null) {
            feed.close();
        }
        if (log != null) {
            long[] split = batch == null ? new long[4] : batch.timeSplitMillis();
            LOG.info("CRM task {}: flushes spent {} ms reading states, {} ms applying events, {} ms writing, for {} events",
                    taskId, split[0], split[1], split[2], split[3]);
            log.info("component.stopped", "CRM task stopped after " + events.getCount() + " events acked ("
                    + duplicates.getCount() + " replays of applied events), " + failedTuples.getCount() + " failed and "
                    + rejected.getCount() + " refused for replay", Map.of("acked", events.getCount(),
                    "duplicates", duplicates.getCount(), "failed", failedTuples.getCount(), "refused", rejected.getCount()));
            log.close();
        }
        if (sideProducer != null) {
            sideProducer.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        if (cassandraLease != null) {
            cassandraLease.close();
        }
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declareStream(Names.Streams.TRIGGERS, EventTuples.SINK_FIELDS);
    }
}
