package io.gamecrm.profile;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.PlayerCampaigns;
import io.gamecrm.crm.DailyMetrics;
import io.gamecrm.crm.PlayerState;
import io.gamecrm.crm.ProfileStore;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ProfileStore} on Cassandra: prepared statements, all asynchronous, few requests. States
 * are read with one {@code IN} query per {@code readChunk} players; rows are written in UNLOGGED
 * batches of whole players' rows, up to {@code batchBytes} each (below Cassandra's default 50 KB
 * batch limit), so a batch of events costs a handful of requests instead of several per event.
 * With {@code batchBytes} 0 every row is its own request (for clusters where multi-partition
 * batches are unwelcome).
 */
public final class CassandraProfileStore implements ProfileStore {
    private final CqlSession session;
    private final int eventsTtlSeconds;
    private final CassandraSettings settings;
    private final int readChunk;
    private final int batchBytes;
    private final PreparedStatement selectProfiles;
    private final PreparedStatement upsertProfile;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertDecision;
    private final PreparedStatement insertMetric;
    private final PreparedStatement insertOutbox;
    private final PreparedStatement selectOutbox;
    private final PreparedStatement insertExposure;
    private final PreparedStatement insertConversion;

    public CassandraProfileStore(CqlSession session, CassandraSettings settings) {
        this.session = session;
        this.eventsTtlSeconds = settings.eventsTtlSeconds();
        this.settings = settings;
        this.readChunk = 64;
        this.batchBytes = settings.writeBatchBytes();
        String ks = settings.keyspace();
        this.selectProfiles = session.prepare("SELECT player_id, profile, campaigns, version, applied, outbox, daily,"
                + " exposures FROM " + ks + ".player_profile WHERE player_id IN ?");
        this.upsertProfile = session.prepare("INSERT INTO " + ks + ".player_profile "
                + "(player_id, profile, campaigns, version, applied, outbox, daily, updated_at, exposures) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.insertEvent = session.prepare("INSERT INTO " + ks + ".player_events "
                + "(player_id, day, event_id, source_event_id, event_type, event) VALUES (?, ?, ?, ?, ?, ?) USING TTL ?");
        this.insertDecision = session.prepare("INSERT INTO " + ks + ".campaign_decisions "
                + "(player_id, decided_at, campaign, handler, handler_version, outcome, reason, trigger_id, "
                + "cause_event_id, cause_event_type, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?");
        this.insertMetric = session.prepare("INSERT INTO " + ks + ".daily_metric_players "
                + "(day, metric, reached, player_id, at) VALUES (?, ?, ?, ?, ?) USING TTL ?");
        this.insertOutbox = session.prepare("INSERT INTO " + ks + ".trigger_outbox "
                + "(player_id, trigger_id, source_partition, source_offset, trigger) VALUES (?, ?, ?, ?, ?) USING TTL ?");
        this.selectOutbox = session.prepare("SELECT trigger_id, trigger FROM " + ks + ".trigger_outbox "
                + "WHERE player_id = ? AND trigger_id IN ?");
        this.insertExposure = session.prepare("INSERT INTO " + ks + ".campaign_exposures "
                + "(campaign, day, player_id, trigger_id, exposure_group, cause_event_id, exposed_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ?");
        this.insertConversion = session.prepare("INSERT INTO " + ks + ".campaign_conversions "
                + "(campaign, day, player_id, trigger_id, exposure_group, exposed_at, event_id, event_type, converted_at,"
                + " conversion_value, attribution) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?");
    }

