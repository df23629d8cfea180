package io.gamecrm.storm;

import static io.gamecrm.Names.Fields.KEY;
import static io.gamecrm.Names.Fields.OFFSET;
import static io.gamecrm.Names.Fields.PARTITION;
import static io.gamecrm.Names.Fields.RECORD_TIMESTAMP;
import static io.gamecrm.Names.Fields.TOPIC;
import static io.gamecrm.Names.Fields.VALUE;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import io.gamecrm.Names;
import io.gamecrm.validation.DeadLetter;
import io.gamecrm.validation.EventValidator;
import io.gamecrm.validation.InvalidReason;
import io.gamecrm.validation.SchemaCatalog;
import io.gamecrm.validation.ValidEvent;
import io.gamecrm.validation.ValidationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;

/**
 * First bolt after the Kafka spout: every raw record has exactly one outcome. A valid event goes
 * on, on stream {@code events}; anything else goes, as a structured dead-letter message with its
 * typed reason and the original record, on stream {@code dead-letter}. Both emits are anchored and
 * the input is acked only after, so the outcome is durable once the sink acks it; a poison record is
 * never replayed forever.
 */
public class ValidationBolt extends BaseRichBolt {
    private static final long serialVersionUID = 1L;

    private final int maxEventBytes;
    private transient EventValidator validator;
    private transient OutputCollector collector;
    private transient String componentId;
    private transient Counter valid;
    private transient Map<InvalidReason, Counter> invalid;
    private transient Clock clock;
    private transient Timer toValidate;
    private transient Timer validate;

    /** @param maxEventBytes larger records are refused as TOO_LARGE (crm.event.max.bytes) */
    public ValidationBolt(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.collector = collector;
        this.componentId = context.getThisComponentId();
        this.validator = newValidator();
        this.clock = clock();
        this.toValidate = context.registerTimer(Names.StageMetrics.TO_VALIDATE);
        this.validate = context.registerTimer(Names.StageMetrics.VALIDATE);
        this.valid = context.registerCounter("crm.events.valid");
        this.invalid = new EnumMap<>(InvalidReason.class);
        for (InvalidReason reason : InvalidReason.values()) {
            invalid.put(reason, context.registerCounter("crm.events.invalid." + reason.name().toLowerCase()));
        }
    }

    /** Seam for tests. */
    protected EventValidator newValidator() {
        return new EventValidator(SchemaCatalog.fromClasspath(), maxEventBytes);
    }

    /** Seam for tests: the clock of the stage timers and of {@code ingested_at}. */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public void execute(Tuple input) {
        Instant start = clock.instant();
        toValidate.update(Math.max(0, start.toEpochMilli() - input.getLongByField(RECORD_TIMESTAMP)), TimeUnit.MILLISECONDS);
        byte[] value = input.getBinaryByField(VALUE);
        ValidationResult result = validator.validateRecord(input.getStringByField(KEY), value);
        if (result instanceof ValidationResult.Valid v) {
            ValidEvent e = v.event();
            collector.emit(Names.Streams.EVENTS, input, new Values(e.eventId(), e.eventType(), e.playerId(),
                    e.timestamp().toEpochMilli(), e.json(), input.getIntegerByField(PARTITION),
                    input.getLongByField(OFFSET), clock.millis()));
            valid.inc();
        } else {
            ValidationResult.Invalid inv = (ValidationResult.Invalid) result;
            DeadLetter.Source source = new DeadLetter.Source(input.getStringByField(TOPIC),
                    input.getIntegerByField(PARTITION), input.getLongByField(OFFSET), input.getStringByField(KEY),
                    input.getLongByField(RECORD_TIMESTAMP));
            String message = DeadLetter.toJson(inv.rejection(), source, value, componentId, Instant.now());
            String key = inv.rejection().playerId() != null ? inv.rejection().playerId() : source.key();
            collector.emit(Names.Streams.DEAD_LETTER, input, new Values(key, message));
            invalid.get(inv.rejection().reason()).inc();
        }
        collector.ack(input);
        validate.update(Duration.between(start, clock.instant()).toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declareStream(Names.Streams.EVENTS, EventTuples.FIELDS);
        declarer.declareStream(Names.Streams.DEAD_LETTER, EventTuples.SINK_FIELDS);
    }
}
