package io.gamecrm.storm;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Timer;
import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.Outcome;
import io.gamecrm.crm.CrmPipeline;
import io.gamecrm.handlers.HandlerAlerts;
import io.gamecrm.handlers.HandlerFailure;
import io.gamecrm.handlers.Invocation;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.storm.task.TopologyContext;

/**
 * Per-handler and per-campaign metrics in Storm's metrics v2 registry, registered the first time
 * a handler runs or a campaign decides:
 * <ul>
 *   <li>{@code crm.handler.<name>.invocations} and, per failure kind, {@code .errors | .timeouts | .memory |
 *       .stopped | .skipped} (counters), {@code .latency} (timer)</li>
 *   <li>{@code crm.campaign.<id>.fired} and {@code crm.campaign.<id>.suppressed.<reason>} (counters)</li>
 *   <li>{@code crm.campaign.<id>.exposures.<group>} and {@code crm.campaign.<id>.conversions.<group>}
 *       (counters; group {@code treated | holdout | holdout_global})</li>
 * </ul>
 * The task-level metrics of the pipeline ({@code crm.events.*}, {@code crm.batches.*}, gauges) are
 * registered through it as well. Names keep letters, digits, '-' and '_'; anything else becomes '_'.
 */
public final class CrmMetrics implements CrmPipeline.Metrics {
    private final TopologyContext context;
    // keyed by the raw handler name / campaign id: names are cleaned and registered once, not per event
    private final Map<String, HandlerMetrics> handlers = new HashMap<>();
    private final Map<String, CampaignMetrics> campaigns = new HashMap<>();

    public CrmMetrics(TopologyContext context) {
        this.context = context;
    }

    @Override
    public Counter counter(String name) {
        return context.registerCounter(name);
    }

    @Override
    public Timer timer(String name) {
        return context.registerTimer(name);
    }

    @Override
    public Histogram histogram(String name) {
        return context.registerHistogram(name);
    }

    @Override
    public void gauge(String name, Supplier<? extends Number> value) {
        context.registerGauge(name, value::get);
    }

    @Override
    public HandlerAlerts.Invocations invocations() {
        return (h, phase, inv) -> invocation(h.name(), phase, inv);
    }

    static String clean(String name) {
        return name == null ? "none" : name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    public void invocation(String handler, HandlerFailure.Phase phase, Invocation inv) {
        HandlerMetrics m = handlers.computeIfAbsent(handler, this::handlerMetrics);
        m.invocations.inc();
        if (inv.failed()) {
            m.failures.computeIfAbsent(inv.kind(), k -> context.registerCounter(m.base + "." + failureName(k))).inc();
        }
        m.latency.update(inv.nanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void decision(Decision d) {
        String key = d.campaign() == null ? "by-handler." + d.handler() : d.campaign();
        CampaignMetrics m = campaign(key);
        if (d.outcome() == Outcome.FIRED) {
            m.fired.inc();
        } else {
            m.suppressed.computeIfAbsent(d.outcome(),
                o -> context.registerCounter(m.base + ".suppressed." + o.name().toLowerCase())).inc();
        }
    }

    @Override
    public void exposure(Exposure e) {
        CampaignMetrics m = campaign(e.campaign());
        m.exposures.computeIfAbsent(e.group(), g -> context.registerCounter(m.base + ".exposures." + g.label())).inc();
    }

    @Override
    public void conversion(Conversion c) {
        Exposure e = c.exposure();
        CampaignMetrics m = campaign(e.campaign());
        m.conversions.computeIfAbsent(e.group(), g -> context.registerCounter(m.base + ".conversions." + g.label())).inc();
    }

    /** The metrics of a campaign (or of a handler's requests without one), registered on first use. */
    private CampaignMetrics campaign(String key) {
        return campaigns.computeIfAbsent(key, k -> new CampaignMetrics("crm.campaign." + clean(k)));
    }

    static String failureName(Invocation.Kind kind) {
        return switch (kind) {
            case ERROR -> "errors";
            case TIMEOUT -> "timeouts";
            default -> kind.name().toLowerCase(Locale.ROOT);
        };
    }

    private HandlerMetrics handlerMetrics(String handler) {
        String base = "crm.handler." + clean(handler);
        return new HandlerMetrics(base, context.registerCounter(base + ".invocations"), new EnumMap<>(Invocation.Kind.class),
            context.registerTimer(base + ".latency"));
    }

    private record HandlerMetrics(String base, Counter invocations, Map<Invocation.Kind, Counter> failures, Timer latency) {
    }

    private final class CampaignMetrics {
        final String base;
        final Counter fired;
        final Map<Outcome, Counter> suppressed = new EnumMap<>(Outcome.class);
        final Map<Exposure.Group, Counter> exposures = new EnumMap<>(Exposure.Group.class);
        final Map<Exposure.Group, Counter> conversions = new EnumMap<>(Exposure.Group.class);

        CampaignMetrics(String base) {
            this.base = base;
            this.fired = context.registerCounter(base + ".fired");
        }
    }
}
