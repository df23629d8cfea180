package io.gamecrm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.campaign.Exposure;
import io.gamecrm.campaign.Holdout;
import io.gamecrm.cli.traffic.GameTraffic;
import io.gamecrm.cli.traffic.OfferResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's default Bob gets his offer: he is never in a holdout, whatever the time of day names him. */
class DemoStoryPlayerTest {
    @Test
    void theDefaultBobIsInNoHoldout() {
        OfferResponse r = new OfferResponse("battle-tanks-offer", 0.3, 0.2, 1, Duration.ofHours(24), 0.3, 0.2,
                Duration.ofMinutes(2), true);
        int renamed = 0;
        for (int i = 0; i < 2000; i++) {
            String base = String.format("bob-%06d", i);
            String bob = DemoCommand.treatedBob(base, r);
            assertThat(bob).startsWith(base);
            assertThat(Holdout.group(GameTraffic.GAME, r.campaign(), bob, 0.3, 0.2)).isEqualTo(Exposure.Group.TREATED);
            renamed += bob.equals(base) ? 0 : 1;
        }
        // about 44% of names are held out by 0.2 global, then 0.3 of the rest
        assertThat(renamed).isBetween(700, 1060);
        assertThat(DemoCommand.treatedBob("bob-1", null)).isEqualTo("bob-1");
    }
}
