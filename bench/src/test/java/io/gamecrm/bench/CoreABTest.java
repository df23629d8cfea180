package io.gamecrm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Spec of the A/B summary: the median of the rounds, and in how many rounds B took less time. */
class CoreABTest {
    @Test
    void theMedianOfAnOddAndOfAnEvenNumberOfRounds() {
        assertThat(CoreAB.median(new double[] {5, 1, 3})).isEqualTo(3);
        assertThat(CoreAB.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void roundsWhereBTookLessTimeAreCountedTiesAreNot() {
        assertThat(CoreAB.fasterRounds(new double[] {10, 10, 10, 10}, new double[] {9, 11, 10, 1})).isEqualTo(2);
    }
}
