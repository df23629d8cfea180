package io.gamecrm.storm;

import com.codahale.metrics.Timer;
import io.gamecrm.Names;
import io.gamecrm.campaign.CampaignDef;
import io.gamecrm.crm.CrmEvent;
import io.gamecrm.crm.CrmPipeline;
import io.gamecrm.crm.CrmSettings;
import io.gamecrm.crm.HandlerSource;
import io.gamecrm.crm.ProfileStore;
import io.gamecrm.feed.HandlerFeed;
import io.gamecrm.feed.HandlerRecords;
import io.gamecrm.handlers.HandlerSettings;
import io.gamecrm.ledger.TriggerLedger;
import io.gamecrm.maintenance.MaintenanceLog;
import io.gamecrm.maintenance.MaintenanceSettings;
import io.gamecrm.maintenance.SharedProducers;
import io.gamecrm.profile.CassandraProfileStore;
import io.gamecrm.profile.CassandraSessions;
import io.gamecrm.profile.CassandraSettings;
import io.gamecrm.trigger.Triggers;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
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
 * The CRM task of the players it owns (fields grouping on player_id): an adapter of the task's
 * {@link CrmPipeline} to Storm. {@code execute} hands the input to the pipeline's committer thread,
 * which acks, fails and emits (stream {@code triggers}) under the collector's lock, as Storm's own
 * {@code KafkaBolt} does from its producer callback; this needs {@code topology.producer.batch.size}
 * 1 (flux/reference.properties). Resources (Cassandra, the handler feed, the maintenance log, the
 * trigger topic's reader, the producer of budget pauses) are opened in {@code prepare()}, each by
 * a protected factory method a test overrides.
 */
public class CrmBolt extends BaseRichBolt {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CrmBolt.class);

    private final CassandraSettings cassandra;
    private final MaintenanceSettings maintenance;
    private final HandlerSettings handlerSettings;
    private final CrmSettings settings;

    private transient CassandraSessions.Lease cassandraLease;
    private transient MaintenanceLog maintenanceLog;
    private transient SharedProducers.Lease sideProducer;
    private transient HandlerSource feed;
    private transient TriggerLedger ledger;
    private transient CrmPipeline<Tuple> pipeline;
    private transient int taskId;
    private transient Clock clock;
    private transient Timer toCrm;

    public CrmBolt(CassandraSettings cassandra, MaintenanceSettings maintenance, HandlerSettings handlers,
                   CrmSettings settings) {
        this.cassandra = cassandra;
        this.maintenance = maintenance;
        this.handlerSettings = handlers;
        this.settings = settings;
    }

    /** The handler settings Flux built (tests: they must equal what the offline runner reads). */
    HandlerSettings handlerSettings() {
        return handlerSettings;
    }

    /** The task's settings Flux built (tests: they must match the properties file). */
    CrmSettings crmSettings() {
        return settings;
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.taskId = context.getThisTaskId();
        this.clock = clock();
        this.toCrm = context.registerTimer(Names.StageMetrics.TO_CRM);
        this.maintenanceLog = openMaintenanceLog(context);
        this.sideProducer = openSideProducer();
        this.feed = openFeed(context.getThisComponentId() + "-" + taskId);
        UnaryOperator<List<Triggers.Trigger>> unsent = settings.readsTriggerTopic() ? openLedger(settings.triggerTopic())
                : UnaryOperator.identity();
        CrmPipeline.Ports ports = new CrmPipeline.Ports(feed, openStore(), unsent, this::pause, maintenanceLog::report);
        this.pipeline = CrmPipeline.start(taskId, context.getComponentTasks(context.getThisComponentId()).size(),
                settings, handlerSettings, ports, new CrmMetrics(context), new Collector(collector), nanoTime());
        maintenanceLog.info("component.started", "CRM task started", Map.of("handlers_version",
                pipeline.handlersVersion(), "keyspace", cassandra.keyspace()));
    }

    /** Seam for tests: the clock of the {@code crm.stage.to-crm} timer. */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    /** Seam for tests: the clock of the CRM task's stage timers ({@code crm.stage.wait ... emit}). */
    protected LongSupplier nanoTime() {
        return System::nanoTime;
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

    /** Seam for tests: of a replayed event's triggers, those that never reached the trigger topic. */
    protected UnaryOperator<List<Triggers.Trigger>> openLedger(String topic) {
        this.ledger = new TriggerLedger(handlerSettings.kafka(), topic);
        return ledger::unsent;
    }

    /** Seam for tests: the profile store; the default shares one CQL session per worker JVM. */
    protected ProfileStore openStore() {
        this.cassandraLease = CassandraSessions.acquire(cassandra);
        return new CassandraProfileStore(cassandraLease.session(), cassandra);
    }

    @Override
    public void execute(Tuple input) {
        if (!TupleUtils.isTick(input)) { // the committer needs no tick: it processes what arrives, reports when idle
            CrmEvent event = EventTuples.toEvent(input);
            toCrm.update(Math.max(0, clock.millis() - event.ingestedAtMs()), TimeUnit.MILLISECONDS);
            pipeline.submit(input, event);
        }
    }

    /** The pipeline's outcomes to Storm, from the committer thread: each call under the collector's lock. */
    private record Collector(OutputCollector collector) implements CrmPipeline.Collector<Tuple> {
        @Override
        public void emit(Tuple anchor, Triggers.Trigger t) {
            synchronized (collector) {
                collector.emit(Names.Streams.TRIGGERS, anchor, new Values(t.playerId(), t.json()));
            }
        }

        @Override
        public void ack(Tuple input) {
            synchronized (collector) {
                collector.ack(input);
            }
        }

        @Override
        public void fail(Tuple input) {
            synchronized (collector) {
                collector.fail(input);
            }
        }
    }

    /** A campaign whose budget is spent is paused for every task, through the handlers topic. */
    private void pause(CampaignDef campaign, String reason) {
        if (sideProducer != null) {
            sideProducer.producer().send(new ProducerRecord<>(handlerSettings.topic(), 0, HandlerRecords.BUDGET_PREFIX
                    + campaign.id(), HandlerRecords.budgetValue(campaign.id(), reason, "crm#" + taskId)));
        }
    }

    @Override
    public void cleanup() {
        close(pipeline, feed, sideProducer, ledger, cassandraLease);
        if (maintenanceLog != null) {
            maintenanceLog.close();
        }
    }

    private void close(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            try {
                if (r != null) {
                    r.close();
                }
            } catch (Exception e) {
                LOG.warn("CRM task {}: closing {} failed: {}", taskId, r, e.toString());
            }
        }
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declareStream(Names.Streams.TRIGGERS, EventTuples.SINK_FIELDS);
    }
}
