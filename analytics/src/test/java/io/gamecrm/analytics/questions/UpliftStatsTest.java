package io.gamecrm.analytics.questions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gamecrm.analytics.questions.UpliftStats.Comparison;
import io.gamecrm.analytics.questions.UpliftStats.Group;
import org.junit.jupiter.api.Test;

/**
 * The uplift's arithmetic, checked by hand (Wald interval for a difference of two proportions):
 * <ul>
 *   <li>300 of 1000 treated vs 20 of 100 held out: +10 points, variance 0.3·0.7/1000 + 0.2·0.8/100
 *       = 0.00181, SE 0.042544, 1.96·SE = 0.083385: [+1.66, +18.34] points, excludes 0;</li>
 *   <li>250 of 1000 vs 22 of 100: +3 points, variance 0.0001875 + 0.001716 = 0.0019035, SE 0.043629:
 *       [-5.55, +11.55] points, includes 0;</li>
 *   <li>no holdout, nobody treated, nobody converting, everybody converting, tiny groups: a note, never NaN.</li>
 * </ul>
 */
class UpliftStatsTest {
    static final double EPS = 1e-6;

    @Test
    void aClearEffectHasAnIntervalThatExcludesZero() {
        Comparison c = UpliftStats.compare(new Group("treated", 1000, 300, 120, 1500.0),
                new Group("holdout", 100, 20, 0, 90.0));

        assertThat(c.treated().rate()).isCloseTo(0.3, within(EPS));
        assertThat(c.control().rate()).isCloseTo(0.2, within(EPS));
        assertThat(c.uplift()).isCloseTo(0.1, within(EPS));
        assertThat(c.low()).isCloseTo(0.016615, within(EPS));
        assertThat(c.high()).isCloseTo(0.183385, within(EPS));
        assertThat(c.relative()).isCloseTo(0.5, within(EPS));
        assertThat(c.significant()).isTrue();
        assertThat(c.notes()).isEmpty();
        assertThat(c.note()).isNull();
    }

    @Test
    void aSmallEffectHasAnIntervalThatIncludesZero() {
        Comparison c = UpliftStats.compare(new Group("treated", 1000, 250, 0, 0.0),
                new Group("holdout", 100, 22, 0, 0.0));

        assertThat(c.uplift()).isCloseTo(0.03, within(EPS));
        assertThat(c.low()).isCloseTo(-0.055512, within(EPS));
        assertThat(c.high()).isCloseTo(0.115512, within(EPS));
        assertThat(c.relative()).isCloseTo(0.136364, within(EPS));
        assertThat(c.significant()).isFalse();
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void valueAndAcceptRatePerExposedPlayer() {
        Group treated = new Group("treated", 1000, 300, 120, 1500.0);

        assertThat(treated.valuePerExposed()).isCloseTo(1.5, within(EPS));
        assertThat(treated.acceptRate()).isCloseTo(0.12, within(EPS));
        assertThat(new Group("holdout", 100, 20, 0, 90.0).valuePerExposed()).isCloseTo(0.9, within(EPS));
    }

    @Test
    void withoutHoldoutPlayersThereIsNoUpliftAndTheNoteSaysWhy() {
        Comparison c = UpliftStats.compare(new Group("treated", 500, 100, 0, 0.0), Group.empty("holdout"));

        assertThat(c.uplift()).isNull();
        assertThat(c.low()).isNull();
        assertThat(c.high()).isNull();
        assertThat(c.relative()).isNull();
        assertThat(c.significant()).isFalse();
        assertThat(c.note()).isEqualTo("no holdout players in the range, so no uplift "
                + "(does the campaign declare a holdout?)");
        assertThat(c.control().rate()).isNull();
        assertThat(c.control().valuePerExposed()).isNull();
    }

    @Test
    void withoutTreatedPlayersThereIsNoUpliftEither() {
        Comparison c = UpliftStats.compare(Group.empty("treated"), new Group("holdout_global", 40, 10, 0, 0.0));

        assertThat(c.uplift()).isNull();
        assertThat(c.note()).isEqualTo("no treated players in the range, so no uplift");
    }

    @Test
    void noHeldOutConversionLeavesTheRelativeUpliftOut() {
        Comparison c = UpliftStats.compare(new Group("treated", 200, 40, 0, 0.0), new Group("holdout", 50, 0, 0, 0.0));

        // SE = sqrt(0.2 * 0.8 / 200) = 0.028284; 1.96 * SE = 0.055437
        assertThat(c.uplift()).isCloseTo(0.2, within(EPS));
        assertThat(c.low()).isCloseTo(0.144563, within(EPS));
        assertThat(c.relative()).isNull();
        assertThat(c.note()).contains("no relative uplift: no holdout player converted").contains("small groups");
    }

    @Test
    void noVariationInEitherGroupHasNoInterval() {
        Comparison c = UpliftStats.compare(new Group("treated", 30, 30, 0, 0.0), new Group("holdout", 30, 0, 0, 0.0));

        assertThat(c.uplift()).isCloseTo(1.0, within(EPS));
        assertThat(c.low()).isNull();
        assertThat(c.high()).isNull();
        assertThat(c.significant()).isFalse();
        assertThat(c.note()).contains("no interval");
    }

    @Test
    void smallGroupsGetAWarning() {
        // 30 of 100 vs 4 of 20: +10 points, SE sqrt(0.0021 + 0.008) = 0.100499, [-9.70, +29.70]
        Comparison c = UpliftStats.compare(new Group("treated", 100, 30, 0, 0.0), new Group("holdout", 20, 4, 0, 0.0));

        assertThat(c.low()).isCloseTo(-0.096974, within(EPS));
        assertThat(c.high()).isCloseTo(0.296974, within(EPS));
        assertThat(c.notes()).singleElement().asString().startsWith("small groups");
    }

    @Test
    void countsMustBeConsistent() {
        assertThatThrownBy(() -> new Group("treated", 10, 11, 0, 0.0)).hasMessageContaining("converted (11)");
        assertThatThrownBy(() -> new Group("treated", 10, 5, 6, 0.0)).hasMessageContaining("accepted (6)");
        assertThatThrownBy(() -> new Group("treated", -1, 0, 0, 0.0)).hasMessageContaining("negative");
        assertThatThrownBy(() -> new Group("treated", 1, 0, 0, Double.NaN)).hasMessageContaining("NaN");
    }
}
