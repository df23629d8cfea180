package io.gamecrm.profile;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionStage;

/** {@link ProfileStore} on Cassandra with prepared statements, all asynchronous. */
public final class CassandraProfileStore implements ProfileStore {
    private final CqlSession session;
    private final int eventsTtlSeconds;
    private final PreparedStatement selectProfile;
    private final PreparedStatement upsertProfile;
    private final PreparedStatement insertEvent;

    public CassandraProfileStore(CqlSession session, CassandraSettings settings) {
        this.session = session;
        this.eventsTtlSeconds = settings.eventsTtlSeconds();
        String ks = settings.keyspace();
        this.selectProfile = session.prepare("SELECT profile, version, applied_partition, applied_offset FROM "
                + ks + ".player_profile WHERE player_id = ?");
        this.upsertProfile = session.prepare("INSERT INTO " + ks + ".player_profile "
                + "(player_id, profile, version, applied_partition, applied_offset, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
        this.insertEvent = session.prepare("INSERT INTO " + ks + ".player_events "
                + "(player_id, day, event_id, source_event_id, event_type, event) VALUES (?, ?, ?, ?, ?, ?) USING TTL ?");
    }

    @Override
    public CompletionStage<StoredProfile> load(String playerId) {
        return session.executeAsync(selectProfile.bind(playerId)).thenApply(rs -> {
            Row row = rs.one();
            if (row == null) {
                return StoredProfile.NEW;
            }
            return new StoredProfile(row.getString(0), row.getLong(1),
                    row.isNull(2) ? -1 : row.getInt(2), row.isNull(3) ? -1 : row.getLong(3));
        });
    }

    @Override
    public CompletionStage<Void> save(String playerId, StoredProfile p, Instant updatedAt) {
        return session.executeAsync(upsertProfile.bind(playerId, p.json(), p.version(), p.appliedPartition(),
                p.appliedOffset(), updatedAt)).thenApply(rs -> null);
    }

    @Override
    public CompletionStage<Void> appendEvent(String playerId, Instant eventTime, String eventId, String eventType,
                                             String eventJson) {
        LocalDate day = eventTime.atOffset(ZoneOffset.UTC).toLocalDate();
        return session.executeAsync(insertEvent.bind(playerId, day, TimeUuids.of(eventTime.toEpochMilli(), eventId),
                eventId, eventType, eventJson, eventsTtlSeconds)).thenApply(rs -> null);
    }
}
