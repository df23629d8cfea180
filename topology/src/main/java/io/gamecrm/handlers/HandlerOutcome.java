package io.gamecrm.handlers;

import java.util.List;
import java.util.Map;

/**
 * What the handlers made of one event.
 *
 * @param profileJson the whole profile after the update handlers, or null when nothing changed
 * @param changes     the keys the update handlers changed, with new values (null = removed)
 * @param requests    the offers campaign handlers asked for, in handler order
 * @param failures    the handler invocations that threw or timed out
 * @param skipped     campaign handlers of this event that did not run because their breaker is open
 */
public record HandlerOutcome(String profileJson, Map<String, Object> changes, List<TriggerRequest> requests,
                             List<HandlerFailure> failures, List<HandlerSet.Handler> skipped) {

    public boolean profileChanged() {
        return profileJson != null;
    }
}
