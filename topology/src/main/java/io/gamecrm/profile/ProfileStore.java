package io.gamecrm.profile;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** Where profiles and the event log live. Asynchronous: results complete on driver threads. */
public interface ProfileStore {
    /** The player's profile, or {@link StoredProfile#NEW}. */
    CompletionStage<StoredProfile> load(String playerId);

    /** Writes the profile (json, version, applied position) in one row. */
    CompletionStage<Void> save(String playerId, StoredProfile profile, Instant updatedAt);

    /** Appends an event to player_events; writing the same event twice leaves one row. */
    CompletionStage<Void> appendEvent(String playerId, Instant eventTime, String eventId, String eventType,
                                      String eventJson);
}
