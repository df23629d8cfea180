package io.gamecrm.storm;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Outcome;
import io.gamecrm.handlers.HandlerFailure;
import io.gamecrm.handlers.Invocation;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.storm.task.TopologyContext;

/**
 * Per-handler and per-campaign metrics in Storm's metrics v2 registry, registered the first time
 * a handler runs or a campaign decides:
 * <ul>
 *   <li>{@code crm.handler.<name>.invocations | .errors | .timeouts} (counters), {@code .latency} (timer)</li>
 *   <li>{@code crm.campaign.<id>.fired} and {@code crm.campaign.<id>.suppressed.<reason>} (counters)</li>
 * </ul>
 * Names keep letters, digits, '-' and '_'; anything else becomes '_'.
 */
public final class CrmMetrics {
    private final TopologyContext context;
    private final Map<String, Counter> counters = new HashMap<>();
    private final Map<String, Timer> timers = new HashMap<>();

    public CrmMetrics(TopologyContext context) {
        this.context = context;
    }

    static String clean(String name) {
        return name == null ? "none" : name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private Counter counter(String name) {
        return counters.computeIfAbsent(name, context::registerCounter);
    }

    public void invocation(String handler, HandlerFailure.Phase phase, Invocation inv) {
        String base = "crm.handler." + clean(handler);
        counter(base + ".invocations").inc();
        if (inv.kind() == Invocation.Kind.ERROR) {
            counter(base + ".errors").inc();
        } else if (inv.kind() == Invocation.Kind.TIMEOUT) {
            counter(base + ".timeouts").inc();
        }
        timers.computeIfAbsent(base + ".latency", context::registerTimer).update(inv.nanos(), TimeUnit.NANOSECONDS);
    }

    public void decision(Decision d) {
        String campaign = "crm.campaign." + clean(d.campaign() == null ? "by-handler." + d.handler() : d.campaign());
        if (d.outcome() == Outcome.FIRED) {
            counter(campaign + ".fired").inc();
        } else {
            counter(campaign + ".suppressed." + d.outcome().name().toLowerCase()).inc();
        }
    }
}
