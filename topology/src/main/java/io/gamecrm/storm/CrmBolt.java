package io.gamecrm.storm;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import io.gamecrm.Names;
import io.gamecrm.crm.CrmEvent;
import io.gamecrm.crm.CrmProcessor;
import io.gamecrm.crm.CrmResult;
import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerFailure;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.maintenance.MaintenanceLog;
import io.gamecrm.maintenance.MaintenanceSettings;
import io.gamecrm.profile.CassandraProfileStore;
import io.gamecrm.profile.CassandraSessions;
import io.gamecrm.profile.CassandraSettings;
import io.gamecrm.profile.ProfileStore;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the handlers for each event of the players this task owns (fields grouping on player_id),
 * keeps their profiles in Cassandra and emits the triggers on stream {@code triggers}. An input is
 * acked only after its profile and event are written; if Cassandra fails, the input is failed and
 * the spout replays it. The logic is {@link CrmProcessor}; this class adapts it to Storm.
 */
public class CrmBolt extends BaseRichBolt {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CrmBolt.class);

    private final CassandraSettings cassandra;
    private final MaintenanceSettings maintenance;
    private final String handlersDir;
    private long processTimeoutMs = 10_000;

    private transient OutputCollector collector;
    private transient CassandraSessions.Lease cassandraLease;
    private transient MaintenanceLog log;
    private transient HandlerSet handlers;
    private transient CrmProcessor processor;
    private transient Counter events;
    private transient Counter duplicates;
    private transient Counter triggersFired;
    private transient Counter triggersSuppressed;
    private transient Counter triggersInvalid;
    private transient Counter handlerErrors;
    private transient Counter failedTuples;
    private transient Timer latency;

    /**
     * @param handlersDir directory of the handler files (crm.handlers.dir)
     */
    public CrmBolt(CassandraSettings cassandra, MaintenanceSettings maintenance, String handlersDir) {
        this.cassandra = cassandra;
        this.maintenance = maintenance;
        this.handlersDir = handlersDir;
    }

    /** How long an event may wait for Cassandra before its tuple is failed for replay. */
    public void setProcessTimeoutMs(long processTimeoutMs) {
        this.processTimeoutMs = processTimeoutMs;
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.collector = collector;
        this.log = openMaintenanceLog(context);
        this.handlers = loadHandlers();
        this.processor = new CrmProcessor(openStore(), () -> handlers,
                new Triggers(SchemaCatalog.fromClasspath()), Clock.systemUTC());
        this.events = context.registerCounter("crm.events.processed");
        this.duplicates = context.registerCounter("crm.events.duplicate");
        this.triggersFired = context.registerCounter("crm.triggers.fired");
        this.triggersSuppressed = context.registerCounter("crm.triggers.suppressed");
        this.triggersInvalid = context.registerCounter("crm.triggers.invalid");
        this.handlerErrors = context.registerCounter("crm.handlers.errors");
        this.failedTuples = context.registerCounter("crm.events.failed");
        this.latency = context.registerTimer("crm.events.latency");
        log.info("component.started", "CRM task started with " + handlers.handlers().size() + " handlers",
                Map.of("handlers_version", handlers.version(), "keyspace", cassandra.keyspace()));
    }

    /** Seam for tests: the maintenance log. */
    protected MaintenanceLog openMaintenanceLog(TopologyContext context) {
        return MaintenanceLog.open(maintenance, context.getThisComponentId(), context.getThisTaskId());
    }

    /** Seam for tests: the profile store; the default shares one CQL session per worker JVM. */
    protected ProfileStore openStore() {
        this.cassandraLease = CassandraSessions.acquire(cassandra);
        return new CassandraProfileStore(cassandraLease.session(), cassandra);
    }

    private HandlerSet loadHandlers() {
        HandlerSet.Compilation compilation = HandlerSet.compile(HandlerDirectory.read(Path.of(handlersDir)));
        for (HandlerProblem p : compilation.problems()) {
            log.error("handlers.rejected", p.file() + " was not loaded: " + p.reason(),
                    Map.of("file", p.file(), "version", p.version(), "reason", p.reason()));
        }
        HandlerSet set = compilation.set();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("set_version", set.version());
        Map<String, String> files = new LinkedHashMap<>();
        set.files().forEach((name, f) -> files.put(name, f.version()));
        details.put("files", files);
        details.put("campaigns", List.copyOf(set.campaigns().keySet()));
        log.info("handlers.loaded", set.files().size() + " handler files loaded from " + handlersDir, details);
        return set;
    }

    @Override
    public void execute(Tuple input) {
        CrmEvent event = EventTuples.toEvent(input);
        long start = System.nanoTime();
        CrmResult result;
        try {
            result = processor.process(event).toCompletableFuture().get(processTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            collector.fail(input);
            return;
        } catch (Exception e) {
            failedTuples.inc();
            LOG.warn("event {} of player {} failed, will be replayed: {}", event.eventId(), event.playerId(), e.toString());
            collector.reportError(e);
            collector.fail(input);
            return;
        }
        events.inc();
        if (result.duplicate()) {
            duplicates.inc();
        }
        for (Triggers.Trigger t : result.triggers()) {
            collector.emit(Names.Streams.TRIGGERS, input, new Values(t.playerId(), t.json()));
            LOG.info("trigger {} campaign={} player={} cause={}", t.id(), t.campaign(), t.playerId(), event.eventId());
        }
        triggersFired.inc(result.triggers().size());
        triggersSuppressed.inc(result.suppressed().size());
        for (HandlerFailure f : result.failures()) {
            handlerErrors.inc();
            log.warn("handler.error", "handler '" + f.handler() + "' (" + f.file() + "@" + f.version() + ") failed in "
                    + f.phase().name().toLowerCase() + " for event " + event.eventId() + ": " + f.message(),
                    Map.of("handler", f.handler(), "file", f.file(), "version", f.version(),
                            "event_id", event.eventId(), "message", f.message()));
        }
        for (String reason : result.invalidTriggers()) {
            triggersInvalid.inc();
            log.error("trigger.invalid", reason, Map.of("event_id", event.eventId()));
        }
        latency.update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        collector.ack(input);
    }

    @Override
    public void cleanup() {
        if (log != null) {
            log.info("component.stopped", "CRM task stopped", Map.of());
            log.close();
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
