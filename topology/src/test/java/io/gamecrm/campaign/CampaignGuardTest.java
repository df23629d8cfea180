package io.gamecrm.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spec of the campaign guardrails:
 * <ul>
 *   <li>a live campaign fires and remembers the offer in the player's history</li>
 *   <li>perPlayerPerDay suppresses a second offer the same UTC day and allows one the next day</li>
 *   <li>cooldown suppresses an offer within the window and allows one after it</li>
 *   <li>a campaign over its budget is suppressed, pauses itself, and alerts once</li>
 *   <li>the budget is shared among the CRM tasks</li>
 *   <li>a lifted budget pause starts a fresh window</li>
 *   <li>a shadow campaign is decided but not fired, and does not use up the live caps</li>
 *   <li>mode paused and the kill switch suppress with their reason</li>
 * </ul>
 */
class CampaignGuardTest {
    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
    private long now = T0;
    private CampaignControl control = CampaignControl.NONE;
    private final List<String> alerts = new ArrayList<>();

    private CampaignGuard guard(int tasks) {
        return new CampaignGuard(tasks, () -> now, () -> control, (c, reason) -> alerts.add(c.id() + ": " + reason));
    }

    private static CampaignDef campaign(CampaignMode mode, CampaignCaps caps) {
        return new CampaignDef("tanks", mode, caps, 0, "t.js", "v1");
    }

    @Test
    void aLiveCampaignFiresAndRemembersTheOffer() {
        PlayerCampaigns bob = PlayerCampaigns.empty();

        CampaignGuard.Verdict v = guard(1).decide(campaign(CampaignMode.LIVE, CampaignCaps.NONE), bob, T0);

        assertThat(v.outcome()).isEqualTo(Outcome.FIRED);
        assertThat(bob.get("tanks").countOnDay()).isEqualTo(1);
        assertThat(PlayerCampaigns.fromJson(bob.toJson()).get("tanks")).isEqualTo(bob.get("tanks"));
    }

    @Test
    void perPlayerPerDaySuppressesTheSecondOfferOfTheDayOnly() {
        CampaignGuard g = guard(1);
        CampaignDef c = campaign(CampaignMode.LIVE, new CampaignCaps(1, null, 0, null));
        PlayerCampaigns bob = PlayerCampaigns.empty();

        assertThat(g.decide(c, bob, T0).outcome()).isEqualTo(Outcome.FIRED);
        CampaignGuard.Verdict again = g.decide(c, bob, T0 + 3_600_000);
        assertThat(again.outcome()).isEqualTo(Outcome.CAP_PER_DAY);
        assertThat(again.reason()).contains("cap 1 per player per day");
        assertThat(g.decide(c, bob, T0 + 24 * 3_600_000).outcome()).isEqualTo(Outcome.FIRED);
    }

    @Test
    void cooldownSuppressesWithinTheWindowAndAllowsAfter() {
        CampaignGuard g = guard(1);
        CampaignDef c = campaign(CampaignMode.LIVE, new CampaignCaps(0, Duration.ofHours(6), 0, null));
        PlayerCampaigns bob = PlayerCampaigns.empty();

        g.decide(c, bob, T0);

        assertThat(g.decide(c, bob, T0 + 5 * 3_600_000).outcome()).isEqualTo(Outcome.COOLDOWN);
        assertThat(g.decide(c, bob, T0 + 6 * 3_600_000).outcome()).isEqualTo(Outcome.FIRED);
    }

    @Test
    void aCampaignOverItsBudgetIsSuppressedPausesItselfAndAlertsOnce() {
        CampaignGuard g = guard(1);
        CampaignDef c = campaign(CampaignMode.LIVE, new CampaignCaps(0, null, 3, Duration.ofMinutes(1)));

        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            outcomes.add(g.decide(c, PlayerCampaigns.empty(), T0).outcome());
        }

        assertThat(outcomes).containsExactly(Outcome.FIRED, Outcome.FIRED, Outcome.FIRED, Outcome.BUDGET,
                Outcome.PAUSED, Outcome.PAUSED);
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a).startsWith("tanks: more than 3 offers per 60 s"));
        now += 120_000;
        assertThat(g.decide(c, PlayerCampaigns.empty(), now).outcome()).as("still paused in a new window")
                .isEqualTo(Outcome.PAUSED);
    }

    @Test
    void theBudgetIsSharedAmongTheTasks() {
        CampaignGuard g = guard(4);
        CampaignDef c = campaign(CampaignMode.LIVE, new CampaignCaps(0, null, 10, Duration.ofMinutes(1)));

        long fired = 0;
        for (int i = 0; i < 10; i++) {
            fired += g.decide(c, PlayerCampaigns.empty(), T0).outcome() == Outcome.FIRED ? 1 : 0;
        }

        assertThat(fired).isEqualTo(3); // ceil(10 / 4)
    }

    @Test
    void aLiftedBudgetPauseStartsAFreshWindow() {
        CampaignGuard g = guard(1);
        CampaignDef c = campaign(CampaignMode.LIVE, new CampaignCaps(0, null, 1, Duration.ofMinutes(1)));
        g.decide(c, PlayerCampaigns.empty(), T0);
        g.decide(c, PlayerCampaigns.empty(), T0);
        CampaignControl published = new CampaignControl(Map.of(), Map.of("tanks", "over budget"));
        g.onControl(control, published);
        control = published;
        assertThat(g.decide(c, PlayerCampaigns.empty(), T0).outcome()).isEqualTo(Outcome.PAUSED);

        g.onControl(control, CampaignControl.NONE);
        control = CampaignControl.NONE;

        assertThat(g.decide(c, PlayerCampaigns.empty(), T0).outcome()).isEqualTo(Outcome.FIRED);
    }

    @Test
    void aShadowCampaignIsDecidedButNotFiredAndLeavesTheLiveCapsAlone() {
        CampaignGuard g = guard(1);
        CampaignCaps oncePerDay = new CampaignCaps(1, null, 0, null);
        PlayerCampaigns bob = PlayerCampaigns.empty();

        assertThat(g.decide(campaign(CampaignMode.SHADOW, oncePerDay), bob, T0).outcome()).isEqualTo(Outcome.SHADOW);
        assertThat(g.decide(campaign(CampaignMode.SHADOW, oncePerDay), bob, T0).outcome()).isEqualTo(Outcome.CAP_PER_DAY);
        assertThat(g.decide(campaign(CampaignMode.LIVE, oncePerDay), bob, T0).outcome()).isEqualTo(Outcome.FIRED);
    }

    @Test
    void modePausedSuppresses() {
        CampaignGuard.Verdict v = guard(1).decide(campaign(CampaignMode.PAUSED, CampaignCaps.NONE),
                PlayerCampaigns.empty(), T0);

        assertThat(v.outcome()).isEqualTo(Outcome.PAUSED);
        assertThat(v.reason()).contains("mode: paused");
    }

    @Test
    void theKillSwitchSuppressesWithItsReason() {
        control = new CampaignControl(Map.of("tanks", "too generous, see OPS-42"), Map.of());

        CampaignGuard.Verdict v = guard(1).decide(campaign(CampaignMode.LIVE, CampaignCaps.NONE), PlayerCampaigns.empty(), T0);

        assertThat(v.outcome()).isEqualTo(Outcome.PAUSED);
        assertThat(v.reason()).isEqualTo("kill switch: too generous, see OPS-42");
    }
}
