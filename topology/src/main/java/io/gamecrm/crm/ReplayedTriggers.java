package io.gamecrm.crm;

import io.gamecrm.trigger.Triggers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A replayed event whose triggers were made before this task's cache knew them (the state keeps
 * only their ids, {@link CrmCore.Result#unresolved()}): their JSON is read back from the outbox
 * rows and added to the replay's triggers, so they can be sent again with the same ids.
 */
final class ReplayedTriggers {
    private ReplayedTriggers() {
    }

    /** Whether the input is a replay with triggers to read back. */
    static boolean needsLookup(BatchProcessor.Acked<?> a) {
        return a.result().duplicate() && !a.result().unresolved().isEmpty();
    }

    /** The input with the outbox's triggers (by id, JSON) added to its own; nothing is left unresolved. */
    static <T> BatchProcessor.Acked<T> withOutbox(BatchProcessor.Acked<T> a, Map<String, String> outbox) {
        List<Triggers.Trigger> all = new ArrayList<>(a.result().triggers());
        outbox.forEach((id, json) -> all.add(new Triggers.Trigger(id, null, a.event().playerId(), json)));
        CrmCore.Result r = a.result();
        return new BatchProcessor.Acked<>(a.handle(), a.event(), new CrmCore.Result(true, all, r.decisions(),
                r.failures(), r.changes(), r.metrics(), List.of()));
    }
}
