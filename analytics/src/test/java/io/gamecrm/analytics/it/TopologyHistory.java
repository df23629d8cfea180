package io.gamecrm.analytics.it;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.gamecrm.analytics.backtest.HandlerRuntime;
import io.gamecrm.analytics.history.GameHistory;
import io.gamecrm.crm.BatchProcessor;
import io.gamecrm.crm.CrmCore;
import io.gamecrm.crm.CrmEvent;
import io.gamecrm.profile.CassandraProfileStore;
import io.gamecrm.profile.CassandraSettings;
import io.gamecrm.profile.CqlSchema;
import io.gamecrm.validation.EventValidator;
import io.gamecrm.validation.SchemaCatalog;
import io.gamecrm.validation.ValidEvent;
import io.gamecrm.validation.ValidationResult;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Writes a generated history into a keyspace exactly as the topology's CRM bolt does: each event
 * validated, applied by the bolt's per-event core (handlers, caps, daily analytics of lost_streak)
 * in the bolt's write-behind BatchProcessor, and written by the topology's CassandraProfileStore.
 * Only Storm and Kafka are left out: what lands in Cassandra is what the topology would write.
 */
final class TopologyHistory {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TopologyHistory.class);
    static final String METRICS = "lost_streak";
    static final int CAP = 20;

    private TopologyHistory() {
    }

    static CqlSession cql(InetSocketAddress contactPoint, String datacenter) {
        return CqlSession.builder()
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                        .build())
                .addContactPoint(contactPoint).withLocalDatacenter(datacenter).build();
    }

    /** Creates the keyspace with the topology's schema and writes the events, in order, through the topology's path. */
    static void write(CqlSession session, String contactPoint, String datacenter, String keyspace, Path handlers,
                      List<GameHistory.Event> events) throws Exception {
        write(session, contactPoint, datacenter, keyspace, handlers, events, 0);
    }

    /**
     * Like {@link #write(CqlSession, String, String, String, Path, List)}, the events taking raw-topic
     * offsets from {@code firstOffset} on (a later part of a history continues the offsets of the first).
     */
    static void write(CqlSession session, String contactPoint, String datacenter, String keyspace, Path handlers,
                      List<GameHistory.Event> events, int firstOffset) throws Exception {
        long start = System.nanoTime();
        CqlSchema.apply(session, keyspace, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
        log.info("schema of {} applied in {} ms", keyspace, (System.nanoTime() - start) / 1_000_000);
        start = System.nanoTime();
        CassandraSettings settings = new CassandraSettings(contactPoint, datacenter, keyspace);
        long[] eventClock = {0};
        CrmCore core = HandlerRuntime.topologyCore(HandlerRuntime.Source.read(handlers), 1, METRICS, CAP,
                () -> eventClock[0]);
        BatchProcessor<Integer> batch = new BatchProcessor<>(new CassandraProfileStore(session, settings), core,
                BatchProcessor.Settings.DEFAULTS, Clock.systemUTC(), System::nanoTime, new BatchProcessor.Listener() {
                    @Override
                    public void storeFailed(String what, Throwable error, long backoffMillis) {
                        throw new IllegalStateException("the store failed: " + what, error);
                    }

                    @Override
                    public void storeRecovered(long downMillis) {
                    }
                });
        EventValidator validator = new EventValidator(SchemaCatalog.fromClasspath(), EventValidator.DEFAULT_MAX_BYTES);
        int offset = firstOffset;
        for (GameHistory.Event e : events) {
            ValidationResult r = validator.validate(e.json().getBytes(StandardCharsets.UTF_8));
            if (!(r instanceof ValidationResult.Valid valid)) {
                throw new IllegalStateException("the generator made an invalid event: " + r + " " + e.json());
            }
            ValidEvent v = valid.event();
            eventClock[0] = Math.max(eventClock[0], v.timestamp().toEpochMilli());
            CrmEvent event = new CrmEvent(v.eventId(), v.eventType(), v.playerId(), v.timestamp(), v.json(), 0, offset,
                    v.timestamp().toEpochMilli());
            if (!batch.offer(offset, event)) {
                throw new IllegalStateException("the batch refused event " + offset);
            }
            offset++;
            if (batch.pending() >= BatchProcessor.Settings.DEFAULTS.maxBatch()) {
                flush(batch);
            }
        }
        flush(batch);
        log.info("{} events written through the topology's core and store in {} ms", events.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void flush(BatchProcessor<Integer> batch) {
        BatchProcessor.Flushed<Integer> f = batch.flush();
        if (!f.failed().isEmpty()) {
            throw new IllegalStateException(f.failed().size() + " events failed to be written");
        }
    }
}