    @Override
    public Map<String, CompletableFuture<PlayerState>> loadAll(Collection<String> playerIds) {
        Map<String, CompletableFuture<PlayerState>> out = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(playerIds);
        for (int from = 0; from < ids.size(); from += readChunk) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + readChunk));
            CompletableFuture<Map<String, PlayerState>> read = session.executeAsync(selectProfiles.bind(List.copyOf(chunk)))
                    .toCompletableFuture().thenCompose(rs -> readAll(rs, new HashMap<>()));
            for (String p : chunk) {
                out.put(p, read.thenApply(m -> m.getOrDefault(p, PlayerState.fresh(p))));
            }
        }
        return out;
    }

    private static CompletableFuture<Map<String, PlayerState>> readAll(
            AsyncResultSet rs, Map<String, PlayerState> into) {
        for (Row row : rs.currentPage()) {
            into.put(row.getString(0), fromRow(row));
        }
        if (rs.hasMorePages()) {
            return rs.fetchNextPage().toCompletableFuture().thenCompose(next -> readAll(next, into));
        }
        return CompletableFuture.completedFuture(into);
    }

    static PlayerState fromRow(Row row) {
        Map<Integer, Long> applied = row.getMap(4, Integer.class, Long.class);
        return new PlayerState(row.getString(0), row.getString(1), PlayerCampaigns.fromJson(row.getString(2)),
                row.getLong(3), applied == null ? Map.of() : applied, PlayerState.outboxFromJson(row.getString(5)),
                row.getString(6), row.getString(7));
    }

    @Override
    public Map<String, CompletableFuture<Void>> writeRows(Map<String, PlayerRows> rowsByPlayer) {
        Map<String, List<BoundStatement>> statements = new LinkedHashMap<>();
        rowsByPlayer.forEach((player, rows) -> {
            List<BoundStatement> list = new ArrayList<>();
            for (EventRow e : rows.events()) {
                if (!settings.keepsHistoryOf(e.eventType())) {
                    continue;
                }
                LocalDate day = e.eventTime().atOffset(ZoneOffset.UTC).toLocalDate();
                list.add(insertEvent.bind(e.playerId(), day, TimeUuids.of(e.eventTime().toEpochMilli(), e.eventId()),
                        e.eventId(), e.eventType(), e.json(), eventsTtlSeconds));
            }
            for (Decision d : rows.decisions()) {
                String key = d.causeEventId() + "/" + d.handler() + "/" + d.campaign();
                list.add(insertDecision.bind(d.playerId(), TimeUuids.of(d.eventTimeMs(), key), d.campaign(), d.handler(),
                        d.handlerVersion(), d.outcome().name(), d.reason(), d.triggerId(), d.causeEventId(),
                        d.causeEventType(), d.params(), eventsTtlSeconds));
            }
            for (DailyMetrics.Row r : rows.metrics()) {
                list.add(insertMetric.bind(r.day(), r.metric(), r.reached(), r.playerId(), Instant.ofEpochMilli(r.atMillis()),
                        eventsTtlSeconds));
            }
            for (OutboxRow t : rows.triggers()) {
                list.add(insertOutbox.bind(t.playerId(), t.triggerId(), t.partition(), t.offset(), t.json(), eventsTtlSeconds));
            }
            for (Exposure x : rows.exposures()) {
                list.add(insertExposure.bind(x.campaign(), dayOf(x.eventTimeMs()), x.playerId(), x.triggerId(),
                        x.group().label(), x.causeEventId(), Instant.ofEpochMilli(x.eventTimeMs()), eventsTtlSeconds));
            }
            for (Conversion c : rows.conversions()) {
                Exposure x = c.exposure();
                list.add(insertConversion.bind(x.campaign(), dayOf(x.eventTimeMs()), x.playerId(), x.triggerId(),
                        x.group().label(), Instant.ofEpochMilli(x.eventTimeMs()), c.eventId(), c.eventType(),
                        Instant.ofEpochMilli(c.eventTimeMs()), c.value(),
                        c.attribution().name().toLowerCase(Locale.ROOT), eventsTtlSeconds));
            }
            statements.put(player, list);
        });
        return execute(statements);
    }

    private static LocalDate dayOf(long epochMs) {
        return Instant.ofEpochMilli(epochMs).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    @Override
    public CompletableFuture<Map<String, String>> loadTriggers(String playerId, Collection<String> triggerIds) {
        return session.executeAsync(selectOutbox.bind(playerId, List.copyOf(triggerIds))).toCompletableFuture()
                .thenApply(rs -> {
                    Map<String, String> out = new HashMap<>();
                    for (Row r : rs.currentPage()) {
                        out.put(r.getString(0), r.getString(1));
                    }
                    return out;
                });
    }

    @Override
    public Map<String, CompletableFuture<Void>> saveAll(Collection<PlayerState> states, Instant updatedAt) {
        Map<String, List<BoundStatement>> statements = new LinkedHashMap<>();
        for (PlayerState s : states) {
            statements.put(s.playerId(), List.of(upsertProfile.bind(s.playerId(), s.profileJson(), s.campaigns().toJson(),
                    s.version(), s.applied(), s.outboxJson(), s.dailyJson(), updatedAt,
                    // "" rather than null when none: clears earlier ones without a tombstone per write
                    s.exposuresJson() == null ? "" : s.exposuresJson())));
        }
        return execute(statements);
    }

    /** Sends the statements in unlogged batches of whole players; one stage per player. */
    private Map<String, CompletableFuture<Void>> execute(Map<String, List<BoundStatement>> byPlayer) {
        Map<String, CompletableFuture<Void>> out = new LinkedHashMap<>();
        List<String> players = new ArrayList<>();
        BatchStatementBuilder batch = null;
        int bytes = 0;
        for (Map.Entry<String, List<BoundStatement>> e : byPlayer.entrySet()) {
            if (batchBytes <= 0) {
                out.put(e.getKey(), all(e.getValue()));
                continue;
            }
            int size = 0;
            for (BoundStatement s : e.getValue()) {
                size += estimatedBatchBytes(s.getValues());
            }
            if (batch != null && bytes + size > batchBytes) {
                flush(batch, players, out);
                batch = null;
                players = new ArrayList<>();
                bytes = 0;
            }
            if (batch == null) {
                batch = BatchStatement.builder(BatchType.UNLOGGED);
            }
            batch.addStatements(new ArrayList<>(e.getValue()));
            players.add(e.getKey());
            bytes += size;
        }
        if (batch != null) {
            flush(batch, players, out);
        }
        return out;
    }

    /** Bytes per row beyond its values as Cassandra counts a batch's size: the row's liveness info. */
    static final int ROW_OVERHEAD = 32;
    /** Bytes per cell beyond its value: timestamp (8), TTL (4) and local deletion time (8). */
    static final int CELL_OVERHEAD = 20;

    /**
     * A row's size as Cassandra counts it against {@code batch_size_fail_threshold} (the sum of the
     * cells' data sizes), from the statement's bound values; a little over, as the key's values
     * count here and not there.
     */
    static int estimatedBatchBytes(List<ByteBuffer> values) {
        int size = ROW_OVERHEAD;
        for (ByteBuffer v : values) {
            size += CELL_OVERHEAD + (v == null ? 0 : v.remaining());
        }
        return size;
    }

    private void flush(BatchStatementBuilder batch, List<String> players, Map<String, CompletableFuture<Void>> out) {
        CompletableFuture<Void> done = session.executeAsync(batch.build()).toCompletableFuture().thenApply(rs -> null);
        players.forEach(p -> out.put(p, done));
    }

    private CompletableFuture<Void> all(List<BoundStatement> statements) {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        statements.forEach(s -> fs.add(session.executeAsync(s).toCompletableFuture()));
        return CompletableFuture.allOf(fs.toArray(new CompletableFuture[0]));
    }
}
