package io.gamecrm.crm;

import io.gamecrm.campaign.CampaignDef;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.Holdout;
import io.gamecrm.campaign.Outcome;
import io.gamecrm.handlers.HandlerFailure;
import io.gamecrm.handlers.HandlerOutcome;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.InvocationPolicy;
import io.gamecrm.handlers.ProfileHealth;
import io.gamecrm.handlers.TriggerRequest;
import io.gamecrm.json.Json;
import io.gamecrm.trigger.Triggers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The CRM logic for one event, without I/O: recognise a replay, run the handlers, decide each
 * requested offer (caps, budget, mode, holdouts), build and check the triggers, record the
 * exposures (offers fired or held out) and the conversions of earlier ones, and update the player's
 * state. Everything it decides is returned; the caller makes it durable, then emits and acks.
 */
public final class CrmCore {
    private final Supplier<HandlerSet> handlers;
    private final InvocationPolicy policy;
    private final CampaignGuard guard;
    private final Triggers triggers;
    private final Clock clock;
    private final DailyMetrics daily;
    private final double globalHoldout;

    public CrmCore(Supplier<HandlerSet> handlers, InvocationPolicy policy, CampaignGuard guard, Triggers triggers,
                   Clock clock) {
        this(handlers, policy, guard, triggers, clock, DailyMetrics.NONE);
    }

    public CrmCore(Supplier<HandlerSet> handlers, InvocationPolicy policy, CampaignGuard guard, Triggers triggers,
                   Clock clock, DailyMetrics daily) {
        this(handlers, policy, guard, triggers, clock, daily, 0);
    }

    /**
     * @param globalHoldout the share of each game's players that gets no offer at all
     *                      (crm.holdout.global, {@link Holdout#heldOutGlobally}), in [0, 0.5]
     */
    public CrmCore(Supplier<HandlerSet> handlers, InvocationPolicy policy, CampaignGuard guard, Triggers triggers,
                   Clock clock, DailyMetrics daily, double globalHoldout) {
        this.globalHoldout = Holdout.checkGlobalShare(globalHoldout);
        this.handlers = handlers;
        this.policy = policy;
        this.guard = guard;
        this.triggers = triggers;
        this.clock = clock;
        this.daily = daily;
    }

    /**
     * What one event produced.
     *
     * @param duplicate  true for a replay of an applied event: the state is unchanged and
     *                   {@code triggers} are the ones it emitted the first time (same ids)
     * @param unresolved for a replay, the ids of its triggers that are not in memory (the state was
     *                   read from the store): the caller reads them from trigger_outbox
     * @param exposures  the offers of this event that fired or were held out (none for a replay)
     * @param conversions the exposures of earlier events that this event converts (none for a replay:
     *                   the state that closed them was written with the event)
     */
    public record Result(boolean duplicate, List<Triggers.Trigger> triggers, List<Decision> decisions,
                         List<HandlerFailure> failures, Map<String, Object> changes, List<DailyMetrics.Row> metrics,
                         List<String> unresolved, ProfileHealth.Repair repair, List<HandlerOutcome.Log> logs,
                         List<Exposure> exposures, List<Conversion> conversions) {
        public Result(boolean duplicate, List<Triggers.Trigger> triggers, List<Decision> decisions,
                      List<HandlerFailure> failures, Map<String, Object> changes, List<DailyMetrics.Row> metrics,
                      List<String> unresolved) {
            this(duplicate, triggers, decisions, failures, changes, metrics, unresolved, null, List.of());
        }

        public Result(boolean duplicate, List<Triggers.Trigger> triggers, List<Decision> decisions,
                      List<HandlerFailure> failures, Map<String, Object> changes, List<DailyMetrics.Row> metrics,
                      List<String> unresolved, ProfileHealth.Repair repair, List<HandlerOutcome.Log> logs) {
            this(duplicate, triggers, decisions, failures, changes, metrics, unresolved, repair, logs, List.of(),
                    List.of());
        }
    }

