package io.gamecrm.storm;

import com.codahale.metrics.Timer;
import io.gamecrm.Names;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;

/**
 * The routing boundary: re-emits each valid event on stream {@code by-player}, which the CRM bolt
 * subscribes to with a fields grouping on {@code player_id}. That grouping makes one CRM task the
 * only reader and writer of a player's profile, which is what lets the CRM bolt cache profiles and
 * apply a player's events in order. Kept as its own bolt so the validation parallelism and the CRM
 * parallelism scale independently, and so routing can change (e.g. to a direct grouping) in one place.
 */
public class PlayerPartitionerBolt extends BaseRichBolt {
    private static final long serialVersionUID = 1L;
    private transient OutputCollector collector;
    private transient Clock clock;
    private transient Timer partition;

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.collector = collector;
        this.clock = clock();
        this.partition = context.registerTimer(Names.StageMetrics.PARTITION);
    }

    /** Seam for tests: the clock of the stage timer. */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public void execute(Tuple input) {
        partition.update(Math.max(0, clock.millis() - input.getLongByField(Names.Fields.INGESTED_AT)), TimeUnit.MILLISECONDS);
        collector.emit(Names.Streams.BY_PLAYER, input, input.getValues());
        collector.ack(input);
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declareStream(Names.Streams.BY_PLAYER, EventTuples.FIELDS);
    }
}
