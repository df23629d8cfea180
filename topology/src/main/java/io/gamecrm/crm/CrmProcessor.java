package io.gamecrm.crm;

import io.gamecrm.handlers.CampaignMode;
import io.gamecrm.handlers.HandlerOutcome;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.TriggerRequest;
import io.gamecrm.profile.ProfileStore;
import io.gamecrm.profile.StoredProfile;
import io.gamecrm.trigger.Triggers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The per-event logic of the CRM bolt, free of Storm: load the player's profile, skip the event if
 * it was already applied (replay), run the handlers, store the profile and the event, and turn the
 * campaign requests into checked triggers. The returned stage completes once the writes are
 * durable; only then may triggers be emitted and the input acked.
 *
 * <p>A replay is recognised by the raw-topic position stored with the profile: the raw topic is
 * keyed by player id, so all of a player's events come from one partition in offset order.
 */
public final class CrmProcessor {
    private final ProfileStore store;
    private final Supplier<HandlerSet> handlers;
    private final Triggers triggers;
    private final Clock clock;

    public CrmProcessor(ProfileStore store, Supplier<HandlerSet> handlers, Triggers triggers, Clock clock) {
        this.store = store;
        this.handlers = handlers;
        this.triggers = triggers;
        this.clock = clock;
    }

    public CompletionStage<CrmResult> process(CrmEvent event) {
        return store.load(event.playerId()).thenCompose(stored -> apply(event, stored));
    }

    static boolean alreadyApplied(StoredProfile stored, CrmEvent event) {
        return stored.appliedPartition() == event.partition() && event.offset() <= stored.appliedOffset();
    }

    private CompletionStage<CrmResult> apply(CrmEvent event, StoredProfile stored) {
        if (alreadyApplied(stored, event)) {
            return CompletableFuture.completedFuture(CrmResult.duplicateOf());
        }
        HandlerSet set = handlers.get();
        HandlerOutcome outcome = set.process(event.eventType(), event.eventTime().toEpochMilli(), event.json(),
                stored.isNew() ? null : stored.json());

        List<Triggers.Trigger> fired = new ArrayList<>();
        List<TriggerRequest> suppressed = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        Triggers.Cause cause = new Triggers.Cause(event.eventId(), event.eventType(), event.playerId(),
                event.eventTime(), event.ingestedAtMs());
        for (TriggerRequest request : outcome.requests()) {
            if (request.mode() != CampaignMode.LIVE) {
                suppressed.add(request);
                continue;
            }
            try {
                fired.add(triggers.build(request, cause, clock.instant()));
            } catch (Triggers.InvalidTriggerException e) {
                invalid.add(e.getMessage());
            }
        }

        String json = outcome.profileChanged() ? outcome.profileJson() : stored.json();
        StoredProfile next = new StoredProfile(json, stored.version() + 1, event.partition(), event.offset());
        CompletionStage<Void> saved = store.save(event.playerId(), next, clock.instant());
        CompletionStage<Void> logged = store.appendEvent(event.playerId(), event.eventTime(), event.eventId(),
                event.eventType(), event.json());
        return saved.thenCombine(logged, (a, b) -> new CrmResult(List.copyOf(fired), List.copyOf(suppressed),
                outcome.failures(), List.copyOf(invalid), false));
    }
}
