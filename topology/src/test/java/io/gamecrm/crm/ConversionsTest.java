package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.campaign.Conversion;
import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.Holdout;
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
 * Exposures and conversions in the core:
 * <ul>
 *   <li>a fired or held-out offer is an exposure of its group, with its trigger id and event time;</li>
 *   <li>a later purchase within the window converts it, with the declared value; a second purchase does not;</li>
 *   <li>a replay of the converting event converts nothing again (the state row is the commit);</li>
 *   <li>open exposures survive the store (a restart) and convert afterwards;</li>
 *   <li>an offer_accepted with the trigger id converts exactly; the offer's own event never converts it;</li>
 *   <li>shadow and capped offers expose nobody.</li>
 * </ul>
 */
class ConversionsTest {
    private static final String GIFT = "crm.campaign({id: 'gift', holdout: 0.5, caps: {perPlayerPerDay: 1,"
            + " budget: {max: 100000, per: '1m'}}, conversion: {on: 'purchase', within: '24h', value: 'price'}});"
            + "crm.campaign({id: 'quiet', mode: 'shadow', conversion: {on: 'purchase', within: '1h'}});"
            + "crm.handler({name: 'always', on: ['login', 'purchase'], campaign: function (e, p, ctx) {"
            + " ctx.trigger('gift', {gems: 1}); ctx.trigger('quiet', {}); }});";
    private static final long HOUR = 3600;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private final HandlerSet set = HandlerSet.compile(List.of(HandlerFile.of("t.js", GIFT))).set();
    private final CrmCore core = new CrmCore(() -> set, InvocationPolicy.UNGUARDED,
            new CampaignGuard(1, clock::millis, () -> CampaignControl.NONE, (c, r) -> { }),
            new Triggers(SchemaCatalog.fromClasspath()), clock);

    private static String purchase(double price) {
        return "{\"item_id\":\"gems\",\"quantity\":1,\"price\":" + price + ",\"currency\":\"EUR\"}";
    }

    /** Two players: one treated, one in gift's control group. */
    private static String player(boolean heldOut) {
        for (int i = 0; ; i++) {
            if (Holdout.heldOut("gift", "p" + i, 0.5) == heldOut) {
                return "p" + i;
            }
        }
    }

    @Test
    void anOfferIsAnExposureAndALaterPurchaseConvertsItOnce() {
        for (boolean heldOut : new boolean[] {false, true}) {
            String bob = player(heldOut);
            PlayerState state = PlayerState.fresh(bob);

            CrmCore.Result login = core.apply(Events.login(bob, 0, 0, 10), state);
            // the purchase asks for gift again (capped today) and converts the morning's exposure
            CrmCore.Result buy = core.apply(Events.of("purchase", bob, 1, 2 * HOUR, purchase(4.99), 0, 11), state);
            CrmCore.Result again = core.apply(Events.of("purchase", bob, 2, 3 * HOUR, purchase(9.99), 0, 12), state);

            Exposure.Group group = heldOut ? Exposure.Group.HOLDOUT : Exposure.Group.TREATED;
            assertThat(login.exposures()).as("shadow offers expose nobody").singleElement().satisfies(e -> {
                assertThat(e.campaign()).isEqualTo("gift");
                assertThat(e.group()).isEqualTo(group);
                assertThat(e.triggerId()).isEqualTo(Triggers.triggerId("gift", bob, Events.id(bob, 0)));
                assertThat(e.eventTimeMs()).isEqualTo(Events.login(bob, 0, 0, 10).eventTime().toEpochMilli());
            });
            assertThat(buy.exposures()).as("capped: no exposure").isEmpty();
            assertThat(buy.conversions()).singleElement().satisfies(c -> {
                assertThat(c.exposure()).isEqualTo(login.exposures().get(0));
                assertThat(c.value()).isEqualTo(4.99);
                assertThat(c.eventId()).isEqualTo(Events.id(bob, 1));
                assertThat(c.attribution()).isEqualTo(Conversion.Attribution.WINDOW);
            });
            assertThat(again.conversions()).isEmpty();
        }
    }

    @Test
    void aReplayOfTheConvertingEventConvertsNothingAgain() {
        String bob = player(false);
        PlayerState state = PlayerState.fresh(bob);
        core.apply(Events.login(bob, 0, 0, 10), state);
        CrmEvent buy = Events.of("purchase", bob, 1, HOUR, purchase(1), 0, 11);

        assertThat(core.apply(buy, state).conversions()).hasSize(1);
        CrmCore.Result replay = core.apply(buy, state);

        assertThat(replay.duplicate()).isTrue();
        assertThat(replay.conversions()).isEmpty();
        assertThat(replay.exposures()).isEmpty();
    }

    @Test
    void openExposuresSurviveTheStoreAndConvertAfterARestart() {
        String bob = player(true);
        InMemoryProfileStore store = new InMemoryProfileStore();
        PlayerState state = PlayerState.fresh(bob);
        core.apply(Events.login(bob, 0, 0, 10), state);
        store.saveAll(List.of(state), Instant.EPOCH);

        PlayerState restarted = store.state(bob);
        assertThat(restarted.exposures().open()).hasSize(1);
        CrmCore.Result buy = core.apply(Events.of("purchase", bob, 1, HOUR, purchase(2), 0, 11), restarted);

        assertThat(buy.conversions()).singleElement()
                .satisfies(c -> assertThat(c.exposure().group()).isEqualTo(Exposure.Group.HOLDOUT));
        store.saveAll(List.of(restarted), Instant.EPOCH);
        assertThat(store.state(bob).exposures().isEmpty()).isTrue();
    }

    @Test
    void anAcceptedOfferConvertsItsExposureExactlyAndThenTheWindowHasNothingLeft() {
        String bob = player(false);
        PlayerState state = PlayerState.fresh(bob);
        String triggerId = core.apply(Events.login(bob, 0, 0, 10), state).exposures().get(0).triggerId();

        CrmCore.Result accepted = core.apply(Events.of("offer_accepted", bob, 1, 60,
                "{\"trigger_id\":\"" + triggerId + "\",\"campaign\":\"gift\"}", 0, 11), state);
        CrmCore.Result buy = core.apply(Events.of("purchase", bob, 2, 120, purchase(4.99), 0, 12), state);

        assertThat(accepted.conversions()).singleElement().satisfies(c -> {
            assertThat(c.exposure().triggerId()).isEqualTo(triggerId);
            assertThat(c.attribution()).isEqualTo(Conversion.Attribution.OFFER_ACCEPTED);
        });
        assertThat(buy.conversions()).isEmpty();
    }

    @Test
    void anOffersOwnEventDoesNotConvertIt() {
        String bob = player(false);
        PlayerState state = PlayerState.fresh(bob);

        CrmCore.Result buy = core.apply(Events.of("purchase", bob, 0, 0, purchase(4.99), 0, 10), state);

        assertThat(buy.exposures()).hasSize(1);
        assertThat(buy.conversions()).isEmpty();
        assertThat(state.exposures().open()).hasSize(1);
    }
}
