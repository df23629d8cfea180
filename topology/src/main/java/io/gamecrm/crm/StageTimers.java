package io.gamecrm.crm;

import com.codahale.metrics.Timer;
import io.gamecrm.Names;
import java.util.function.Function;

/**
 * The CRM task's stage timers ({@link Names.StageMetrics}): how long an input waits for its batch
 * (one sample per input), and each batch's state reads, apply and writes, and its emits (one
 * sample per batch).
 */
public record StageTimers(Timer waiting, Timer reading, Timer applying, Timer writing, Timer emitting) {

    /** Registers the timers by their names. */
    public static StageTimers of(Function<String, Timer> timers) {
        return new StageTimers(timers.apply(Names.StageMetrics.WAIT), timers.apply(Names.StageMetrics.READ),
                timers.apply(Names.StageMetrics.APPLY), timers.apply(Names.StageMetrics.WRITE),
                timers.apply(Names.StageMetrics.EMIT));
    }

    /** Timers no registry reports (a processor built without metrics). */
    public static StageTimers unregistered() {
        return of(name -> new Timer());
    }
}
