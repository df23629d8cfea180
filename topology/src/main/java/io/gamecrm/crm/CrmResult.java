package io.gamecrm.crm;

import io.gamecrm.handlers.HandlerFailure;
import io.gamecrm.handlers.TriggerRequest;
import io.gamecrm.trigger.Triggers;
import java.util.List;

/**
 * What processing one event produced.
 *
 * @param triggers        checked triggers to emit to crm-trigger
 * @param suppressed      requests that were decided but not emitted (shadow or paused campaign)
 * @param failures        handler invocations that threw
 * @param invalidTriggers requests whose trigger broke the trigger schema, with the reason
 * @param duplicate       true when the event had already been applied (a replay): nothing changed
 */
public record CrmResult(List<Triggers.Trigger> triggers, List<TriggerRequest> suppressed,
                        List<HandlerFailure> failures, List<String> invalidTriggers, boolean duplicate) {

    public static CrmResult duplicateOf() {
        return new CrmResult(List.of(), List.of(), List.of(), List.of(), true);
    }
}
