package io.gamecrm.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.Outcome;
import io.gamecrm.handlers.HandlerFailure;
import io.gamecrm.handlers.Invocation;
import org.apache.storm.task.TopologyContext;
import org.junit.jupiter.api.Test;

class CrmMetricsTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final TopologyContext context = mock(TopologyContext.class);

    CrmMetricsTest() {
        when(context.registerCounter(anyString())).thenAnswer(a -> registry.counter(a.getArgument(0, String.class)));
        when(context.registerTimer(anyString())).thenAnswer(a -> registry.timer(a.getArgument(0, String.class)));
    }

    @Test
    void countsInvocationsPerHandlerUnderCleanedNamesRegisteredOnce() {
        CrmMetrics metrics = new CrmMetrics(context);
        for (int i = 0; i < 3; i++) {
            metrics.invocation("tank offer", HandlerFailure.Phase.CAMPAIGN, new Invocation(Invocation.Kind.OK, 1_000, null));
        }
        metrics.invocation("tank offer", HandlerFailure.Phase.CAMPAIGN, new Invocation(Invocation.Kind.ERROR, 2_000, "boom"));

        assertEquals(4, registry.counter("crm.handler.tank_offer.invocations").getCount());
        assertEquals(1, registry.counter("crm.handler.tank_offer.errors").getCount());
        assertEquals(0, registry.counter("crm.handler.tank_offer.timeouts").getCount());
        Timer latency = registry.timer("crm.handler.tank_offer.latency");
        assertEquals(4, latency.getCount());
        verify(context, times(1)).registerCounter("crm.handler.tank_offer.invocations");
    }

    @Test
    void countsDecisionsFiredAndSuppressedByReason() {
        CrmMetrics metrics = new CrmMetrics(context);
        metrics.decision(decision("tanks-4", Outcome.FIRED));
        metrics.decision(decision("tanks-4", Outcome.FIRED));
        metrics.decision(decision("tanks-4", Outcome.COOLDOWN));
        metrics.decision(decision("tanks-4", Outcome.COOLDOWN));
        Counter fired = registry.counter("crm.campaign.tanks-4.fired");
        assertEquals(2, fired.getCount());
        assertEquals(2, registry.counter("crm.campaign.tanks-4.suppressed.cooldown").getCount());
        verify(context, times(1)).registerCounter("crm.campaign.tanks-4.suppressed.cooldown");
    }

    @Test
    void countsExposuresAndConversionsPerCampaignAndGroup() {
        CrmMetrics metrics = new CrmMetrics(context);
        Exposure treated = new Exposure("tanks-4", "bob", Exposure.Group.TREATED, "t1", "e1", 0);
        Exposure held = new Exposure("tanks-4", "ann", Exposure.Group.HOLDOUT, "t2", "e2", 0);
        metrics.exposure(treated);
        metrics.exposure(treated);
        metrics.exposure(held);
        metrics.conversion(new Conversion(held, "e3", "purchase", 1, null, Conversion.Attribution.WINDOW));

        assertEquals(2, registry.counter("crm.campaign.tanks-4.exposures.treated").getCount());
        assertEquals(1, registry.counter("crm.campaign.tanks-4.exposures.holdout").getCount());
        assertEquals(1, registry.counter("crm.campaign.tanks-4.conversions.holdout").getCount());
        assertEquals(0, registry.counter("crm.campaign.tanks-4.conversions.treated").getCount());
        verify(context, times(1)).registerCounter("crm.campaign.tanks-4.exposures.treated");
    }

    private static Decision decision(String campaign, Outcome outcome) {
        return new Decision("bob", campaign, "three-losses", "v1", outcome, null, null, "e1", "fight", 0L, "{}");
    }
}
