package io.gamecrm.storm;

import static io.gamecrm.Names.Fields.KEY;
import static io.gamecrm.Names.Fields.OFFSET;
import static io.gamecrm.Names.Fields.PARTITION;
import static io.gamecrm.Names.Fields.RECORD_TIMESTAMP;
import static io.gamecrm.Names.Fields.TOPIC;
import static io.gamecrm.Names.Fields.VALUE;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.storm.kafka.spout.RecordTranslator;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Values;

/**
 * Turns a raw-topic record into a tuple that keeps everything the dead-letter topic may need:
 * topic, partition, offset, key, the value as bytes (it may not even be text) and the record
 * timestamp.
 */
public class RawRecordTranslator implements RecordTranslator<String, byte[]> {
    private static final long serialVersionUID = 1L;
    public static final Fields FIELDS = new Fields(TOPIC, PARTITION, OFFSET, KEY, VALUE, RECORD_TIMESTAMP);

    @Override
    public List<Object> apply(ConsumerRecord<String, byte[]> r) {
        return new Values(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.timestamp());
    }

    @Override
    public Fields getFieldsFor(String stream) {
        return FIELDS;
    }
}
