package io.gamecrm.storm;

import static io.gamecrm.Names.Fields.EVENT_ID;
import static io.gamecrm.Names.Fields.EVENT_JSON;
import static io.gamecrm.Names.Fields.EVENT_TIME;
import static io.gamecrm.Names.Fields.EVENT_TYPE;
import static io.gamecrm.Names.Fields.INGESTED_AT;
import static io.gamecrm.Names.Fields.OFFSET;
import static io.gamecrm.Names.Fields.PARTITION;
import static io.gamecrm.Names.Fields.PLAYER_ID;
import static io.gamecrm.Names.Fields.SINK_KEY;
import static io.gamecrm.Names.Fields.SINK_MESSAGE;

import io.gamecrm.crm.CrmEvent;
import java.time.Instant;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;

/** The tuple layouts shared by the bolts. */
public final class EventTuples {
    /** A valid event: ids, type, time (epoch ms), the JSON text, its raw-topic position, ingestion time. */
    public static final Fields FIELDS = new Fields(EVENT_ID, EVENT_TYPE, PLAYER_ID, EVENT_TIME, EVENT_JSON,
            PARTITION, OFFSET, INGESTED_AT);
    /** What a KafkaBolt with FieldNameBasedTupleToKafkaMapper("key", "message") sends. */
    public static final Fields SINK_FIELDS = new Fields(SINK_KEY, SINK_MESSAGE);

    private EventTuples() {
    }

    public static CrmEvent toEvent(Tuple t) {
        return new CrmEvent(t.getStringByField(EVENT_ID), t.getStringByField(EVENT_TYPE),
                t.getStringByField(PLAYER_ID), Instant.ofEpochMilli(t.getLongByField(EVENT_TIME)),
                t.getStringByField(EVENT_JSON), t.getIntegerByField(PARTITION), t.getLongByField(OFFSET),
                t.getLongByField(INGESTED_AT));
    }
}
