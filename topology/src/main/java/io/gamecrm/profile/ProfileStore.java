package io.gamecrm.profile;

import io.gamecrm.campaign.Decision;
import io.gamecrm.crm.DailyMetrics;
import io.gamecrm.crm.PlayerState;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where player states, the event log and the audit trail live. Asynchronous. */
public interface ProfileStore {
    /** The player's state, or a fresh one for a new player. */
    CompletionStage<PlayerState> load(String playerId);

    /** Writes the player's whole state in one row. */
    CompletionStage<Void> save(PlayerState state, Instant updatedAt);

    /** Appends an event to player_events; writing the same event twice leaves one row. */
    CompletionStage<Void> appendEvent(String playerId, Instant eventTime, String eventId, String eventType,
                                      String eventJson);

    /** Appends decisions to the audit trail; writing the same decision twice leaves one row. */
    CompletionStage<Void> recordDecisions(List<Decision> decisions);

    /** Records daily metric rows; writing the same row twice leaves one row. */
    CompletionStage<Void> recordMetrics(List<DailyMetrics.Row> rows);
}