    public Result apply(CrmEvent event, PlayerState state) {
        if (state.hasApplied(event.partition(), event.offset())) {
            List<Triggers.Trigger> again = new ArrayList<>();
            List<String> unresolved = new ArrayList<>();
            for (PlayerState.OutboxEntry e : state.triggersOf(event.partition(), event.offset())) {
                if (e.json() == null) {
                    unresolved.add(e.triggerId());
                } else {
                    again.add(new Triggers.Trigger(e.triggerId(), null, state.playerId(), e.json()));
                }
            }
            return new Result(true, again, List.of(), List.of(), Map.of(), List.of(), unresolved);
        }
        HandlerSet set = handlers.get();
        long eventTime = event.eventTime().toEpochMilli();
        ProfileHealth.Repair repair = null;
        if (!state.profileChecked()) {
            // a profile read from the store: one that breaks the limits is repaired, never fails for ever
            repair = ProfileHealth.check(state.profileJson(), set.limits(), set::writesKey);
            state.profileChecked(repair == null ? null : repair.profileJson());
        }
        // before this event's own offers: an offer is converted by later events only
        List<Conversion> conversions = state.exposures().isEmpty() ? List.of()
                : state.exposures().convert(event.eventId(), event.eventType(), eventTime, () -> payloadOf(event));
        HandlerOutcome outcome = set.process(event.eventType(), event.eventId(), eventTime, event.json(),
                state.isNew() ? null : state.profileJson(), policy);

        List<Decision> decisions = new ArrayList<>();
        List<Triggers.Trigger> fired = new ArrayList<>();
        List<Exposure> exposures = new ArrayList<>();
        Triggers.Cause cause = null; // made for the first offer asked for: most events ask for none
        for (HandlerFailure f : outcome.failures()) {
            if (f.phase() == HandlerFailure.Phase.CAMPAIGN) {
                decisions.add(new Decision(event.playerId(), null, f.handler(), f.version(), Outcome.HANDLER_ERROR,
                        f.kind().name().toLowerCase(Locale.ROOT) + ": " + f.message(), null, event.eventId(),
                        event.eventType(), eventTime, null));
            }
        }
        for (HandlerSet.Handler h : outcome.skipped()) {
            decisions.add(new Decision(event.playerId(), null, h.name(), h.file().version(), Outcome.HANDLER_DISABLED,
                    "disabled by its circuit breaker", null, event.eventId(), event.eventType(), eventTime, null));
        }
        for (TriggerRequest request : outcome.requests()) {
            CampaignDef campaign = set.campaigns().get(request.campaign());
            if (campaign == null || !campaign.file().equals(request.file())) {
                // the runtime lets a handler ask only for its own file's campaigns; never trust it blindly
                decisions.add(decision(event, request, Outcome.INVALID_TRIGGER, "campaign '" + request.campaign()
                        + "' is not declared by " + request.file(), null));
                continue;
            }
            String triggerId = Triggers.triggerId(request.campaign(), event.playerId(), event.eventId());
            if (request.duplicate()) {
                decisions.add(decision(event, request, Outcome.ONCE_PER_EVENT, "already asked for on this event"
                        + " (a campaign fires at most once per event)", triggerId));
                continue;
            }
            if (cause == null) {
                cause = new Triggers.Cause(event.eventId(), event.eventType(), event.playerId(),
                        Triggers.gameOf(event.json()), event.eventTime(), event.ingestedAtMs());
            }
            Triggers.Trigger trigger;
            try {
                trigger = triggers.build(request, cause, clock.instant());
            } catch (Triggers.InvalidTriggerException e) {
                decisions.add(decision(event, request, Outcome.INVALID_TRIGGER, e.getMessage(), null));
                continue;
            }
            CampaignGuard.Verdict verdict = guard.decide(campaign, state.campaigns(), eventTime);
            if (verdict.outcome() == Outcome.FIRED) {
                verdict = holdout(campaign, event.playerId(), cause.game(), verdict);
            }
            decisions.add(decision(event, request, verdict.outcome(), verdict.reason(), triggerId));
            if (verdict.outcome() == Outcome.FIRED) {
                fired.add(trigger);
            }
            Exposure.Group group = Exposure.Group.of(verdict.outcome());
            if (group != null) {
                Exposure exposure = new Exposure(campaign.id(), event.playerId(), group, triggerId, event.eventId(),
                        eventTime);
                exposures.add(exposure);
                state.exposures().add(exposure, campaign.conversion());
            }
        }
        List<PlayerState.OutboxEntry> outbox = new ArrayList<>();
        for (Triggers.Trigger t : fired) {
            outbox.add(new PlayerState.OutboxEntry(event.partition(), event.offset(), t.id(), t.json()));
        }
        List<DailyMetrics.Row> metricRows = daily.observe(state, outcome.changes(), eventTime);
        state.markApplied(event.partition(), event.offset(), outcome.profileJson(), outbox);
        return new Result(false, fired, decisions, outcome.failures(), outcome.changes(), metricRows, List.of(), repair,
                outcome.logs(), exposures, conversions);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payloadOf(CrmEvent event) {
        Object payload = Json.readObject(event.json()).get("payload");
        return payload instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /**
     * A fired offer of a held-out player becomes HOLDOUT_GLOBAL (the game's global holdout, first)
     * or HOLDOUT (the campaign's control group). The guard has already counted it against the caps
     * and the budget, like a fired offer: the groups stay comparable.
     */
    private CampaignGuard.Verdict holdout(CampaignDef campaign, String playerId, String game,
                                          CampaignGuard.Verdict fired) {
        Exposure.Group group = Holdout.group(game, campaign.id(), playerId, campaign.holdout(), globalHoldout);
        if (group == Exposure.Group.HOLDOUT_GLOBAL) {
            return new CampaignGuard.Verdict(Outcome.HOLDOUT_GLOBAL, "holdout_global: in the global holdout of game '"
                    + game + "' (" + globalHoldout + " of players get no campaign), counted against the caps like a"
                    + " fired offer");
        }
        if (group == Exposure.Group.HOLDOUT) {
            return new CampaignGuard.Verdict(Outcome.HOLDOUT, "holdout: in the control group ("
                    + campaign.holdout() + " of players), counted against the caps like a fired offer");
        }
        return fired;
    }

    private static Decision decision(CrmEvent event, TriggerRequest request, Outcome outcome, String reason,
                                     String triggerId) {
        return new Decision(event.playerId(), request.campaign(), request.handler(), request.version(), outcome,
                reason, triggerId, event.eventId(), event.eventType(), event.eventTime().toEpochMilli(),
                request.paramsJson());
    }
}
