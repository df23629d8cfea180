package io.gamecrm.ledger;

import io.gamecrm.json.Json;
import io.gamecrm.trigger.Triggers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers, for the triggers of a replayed event, which ones already reached the trigger topic, so
 * that a replay (a restarted worker, a reset consumer group) does not send the CRM service the same
 * trigger twice. Reads the topic from a little before each trigger's creation time to its end. Only
 * replays with triggers ask, which is rare, so the cost (a seek and a fetch) does not matter.
 *
 * <p>If the topic cannot be read, every trigger is reported unsent: a trigger is never lost for a
 * lookup, it may only be sent twice (the CRM service drops duplicates by trigger_id). A trigger still
 * on its way to Kafka when its event is replayed can also be sent twice.
 */
public final class TriggerLedger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerLedger.class);
    private static final long SKEW_MS = 60_000;

    private final String topic;
    private final KafkaConsumer<String, String> consumer;

    public TriggerLedger(Properties kafkaClient, String topic) {
        this.topic = topic;
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** The triggers not found on the topic (all of them if the topic cannot be read). */
    public List<Triggers.Trigger> unsent(List<Triggers.Trigger> triggers) {
        if (triggers.isEmpty()) {
            return triggers;
        }
        try {
            Set<String> found = find(triggers);
            List<Triggers.Trigger> out = new ArrayList<>();
            for (Triggers.Trigger t : triggers) {
                if (!found.contains(t.id())) {
                    out.add(t);
                }
            }
            return out;
        } catch (RuntimeException e) {
            LOG.warn("cannot read {} to check replayed triggers; sending them again: {}", topic, e.toString());
            return triggers;
        }
    }

    private Set<String> find(List<Triggers.Trigger> triggers) {
        Set<String> wanted = new HashSet<>();
        long from = Long.MAX_VALUE;
        for (Triggers.Trigger t : triggers) {
            wanted.add(t.id());
            Object created = Json.readObject(t.json()).get("created_at");
            long at = created == null ? 0 : Instant.parse((String) created).toEpochMilli();
            from = Math.min(from, at - SKEW_MS);
        }
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(5)).forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
        consumer.assign(parts);
        Map<TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition tp : parts) {
            query.put(tp, Math.max(0, from));
        }
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, Duration.ofSeconds(5));
        Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(5));
        Set<String> found = new HashSet<>();
        for (TopicPartition tp : parts) {
            OffsetAndTimestamp start = starts.get(tp);
            if (start == null) {
                consumer.seek(tp, ends.get(tp));
            } else {
                consumer.seek(tp, start.offset());
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done(parts, ends) && found.size() < wanted.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading " + topic + " took too long");
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                for (String id : wanted) {
                    if (r.value() != null && r.value().contains(id)) {
                        found.add(id);
                    }
                }
            }
        }
        return found;
    }

    private boolean done(List<TopicPartition> parts, Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : parts) {
            if (consumer.position(tp) < ends.get(tp)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
