package io.gamecrm.bench;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Splits the latency of each output the benchmark receives into stages, from the timestamps the
 * output carries. Both topics are created with {@code message.timestamp.type=LogAppendTime}, so a
 * record's timestamp is the moment the broker appended it.
 *
 * <ul>
 *   <li>a trigger (the full pipeline): its cause's send time ({@code cause_event_time}), the raw
 *       record's append time ({@code ingested_at_ms}), the moment the CRM task decided the offer
 *       ({@code created_at}), the trigger record's append time, the receive time. Stages:
 *       {@link #PRODUCE} (producer → raw topic), {@link #TO_DECISION} (spout poll, validation,
 *       partitioning, queues, the wait for a batch, the state read, the handlers), {@link #TO_OUTPUT}
 *       (the rest of the batch, its two writes to Cassandra, ack, emit and the KafkaBolt's send),
 *       {@link #TO_CONSUMER} (broker → the benchmark's consumer);</li>
 *   <li>a passed-through event: its send time ({@code timestamp}), the output record's append time,
 *       the receive time: {@link #THROUGH} (producer → raw topic → spout → KafkaBolt → output
 *       topic) and {@link #TO_CONSUMER}.</li>
 * </ul>
 * Append times are in milliseconds, so a stage is resolved to about a millisecond.
 */
final class LatencyStages {
    static final String PRODUCE = "produce → raw topic";
    static final String TO_DECISION = "raw topic → decision";
    static final String TO_OUTPUT = "decision → trigger topic";
    static final String THROUGH = "produce → output topic";
    static final String TO_CONSUMER = "output topic → consumer";

    private static final Pattern CAUSE = Pattern.compile("\"cause_event_time\":\"([^\"]+)\"");
    private static final Pattern SENT = Pattern.compile("\"timestamp\":\"([^\"]+)\"");
    private static final Pattern INGESTED = Pattern.compile("\"ingested_at_ms\":(\\d+)");
    private static final Pattern CREATED = Pattern.compile("\"created_at\":\"([^\"]+)\"");
    private static final long HOUR_MICROS = 3_600_000_000L;

    /** One output's latency: in all, and by stage (µs, in stage order). */
    record Sample(long sentMicros, long totalMicros, Map<String, Long> stageMicros) {
    }

    /** The percentiles of one stage over a window (ms). */
    record Stage(String name, double p50Ms, double p99Ms) {
    }

    private final Histogram total = new Histogram(HOUR_MICROS, 3);
    private final Map<String, Histogram> stages = new LinkedHashMap<>();

    /**
     * Splits one output, or returns null when it carries no send time (not an output of a measured
     * event).
     *
     * @param appendMs     the output record's timestamp (broker append time)
     * @param receivedMicros when the consumer got it, epoch µs
     */
    static Sample split(String json, long appendMs, long receivedMicros) {
        Long cause = micros(CAUSE, json);
        if (cause != null) {
            Long ingested = number(INGESTED, json);
            Long created = micros(CREATED, json);
            Map<String, Long> s = new LinkedHashMap<>();
            if (ingested != null && created != null) {
                s.put(PRODUCE, ingested * 1000 - cause);
                s.put(TO_DECISION, created - ingested * 1000);
                s.put(TO_OUTPUT, appendMs * 1000 - created);
            }
            s.put(TO_CONSUMER, receivedMicros - appendMs * 1000);
            return new Sample(cause, receivedMicros - cause, s);
        }
        Long sent = micros(SENT, json);
        if (sent == null) {
            return null;
        }
        Map<String, Long> s = new LinkedHashMap<>();
        s.put(THROUGH, appendMs * 1000 - sent);
        s.put(TO_CONSUMER, receivedMicros - appendMs * 1000);
        return new Sample(sent, receivedMicros - sent, s);
    }

    /** Records one sample (a negative stage, from millisecond rounding, counts as zero). */
    synchronized void record(Sample sample) {
        total.recordValue(clamp(sample.totalMicros()));
        sample.stageMicros().forEach((name, micros) ->
                stages.computeIfAbsent(name, k -> new Histogram(HOUR_MICROS, 3)).recordValue(clamp(micros)));
    }

    synchronized long count() {
        return total.getTotalCount();
    }

    synchronized double totalMs(double percentile) {
        return total.getValueAtPercentile(percentile) / 1000.0;
    }

    synchronized double maxMs() {
        return total.getMaxValue() / 1000.0;
    }

    synchronized List<Stage> stages() {
        List<Stage> out = new ArrayList<>();
        stages.forEach((name, h) -> out.add(new Stage(name, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0)));
        return out;
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(micros, HOUR_MICROS));
    }

    private static Long micros(Pattern p, String json) {
        Matcher m = p.matcher(json);
        if (!m.find()) {
            return null;
        }
        try {
            Instant t = Instant.parse(m.group(1));
            return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }
}
