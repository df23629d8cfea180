package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Holdout;
import io.gamecrm.campaign.Outcome;
import io.gamecrm.handlers.HandlerFile;
import io.gamecrm.handlers.HandlerProblem;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.InvocationPolicy;
import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A campaign with a holdout: a held-out player who qualifies gets no trigger, the decision says
 * HOLDOUT with the params that would have been sent, and the offer counts against the caps as a
 * fired one does; the others get theirs. Bad holdout declarations are refused.
 */
class HoldoutDecisionsTest {
    private static final String GIFT = "crm.campaign({id: 'gift', holdout: 0.5, caps: {perPlayerPerDay: 1,"
            + " budget: {max: 100000, per: '1m'}}});"
            + "crm.handler({name: 'always', on: ['login'], campaign: function (e, p, ctx) {"
            + " ctx.trigger('gift', {gems: 1}); }});";

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private final HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("t.js", GIFT))).set();
    private final CrmCore core = new CrmCore(() -> set, InvocationPolicy.UNGUARDED,
            new CampaignGuard(1, clock::millis, () -> CampaignControl.NONE, (c, r) -> { }),
            new Triggers(SchemaCatalog.fromClasspath()), clock);

    @Test
    void heldOutPlayersGetNoTriggerButADecisionAndTheirCapIsUsed() {
        int held = 0;
        for (int i = 0; i < 200; i++) {
            String player = "p" + i;
            PlayerState state = PlayerState.fresh(player);
            CrmCore.Result first = core.apply(Events.login(player, 0, 0, 2L * i), state);
            CrmCore.Result second = core.apply(Events.login(player, 1, 0, 2L * i + 1), state);
            Decision d = first.decisions().get(0);
            if (Holdout.heldOut("gift", player, 0.5)) {
                held++;
                assertThat(first.triggers()).isEmpty();
                assertThat(d.outcome()).isEqualTo(Outcome.HOLDOUT);
                assertThat(d.params()).isEqualTo("{\"gems\":1}");
                assertThat(d.triggerId()).isEqualTo(Triggers.triggerId("gift", player, Events.id(player, 0)));
            } else {
                assertThat(d.outcome()).isEqualTo(Outcome.FIRED);
                assertThat(first.triggers()).hasSize(1);
            }
            // the same day's second offer hits the cap in both groups
            assertThat(second.decisions().get(0).outcome()).isEqualTo(Outcome.CAP_PER_DAY);
            assertThat(second.triggers()).isEmpty();
        }
        assertThat(held).isBetween(60, 140);
    }

    @Test
    void aHoldoutOutsideZeroToAHalfIsRefused() {
        for (String bad : new String[] {"0.7", "-0.1", "'0.1'", "NaN", "[0.1]"}) {
            HandlerSet.Compilation c = HandlerSet.compile(List.of(HandlerFile.of("t.js",
                    "crm.campaign({id: 'gift', mode: 'shadow', holdout: " + bad + "});")));

            assertThat(c.problems()).as(bad).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(HandlerProblem.Kind.INVALID_DECLARATION);
                assertThat(p.reason()).contains("holdout");
            });
        }
    }
}
