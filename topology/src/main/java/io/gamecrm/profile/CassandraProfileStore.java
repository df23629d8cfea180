package io.gamecrm.profile;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.PlayerCampaigns;
import io.gamecrm.crm.DailyMetrics;
import io.gamecrm.crm.PlayerState;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link ProfileStore} on Cassandra with prepared statements, all asynchronous. */
public final class CassandraProfileStore implements ProfileStore {
    private final CqlSession session;
    private final int eventsTtlSeconds;
    private final PreparedStatement selectProfile;
    private final PreparedStatement upsertProfile;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertDecision;
    private final PreparedStatement insertMetric;

    public CassandraProfileStore(CqlSession session, CassandraSettings settings) {
        this.session = session;
        this.eventsTtlSeconds = settings.eventsTtlSeconds();
        String ks = settings.keyspace();
        this.selectProfile = session.prepare("SELECT profile, campaigns, version, applied, outbox, daily FROM "
                + ks + ".player_profile WHERE player_id = ?");
        this.upsertProfile = session.prepare("INSERT INTO " + ks + ".player_profile "
                + "(player_id, profile, campaigns, version, applied, outbox, daily, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        this.insertEvent = session.prepare("INSERT INTO " + ks + ".player_events "
                + "(player_id, day, event_id, source_event_id, event_type, event) VALUES (?, ?, ?, ?, ?, ?) USING TTL ?");
        this.insertDecision = session.prepare("INSERT INTO " + ks + ".campaign_decisions "
                + "(player_id, decided_at, campaign, handler, handler_version, outcome, reason, trigger_id, "
                + "cause_event_id, cause_event_type, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?");
        this.insertMetric = session.prepare("INSERT INTO " + ks + ".daily_metric_players "
                + "(day, metric, reached, player_id, at) VALUES (?, ?, ?, ?, ?) USING TTL ?");
    }

    @Override
    public CompletionStage<PlayerState> load(String playerId) {
        return session.executeAsync(selectProfile.bind(playerId)).thenApply(rs -> fromRow(playerId, rs.one()));
    }

    static PlayerState fromRow(String playerId, Row row) {
        if (row == null) {
            return PlayerState.fresh(playerId);
        }
        Map<Integer, Long> applied = row.getMap(3, Integer.class, Long.class);
        return new PlayerState(playerId, row.getString(0), PlayerCampaigns.fromJson(row.getString(1)), row.getLong(2),
                applied == null ? Map.of() : applied, PlayerState.outboxFromJson(row.getString(4)), row.getString(5));
    }

    @Override
    public CompletionStage<Void> save(PlayerState s, Instant updatedAt) {
        return session.executeAsync(upsertProfile.bind(s.playerId(), s.profileJson(), s.campaigns().toJson(),
                s.version(), s.applied(), s.outboxJson(), s.dailyJson(), updatedAt)).thenApply(rs -> null);
    }

    @Override
    public CompletionStage<Void> appendEvent(String playerId, Instant eventTime, String eventId, String eventType,
                                             String eventJson) {
        LocalDate day = eventTime.atOffset(ZoneOffset.UTC).toLocalDate();
        return session.executeAsync(insertEvent.bind(playerId, day, TimeUuids.of(eventTime.toEpochMilli(), eventId),
                eventId, eventType, eventJson, eventsTtlSeconds)).thenApply(rs -> null);
    }

    @Override
    public CompletionStage<Void> recordDecisions(List<Decision> decisions) {
        if (decisions.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>();
        for (Decision d : decisions) {
            String key = d.causeEventId() + "/" + d.handler() + "/" + d.campaign();
            writes.add(session.executeAsync(insertDecision.bind(d.playerId(), TimeUuids.of(d.eventTimeMs(), key),
                    d.campaign(), d.handler(), d.handlerVersion(), d.outcome().name(), d.reason(), d.triggerId(),
                    d.causeEventId(), d.causeEventType(), d.params(), eventsTtlSeconds)).toCompletableFuture());
        }
        return CompletableFuture.allOf(writes.toArray(new CompletableFuture[0]));
    }

    @Override
    public CompletionStage<Void> recordMetrics(List<DailyMetrics.Row> rows) {
        if (rows.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>();
        for (DailyMetrics.Row r : rows) {
            writes.add(session.executeAsync(insertMetric.bind(r.day(), r.metric(), r.reached(), r.playerId(),
                    Instant.ofEpochMilli(r.atMillis()), eventsTtlSeconds)).toCompletableFuture());
        }
        return CompletableFuture.allOf(writes.toArray(new CompletableFuture[0]));
    }
}
