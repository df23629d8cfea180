package io.gamecrm.storm;

import io.gamecrm.Names;
import java.util.Map;
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

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.collector = collector;
    }

    @Override
    public void execute(Tuple input) {
        collector.emit(Names.Streams.BY_PLAYER, input, input.getValues());
        collector.ack(input);
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declareStream(Names.Streams.BY_PLAYER, EventTuples.FIELDS);
    }
}
