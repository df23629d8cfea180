package io.gamecrm.crm;

import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Exposure;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where player states, the event log, the audit trail and the daily analytics live. Batch-oriented
 * and asynchronous: each call covers many players, and answers with one stage per player, so a
 * failure is attributed to the players it concerns.
 *
 * <p>The pipeline's port: the Cassandra adapter ({@code io.gamecrm.profile.CassandraProfileStore})
 * and {@link InMemoryProfileStore} implement it, so the pipeline knows no database.
 */
public interface ProfileStore {
    /** An event as appended to player_events. */
    record EventRow(String playerId, Instant eventTime, String eventId, String eventType, String json) {
    }

    /** A trigger kept for re-emission (trigger_outbox). */
    record OutboxRow(String playerId, String triggerId, int partition, long offset, String json) {
    }

    /** What one batch writes for one player before its state (phase A). */
    record PlayerRows(List<EventRow> events, List<Decision> decisions, List<DailyMetrics.Row> metrics,
                      List<OutboxRow> triggers, List<Exposure> exposures, List<Conversion> conversions) {
        /** Without exposures and conversions. */
        public PlayerRows(List<EventRow> events, List<Decision> decisions, List<DailyMetrics.Row> metrics,
                          List<OutboxRow> triggers) {
            this(events, decisions, metrics, triggers, List.of(), List.of());
        }
    }

    /** The players' states (a fresh state for a player never seen), one stage per player. */
    Map<String, CompletableFuture<PlayerState>> loadAll(Collection<String> playerIds);

    /** Writes the players' keyed rows; writing the same rows twice leaves the same rows. */
    Map<String, CompletableFuture<Void>> writeRows(Map<String, PlayerRows> rowsByPlayer);

    /** The stored triggers (JSON) of one player, by trigger id; ids not found are absent. */
    CompletableFuture<Map<String, String>> loadTriggers(String playerId, Collection<String> triggerIds);

    /** Writes each player's whole state in one row: the commit of the events it applied. */
    Map<String, CompletableFuture<Void>> saveAll(Collection<PlayerState> states, Instant updatedAt);
}
