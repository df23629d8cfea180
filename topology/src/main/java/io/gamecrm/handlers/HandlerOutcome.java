package io.gamecrm.handlers;

import java.util.List;
import java.util.Map;

/**
 * What the handlers made of one event.
 *
 * @param profileJson the whole profile after the update handlers, or null when nothing changed
 * @param changes     the keys the update handlers changed, with new values (null = removed)
 * @param requests    the offers campaign handlers asked for, in handler order
 * @param failures    the handler invocations that failed (threw, budgets, watchdog, skipped)
 * @param skipped     campaign handlers of this event that did not run because their breaker is open
 * @param logs        what handlers wrote with crm.log, per call
 */
public record HandlerOutcome(String profileJson, Map<String, Object> changes, List<TriggerRequest> requests,
                             List<HandlerFailure> failures, List<HandlerSet.Handler> skipped, List<Log> logs) {

    /** The crm.log lines of one call (at most crm.handlers.log.lines; more are counted in dropped). */
    public record Log(String handler, String file, List<String> lines, int dropped) {
    }

    public HandlerOutcome(String profileJson, Map<String, Object> changes, List<TriggerRequest> requests,
                          List<HandlerFailure> failures, List<HandlerSet.Handler> skipped) {
        this(profileJson, changes, requests, failures, skipped, List.of());
    }

    public boolean profileChanged() {
        return profileJson != null;
    }
}
