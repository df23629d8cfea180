package io.gamecrm.storm;

import io.gamecrm.Names;
import io.gamecrm.campaign.CampaignDef;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.crm.BatchOutcomes;
import io.gamecrm.crm.BatchProcessor;
import io.gamecrm.crm.CrmCore;
import io.gamecrm.crm.CrmSettings;
import io.gamecrm.crm.DecisionStats;
import io.gamecrm.crm.GroupCommit;
import io.gamecrm.crm.HandlerSource;
import io.gamecrm.crm.HandlerSwap;
import io.gamecrm.crm.ProfileStore;
import io.gamecrm.crm.StoreAlerts;
import io.gamecrm.feed.HandlerFeed;
import io.gamecrm.feed.HandlerRecords;
import io.gamecrm.handlers.HandlerAlerts;
import io.gamecrm.handlers.HandlerBreakers;
import io.gamecrm.handlers.HandlerOutcome;
import io.gamecrm.handlers.HandlerReport;
import io.gamecrm.handlers.HandlerSettings;
import io.gamecrm.ledger.TriggerLedger;
import io.gamecrm.maintenance.MaintenanceLog;
import io.gamecrm.maintenance.MaintenanceSettings;
import io.gamecrm.maintenance.SharedProducers;
import io.gamecrm.profile.CassandraProfileStore;
import io.gamecrm.profile.CassandraSessions;
import io.gamecrm.profile.CassandraSettings;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
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
 * set comes from the handlers topic and is swapped between two batches when a new version arrives
 * ({@link HandlerSwap}). An input is acked only after its effects are written; if Cassandra fails,
 * the input is failed and the spout replays it. The logic is {@link CrmCore} and
 * {@link BatchProcessor}, what is counted and reported {@link BatchOutcomes}; this class adapts
 * them to Storm.
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
    private int batchMaxEvents = CrmSettings.DEFAULTS.batchMaxEvents();
    private long storeTimeoutMs = CrmSettings.DEFAULTS.storeTimeoutMs();
    private long backoffMaxMs = CrmSettings.DEFAULTS.backoffMaxMs();
    private long cacheMaxPlayers = CrmSettings.DEFAULTS.cacheMaxPlayers();
    private String analyticsMetrics = CrmSettings.DEFAULTS.analyticsMetrics();
    private int analyticsCap = CrmSettings.DEFAULTS.analyticsCap();
    private String triggerTopic = CrmSettings.DEFAULTS.triggerTopic();
    private double holdoutGlobal = CrmSettings.DEFAULTS.globalHoldout();

    private transient CrmSettings settings;
    private transient OutputCollector collector;
    private transient CassandraSessions.Lease cassandraLease;
    private transient MaintenanceLog maintenanceLog;
    private transient SharedProducers.Lease sideProducer;
    private transient HandlerSource feed;
    private transient HandlerSwap handlers;
    private transient CampaignGuard guard;
    private transient BatchProcessor<Tuple> batch;
    private transient GroupCommit<Tuple> commit;
    private transient TriggerLedger ledger;
    private transient BatchOutcomes outcomes;
    private transient DecisionStats stats;
    private transient int taskId;

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

    /** The trigger topic (crm.topic.trigger), read back for replays; empty: re-emit without looking. */
    public void setTriggerTopic(String triggerTopic) {
        this.triggerTopic = triggerTopic;
    }

    /** The share of each game's players that gets no campaign at all (crm.holdout.global). */
    public void setHoldoutGlobal(double holdoutGlobal) {
        this.holdoutGlobal = holdoutGlobal;
    }

    /** The task's settings, from what Flux set (tests: they must match the properties file). */
    CrmSettings crmSettings() {
        return new CrmSettings(batchMaxEvents, storeTimeoutMs, backoffMaxMs, cacheMaxPlayers, analyticsMetrics,
                analyticsCap, triggerTopic, holdoutGlobal);
    }

    /** Highest value the daily analytics track (crm.analytics.cap). */
    public void setAnalyticsCap(int analyticsCap) {
        this.analyticsCap = analyticsCap;
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.settings = crmSettings();
        this.collector = collector;
        this.taskId = context.getThisTaskId();
        this.maintenanceLog = openMaintenanceLog(context);
        CrmMetrics metrics = new CrmMetrics(context);
        this.stats = new DecisionStats(System::currentTimeMillis, this::report);
        this.sideProducer = openSideProducer();
        HandlerBreakers breakers = new HandlerBreakers(handlerSettings.breaker(), System::currentTimeMillis,
                new HandlerAlerts(System::currentTimeMillis, this::report, (h, phase, inv) -> metrics.invocation(h.name(), phase, inv)));
        this.feed = openFeed(context.getThisComponentId() + "-" + taskId);
        this.handlers = new HandlerSwap(feed, breakers, this::report, (before, after) -> guard.onControl(before, after));
        int tasks = context.getComponentTasks(context.getThisComponentId()).size();
        this.guard = new CampaignGuard(tasks, System::currentTimeMillis, handlers::control, this::budgetExceeded);
        this.ledger = settings.readsTriggerTopic() ? new TriggerLedger(handlerSettings.kafka(), settings.triggerTopic()) : null;
        this.outcomes = new BatchOutcomes(context::registerCounter, context::registerTimer, context::registerHistogram,
                ledger == null ? UnaryOperator.identity() : ledger::unsent, d -> {
                    metrics.decision(d);
                    stats.count(d);
                }, new BatchOutcomes.Measurements(e -> {
                    metrics.exposure(e);
                    stats.exposure(e);
                }, c -> {
                    metrics.conversion(c);
                    stats.conversion(c);
                }), this::report);
        CrmCore core = new CrmCore(handlers::handlers, breakers, guard, new Triggers(SchemaCatalog.fromClasspath()),
                Clock.systemUTC(), settings.dailyMetrics(), settings.globalHoldout());
        this.batch = new BatchProcessor<>(openStore(), core, settings.batch(), Clock.systemUTC(), System::nanoTime,
                new StoreAlerts(this::report));
        handlers.awaitFirst(Duration.ofMillis(handlerSettings.startupTimeoutMs()), handlerSettings.topic());
        handlers.swapIfNew();
        this.commit = new GroupCommit<>(batch, new Outcomes(), settings.batchMaxEvents(), settings.commitCapacity(),
                1000, "crm-commit-" + taskId).start();
        BatchOutcomes.gauges(batch, commit).forEach((name, gauge) -> context.registerGauge(name, gauge::get));
        maintenanceLog.info("component.started", "CRM task started", Map.of("handlers_version", handlers.handlers() == null
                ? "none" : handlers.handlers().version(), "keyspace", cassandra.keyspace()));
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
            return handlers.swapIfNew();
        }

        @Override
        public void refused(Tuple input, GroupCommit.Refusal why) {
            outcomes.refused(why);
            synchronized (collector) {
                collector.fail(input);
            }
        }

        @Override
        public void flushed(BatchProcessor.Flushed<Tuple> f) {
            synchronized (collector) {
                emitAndAck(f);
            }
            outcomes.flushed(f);
        }

        @Override
        public void abandoned(List<Tuple> inputs, Throwable cause) {
            LOG.error("CRM task {}: failing {} inputs for replay: {}", taskId, inputs.size(), cause.toString(), cause);
            synchronized (collector) {
                inputs.forEach(collector::fail);
            }
            outcomes.abandoned(inputs.size());
        }

        @Override
        public void idle() {
            handlers.swapIfNew(); // an idle task takes a new control (a kill switch) or set too, and reports it
            stats.publishIfDue();
        }
    }

    private void emitAndAck(BatchProcessor.Flushed<Tuple> f) {
        long now = System.currentTimeMillis();
        for (BatchProcessor.Acked<Tuple> a : f.acked()) {
            for (Triggers.Trigger t : outcomes.triggersToEmit(a)) {
                collector.emit(Names.Streams.TRIGGERS, a.handle(), new Values(t.playerId(), t.json()));
            }
            outcomes.acked(a, now);
            for (HandlerOutcome.Log l : a.result().logs()) {
                LOG.debug("{}", HandlerReport.logged(a.event().playerId(), a.event().eventId(), l).message());
            }
            collector.ack(a.handle());
        }
        for (Tuple t : f.failed()) {
            collector.fail(t);
        }
    }

    private void budgetExceeded(CampaignDef campaign, String reason) {
        if (sideProducer != null) {
            sideProducer.producer().send(new ProducerRecord<>(handlerSettings.topic(), 0, HandlerRecords.BUDGET_PREFIX
                    + campaign.id(), HandlerRecords.budgetValue(campaign.id(), reason, "crm#" + taskId)));
        }
        report(HandlerReport.campaignPaused(campaign, reason));
    }

    /** A report to crm-maintenance (and the log). */
    private void report(HandlerReport r) {
        MaintenanceLog.Severity severity = switch (r.level()) {
            case ERROR -> MaintenanceLog.Severity.ERROR;
            case WARN -> MaintenanceLog.Severity.WARN;
            default -> MaintenanceLog.Severity.INFO;
        };
        maintenanceLog.publish(severity, r.type(), r.message(), r.details());
    }

    @Override
    public void cleanup() {
        if (commit != null) {
            // clean shutdown: what was handed over is processed and written (what fails is replayed after restart)
            commit.close(settings.closeTimeoutMs());
        }
        if (feed != null) {
            feed.close();
        }
        if (maintenanceLog != null) {
            BatchProcessor.TimeSplit split = batch == null ? BatchProcessor.TimeSplit.NONE : batch.timeSplit();
            LOG.info("CRM task {}: flushes spent {} ms reading states, {} ms applying events, {} ms writing, for {} events",
                    taskId, split.readingMillis(), split.applyingMillis(), split.writingMillis(), split.events());
            report(outcomes.stopped());
            maintenanceLog.close();
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
