package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.campaign.Decision;
import io.gamecrm.campaign.Holdout;
import io.gamecrm.campaign.Outcome;
import io.gamecrm.handlers.HandlerFile;
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
 * The global holdout (crm.holdout.global): a player in the game's global holdout gets no offer of
 * any campaign; each such decision is HOLDOUT_GLOBAL with the params and trigger id it would have
 * had, and counts against the caps like a fired offer. It takes precedence over a campaign's own
 * holdout. Share 0 (the default) changes nothing.
 */
class GlobalHoldoutDecisionsTest {
    private static final String TWO = "crm.campaign({id: 'gift', caps: {perPlayerPerDay: 1,"
            + " budget: {max: 100000, per: '1m'}}});"
            + "crm.campaign({id: 'bonus', holdout: 0.5, caps: {perPlayerPerDay: 1, budget: {max: 100000, per: '1m'}}});"
            + "crm.handler({name: 'always', on: ['login'], campaign: function (e, p, ctx) {"
            + " ctx.trigger('gift', {gems: 1}); ctx.trigger('bonus', {gems: 2}); }});";

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private final HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("t.js", TWO))).set();

    private CrmCore core(double globalHoldout) {
        return new CrmCore(() -> set, InvocationPolicy.UNGUARDED,
                new CampaignGuard(1, clock::millis, () -> CampaignControl.NONE, (c, r) -> { }),
                new Triggers(SchemaCatalog.fromClasspath()), clock, DailyMetrics.NONE, globalHoldout);
    }

    @Test
    void playersInTheGlobalHoldoutGetNoCampaignButDecisionsAndTheirCapsAreUsed() {
        CrmCore core = core(0.3);
        int held = 0;
        for (int i = 0; i < 300; i++) {
            String player = "p" + i;
            PlayerState state = PlayerState.fresh(player);
            CrmCore.Result first = core.apply(Events.login(player, 0, 0, 2L * i), state);
            CrmCore.Result second = core.apply(Events.login(player, 1, 0, 2L * i + 1), state);
            if (Holdout.heldOutGlobally("tank-wars", player, 0.3)) {
                held++;
                assertThat(first.triggers()).isEmpty();
                assertThat(first.decisions()).extracting(Decision::outcome)
                        .containsExactly(Outcome.HOLDOUT_GLOBAL, Outcome.HOLDOUT_GLOBAL);
                Decision gift = first.decisions().get(0);
                assertThat(gift.params()).isEqualTo("{\"gems\":1}");
                assertThat(gift.triggerId()).isEqualTo(Triggers.triggerId("gift", player, Events.id(player, 0)));
                assertThat(gift.reason()).startsWith("holdout_global").contains("tank-wars");
            } else {
                assertThat(first.decisions().get(0).outcome()).isEqualTo(Outcome.FIRED);
                assertThat(first.decisions().get(1).outcome()).isEqualTo(
                        Holdout.heldOut("bonus", player, 0.5) ? Outcome.HOLDOUT : Outcome.FIRED);
            }
            // the same day's second offers hit the cap in every group
            assertThat(second.decisions()).extracting(Decision::outcome)
                    .containsExactly(Outcome.CAP_PER_DAY, Outcome.CAP_PER_DAY);
        }
        assertThat(held).isBetween(60, 130);
    }

    @Test
    void withoutAGlobalHoldoutOnlyTheCampaignsOwnGroupIsHeldOut() {
        CrmCore core = core(0);
        for (int i = 0; i < 100; i++) {
            String player = "p" + i;
            CrmCore.Result r = core.apply(Events.login(player, 0, 0, i), PlayerState.fresh(player));
            assertThat(r.decisions()).extracting(Decision::outcome).doesNotContain(Outcome.HOLDOUT_GLOBAL);
            assertThat(r.decisions().get(0).outcome()).isEqualTo(Outcome.FIRED);
        }
    }

    @Test
    void aGlobalShareOutsideZeroToAHalfIsRefusedBySettingsAndCore() {
        assertThatThrownBy(() -> core(0.6)).hasMessageContaining("crm.holdout.global");
        assertThatThrownBy(() -> new CrmSettings(500, 5000, 5000, 10, "lost_streak", 20, "", -0.1))
                .hasMessageContaining("crm.holdout.global");
        assertThat(CrmSettings.DEFAULTS.globalHoldout()).isZero();
    }
}
