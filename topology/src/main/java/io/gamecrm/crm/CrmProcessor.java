package io.gamecrm.crm;

import io.gamecrm.profile.ProfileStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Processes one event at a time against the profile store: load the player's state, apply the
 * event ({@link CrmCore}) on the calling thread (the executor thread: script engines are
 * single-threaded), and write the state, the event and the decisions, waiting until they are
 * durable. Throws when the store fails or is too slow; the caller fails the tuple for replay.
 */
public final class CrmProcessor {
    private final ProfileStore store;
    private final CrmCore core;
    private final Clock clock;
    private final Duration timeout;

    public CrmProcessor(ProfileStore store, CrmCore core, Clock clock, Duration timeout) {
        this.store = store;
        this.core = core;
        this.clock = clock;
        this.timeout = timeout;
    }

    public CrmCore.Result process(CrmEvent event) throws Exception {
        PlayerState state = store.load(event.playerId()).toCompletableFuture()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        CrmCore.Result result = core.apply(event, state);
        if (!result.duplicate()) {
            CompletableFuture.allOf(
                    store.save(state, clock.instant()).toCompletableFuture(),
                    store.appendEvent(event.playerId(), event.eventTime(), event.eventId(), event.eventType(),
                            event.json()).toCompletableFuture(),
                    store.recordDecisions(result.decisions()).toCompletableFuture())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return result;
    }
}
