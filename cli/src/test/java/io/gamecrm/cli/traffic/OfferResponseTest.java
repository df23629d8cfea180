package io.gamecrm.cli.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gamecrm.campaign.CampaignCaps;
import io.gamecrm.campaign.CampaignDef;
import io.gamecrm.campaign.CampaignMode;
import io.gamecrm.campaign.ConversionRule;
import io.gamecrm.campaign.Exposure.Group;
import io.gamecrm.campaign.Holdout;
import io.gamecrm.json.Json;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.EventValidator;
import io.gamecrm.validation.SchemaCatalog;
import io.gamecrm.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's players answer the offer:
 * <ul>
 *   <li>the same seed gives the same traffic, answers included</li>
 *   <li>over thousands of exposed players the conversion rates are close to the configured ones, and
 *       the groups to the holdout shares (the topology's {@link Holdout#group})</li>
 *   <li>a treated player's purchase names the offer (its trigger id), comes after the third loss in a
 *       row that made it and within the delay; offer_shown a second after; held-out players get none</li>
 *   <li>in a window the player buys only the answer; every event still passes the schemas</li>
 *   <li>a campaign without a purchase conversion has no response; bad settings are refused</li>
 * </ul>
 */
class OfferResponseTest {
    private static final EventValidator VALIDATOR = new EventValidator(SchemaCatalog.fromClasspath(), 65536);
    private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    private static final long STEP_MS = 50;
    private static final String CAMPAIGN = "battle-tanks-offer";
    private static final Duration DELAY = Duration.ofMinutes(2);

    private static OfferResponse response(double holdout, double global, double treated, double heldOut) {
        return new OfferResponse(CAMPAIGN, holdout, global, 1, Duration.ofHours(24), treated, heldOut, DELAY, true);
    }

    /** n events, one every STEP_MS of event time from START (400k events: under six hours, one UTC day). */
    private static List<GameTraffic.Event> play(GameTraffic t, int n) {
        List<GameTraffic.Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(t.next(START.plusMillis(i * STEP_MS)));
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameAnswers() {
        OfferResponse r = response(0.1, 0.02, 0.3, 0.2);
        assertThat(play(new GameTraffic(5, 500, 0.01, r), 50_000)).isEqualTo(play(new GameTraffic(5, 500, 0.01, r), 50_000));
    }

    @Test
    void conversionRatesAndGroupsAreCloseToTheConfiguredOnesOverManyPlayers() {
        GameTraffic t = new GameTraffic(11, 5000, 0, response(0.5, 0.0, 0.30, 0.20));
        play(t, 400_000);
        ResponseTally tally = t.tally();

        long treated = tally.exposed(Group.TREATED);
        long heldOut = tally.exposed(Group.HOLDOUT);
        assertThat(treated + heldOut).as("players exposed").isGreaterThan(3000);
        // 4 standard errors: about 0.01 for the rates, 0.008 for the share
        assertThat((double) heldOut / (treated + heldOut)).isCloseTo(0.5, within(0.04));
        assertThat(tally.rate(Group.TREATED)).isCloseTo(0.30, within(0.045));
        assertThat(tally.rate(Group.HOLDOUT)).isCloseTo(0.20, within(0.04));
        assertThat(tally.exposed(Group.HOLDOUT_GLOBAL)).isZero();
    }

    @Test
    void theGlobalHoldoutComesFirstAsInTheTopology() {
        GameTraffic t = new GameTraffic(3, 4000, 0, response(0.1, 0.2, 0.3, 0.2));
        play(t, 120_000);
        ResponseTally tally = t.tally();
        long all = tally.exposed(Group.TREATED) + tally.exposed(Group.HOLDOUT) + tally.exposed(Group.HOLDOUT_GLOBAL);
        assertThat((double) tally.exposed(Group.HOLDOUT_GLOBAL) / all).isCloseTo(0.2, within(0.04));
        // the campaign's 10% are drawn from the other 80%
        assertThat((double) tally.exposed(Group.HOLDOUT) / all).isCloseTo(0.08, within(0.03));
    }

    @Test
    void aTreatedPurchaseNamesItsOfferAndComesAfterTheThirdLossWithinTheDelay() {
        List<GameTraffic.Event> events = play(new GameTraffic(9, 300, 0, response(0.3, 0, 0.5, 0.5)), 30_000);
        Map<String, Integer> streak = new HashMap<>();
        Map<String, Long> thirdLossAt = new HashMap<>(); // trigger id -> event time
        int answered = 0;
        int shown = 0;
        for (GameTraffic.Event e : events) {
            Map<String, Object> m = Json.readObject(e.json());
            long at = Instant.parse((String) m.get("timestamp")).toEpochMilli();
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) m.get("payload");
            switch (e.type()) {
                case "fight" -> {
                    int s = "lost".equals(payload.get("result")) ? streak.getOrDefault(e.playerId(), 0) + 1 : 0;
                    streak.put(e.playerId(), s);
                    if (s == 3) {
                        thirdLossAt.put(Triggers.triggerId(CAMPAIGN, e.playerId(), e.eventId()), at);
                    }
                }
                case "purchase" -> {
                    Object id = payload.get("offer_trigger_id");
                    if (id != null) {
                        answered++;
                        assertThat(thirdLossAt).containsKey((String) id);
                        assertThat(at - thirdLossAt.get(id)).isPositive().isLessThanOrEqualTo(DELAY.toMillis() + STEP_MS);
                        assertThat(Holdout.group(GameTraffic.GAME, CAMPAIGN, e.playerId(), 0.3, 0)).isEqualTo(Group.TREATED);
                    }
                }
                case "offer_shown" -> {
                    shown++;
                    assertThat(payload).containsEntry("campaign", CAMPAIGN);
                    assertThat(thirdLossAt).containsKey((String) payload.get("trigger_id"));
                    assertThat(at - thirdLossAt.get(payload.get("trigger_id"))).isBetween(1000L, 1000L + STEP_MS);
                    assertThat(Holdout.group(GameTraffic.GAME, CAMPAIGN, e.playerId(), 0.3, 0)).isEqualTo(Group.TREATED);
                }
                default -> { }
            }
        }
        assertThat(answered).isPositive();
        assertThat(shown).isGreaterThan(answered);
    }

    @Test
    void inAWindowThePlayerBuysOnlyTheAnswerAndEveryEventIsValid() {
        // nobody answers: once exposed, a player buys nothing for the rest of the (one-day) run
        GameTraffic t = new GameTraffic(4, 200, 0, response(0.2, 0, 0, 0));
        List<GameTraffic.Event> events = play(t, 40_000);
        Map<String, Boolean> exposed = new HashMap<>();
        Map<String, Integer> streak = new HashMap<>();
        for (GameTraffic.Event e : events) {
            ValidationResult r = VALIDATOR.validate(e.json().getBytes(StandardCharsets.UTF_8));
            assertThat(r).as(e.json()).isInstanceOf(ValidationResult.Valid.class);
            if (e.type().equals("fight")) {
                int s = e.json().contains("\"result\":\"lost\"") ? streak.getOrDefault(e.playerId(), 0) + 1 : 0;
                streak.put(e.playerId(), s);
                if (s == 3) {
                    exposed.put(e.playerId(), true);
                }
            }
            if (e.type().equals("purchase")) {
                assertThat(exposed).as("a purchase of an exposed player").doesNotContainKey(e.playerId());
            }
        }
        assertThat(exposed).hasSizeGreaterThan(100);
        assertThat(t.tally().converted(Group.TREATED) + t.tally().converted(Group.HOLDOUT)).isZero();
    }

    @Test
    void aCampaignWithoutAPurchaseConversionHasNoResponse() {
        CampaignCaps caps = new CampaignCaps(1, null, 0, null);
        CampaignDef none = new CampaignDef(CAMPAIGN, CampaignMode.LIVE, caps, 0.1, "f.js", "v1");
        CampaignDef login = new CampaignDef(CAMPAIGN, CampaignMode.LIVE, caps, 0.1,
                new ConversionRule("login", Duration.ofHours(1), null), "f.js", "v1");
        CampaignDef purchase = new CampaignDef(CAMPAIGN, CampaignMode.LIVE, caps, 0.1,
                new ConversionRule("purchase", Duration.ofHours(1), "price"), "f.js", "v1");

        assertThat(OfferResponse.to(none, 0, 0.3, 0.2, DELAY, true)).isNull();
        assertThat(OfferResponse.to(login, 0, 0.3, 0.2, DELAY, true)).isNull();
        OfferResponse r = OfferResponse.to(purchase, 0.05, 0.3, 0.2, Duration.ofHours(3), true);
        assertThat(r.holdout()).isEqualTo(0.1);
        assertThat(r.globalHoldout()).isEqualTo(0.05);
        assertThat(r.perPlayerPerDay()).isEqualTo(1);
        assertThat(r.maxDelay()).as("capped at the window").isEqualTo(Duration.ofHours(1));
        assertThat(r.trueUplift()).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void badSettingsAreRefusedClearly() {
        assertThatThrownBy(() -> response(0.6, 0, 0.3, 0.2)).hasMessageContaining("holdout shares");
        assertThatThrownBy(() -> response(0.1, 0, 1.3, 0.2)).hasMessageContaining("response rates");
        assertThatThrownBy(() -> new OfferResponse(CAMPAIGN, 0.1, 0, 1, Duration.ofMinutes(1), 0.3, 0.2,
                Duration.ofMinutes(2), false)).hasMessageContaining("within the conversion window");
        assertThatThrownBy(() -> new OfferResponse(" ", 0.1, 0, 1, Duration.ofMinutes(1), 0.3, 0.2,
                Duration.ofMinutes(1), false)).hasMessageContaining("campaign id");
    }
}
