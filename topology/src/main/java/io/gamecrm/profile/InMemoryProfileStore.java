package io.gamecrm.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ProfileStore} in memory, for the offline handler tool and for tests. Appending the same
 * event twice keeps one entry, like the Cassandra table.
 */
public final class InMemoryProfileStore implements ProfileStore {
    private final Map<String, StoredProfile> profiles = new ConcurrentHashMap<>();
    private final Map<String, List<String>> events = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<StoredProfile> load(String playerId) {
        return CompletableFuture.completedFuture(profiles.getOrDefault(playerId, StoredProfile.NEW));
    }

    @Override
    public CompletionStage<Void> save(String playerId, StoredProfile profile, Instant updatedAt) {
        profiles.put(playerId, profile);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> appendEvent(String playerId, Instant eventTime, String eventId, String eventType,
                                             String eventJson) {
        List<String> list = events.computeIfAbsent(playerId, p -> new ArrayList<>());
        synchronized (list) {
            if (!list.contains(eventId)) {
                list.add(eventId);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    public StoredProfile profile(String playerId) {
        return profiles.getOrDefault(playerId, StoredProfile.NEW);
    }

    public List<String> eventIds(String playerId) {
        return List.copyOf(events.getOrDefault(playerId, List.of()));
    }
}
