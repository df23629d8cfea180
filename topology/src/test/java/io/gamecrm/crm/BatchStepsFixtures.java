package io.gamecrm.crm;

import io.gamecrm.trigger.Triggers;
import java.util.List;
import java.util.Map;

/** Applied inputs for the tests of the write-behind's steps, without running handlers. */
final class BatchStepsFixtures {
    private BatchStepsFixtures() {
    }

    /** A first application (not a replay) with the given triggers. */
    static BatchProcessor.Acked<CrmEvent> applied(CrmEvent e, Triggers.Trigger... triggers) {
        return new BatchProcessor.Acked<>(e, e, new CrmCore.Result(false, List.of(triggers), List.of(), List.of(),
                Map.of(), List.of(), List.of()));
    }

    /** A replay of an applied event, with the triggers the state still has and the ids it has only. */
    static BatchProcessor.Acked<CrmEvent> replay(CrmEvent e, List<Triggers.Trigger> known, List<String> unresolved) {
        return new BatchProcessor.Acked<>(e, e, new CrmCore.Result(true, known, List.of(), List.of(), Map.of(),
                List.of(), unresolved));
    }

    static Triggers.Trigger trigger(String id, String player) {
        return new Triggers.Trigger(id, "battle-tanks-offer", player, "{\"trigger_id\":\"" + id + "\"}");
    }

    /** Takes a pipelined batch's steps while its I/O has answered; returns its outcome, or null while I/O is in flight. */
    static BatchProcessor.Flushed<CrmEvent> drive(GroupCommit.Pending<CrmEvent> run) {
        while (run.ready().isDone()) {
            BatchProcessor.Flushed<CrmEvent> f = run.advance();
            if (f != null) {
                return f;
            }
        }
        return null;
    }
}
