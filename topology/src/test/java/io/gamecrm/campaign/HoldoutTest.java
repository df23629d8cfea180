package io.gamecrm.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Holdout membership: the documented formula, stable, close to its share, independent per campaign. */
class HoldoutTest {
    @Test
    void thePositionIsTheDocumentedHash() {
        // python3: int.from_bytes(hashlib.sha256(b"holdout:battle-tanks-offer:bob").digest()[:8], "big") / 2**64
        assertThat(Holdout.position("battle-tanks-offer", "bob")).isCloseTo(0.6277359433739399, within(1e-15));
        assertThat(Holdout.position("battle-tanks-offer", "alice")).isCloseTo(0.48056427648082345, within(1e-15));
    }

    @Test
    void membershipIsStableAndCloseToTheShareOver100kPlayers() {
        int held = 0;
        int both = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            String p = "player-" + i;
            boolean a = Holdout.heldOut("battle-tanks-offer", p, 0.1);
            assertThat(Holdout.heldOut("battle-tanks-offer", p, 0.1)).isEqualTo(a);
            held += a ? 1 : 0;
            both += a && Holdout.heldOut("gift", p, 0.1) ? 1 : 0;
        }
        // binomial(100k, 0.1): sd ≈ 95; ±5 sd
        assertThat(held).isBetween(9_525, 10_475);
        // another campaign's group is drawn independently: about 1% of players are in both
        assertThat(both).isBetween(850, 1_150);
    }

    @Test
    void theGroupIsTheGlobalHoldoutFirstThenTheCampaignsThenTreated() {
        int[] seen = new int[3];
        for (int i = 0; i < 10_000; i++) {
            String p = "p" + i;
            Exposure.Group g = Holdout.group("tank-wars", "c", p, 0.2, 0.1);
            Exposure.Group expected = Holdout.heldOutGlobally("tank-wars", p, 0.1) ? Exposure.Group.HOLDOUT_GLOBAL
                    : Holdout.heldOut("c", p, 0.2) ? Exposure.Group.HOLDOUT : Exposure.Group.TREATED;
            assertThat(g).isEqualTo(expected);
            seen[g.ordinal()]++;
        }
        assertThat(java.util.Arrays.stream(seen).min().getAsInt()).as("every group drawn").isGreaterThan(500);
        assertThat(Holdout.group(null, "c", "p1", 0, 0)).isEqualTo(Exposure.Group.TREATED);
    }

    @Test
    void noShareHoldsNobodyOut() {
        for (int i = 0; i < 1000; i++) {
            assertThat(Holdout.heldOut("c", "p" + i, 0)).isFalse();
        }
    }

    @Test
    void theGlobalPositionIsTheDocumentedHashPerGame() {
        // python3: int.from_bytes(hashlib.sha256(b"holdout-global:tank-wars:bob").digest()[:8], "big") / 2**64
        assertThat(Holdout.globalPosition("tank-wars", "bob")).isCloseTo(0.44855739535799083, within(1e-15));
        assertThat(Holdout.globalPosition("tank-wars", "alice")).isCloseTo(0.7319111733680023, within(1e-15));
        assertThat(Holdout.globalPosition("other-game", "bob")).isCloseTo(0.4585065087370145, within(1e-15));
    }

    @Test
    void theGlobalHoldoutIsCloseToItsShareAndIndependentOfTheCampaignGroups() {
        int held = 0;
        int both = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            String p = "player-" + i;
            boolean g = Holdout.heldOutGlobally("tank-wars", p, 0.05);
            held += g ? 1 : 0;
            both += g && Holdout.heldOut("battle-tanks-offer", p, 0.1) ? 1 : 0;
        }
        // binomial(100k, 0.05): sd ≈ 69; ±5 sd
        assertThat(held).isBetween(4_655, 5_345);
        // about 0.5% are in both: sd ≈ 22
        assertThat(both).isBetween(390, 610);
    }

    @Test
    void aGlobalShareOutsideZeroToAHalfIsRefused() {
        assertThat(Holdout.checkGlobalShare(0.2)).isEqualTo(0.2);
        for (double bad : new double[] {-0.01, 0.51, Double.NaN}) {
            assertThatThrownBy(() -> Holdout.checkGlobalShare(bad)).hasMessageContaining("crm.holdout.global");
        }
        assertThat(Holdout.heldOutGlobally("g", "p", 0)).isFalse();
    }
}
