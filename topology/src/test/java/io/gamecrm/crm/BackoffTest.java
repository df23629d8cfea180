package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The back-off doubles from the shortest to the longest delay, refuses inputs meanwhile, and ends with a durable batch. */
class BackoffTest {
    private long nanos;
    private final List<String> told = new ArrayList<>();
    private final Backoff backoff = new Backoff(100, 350, () -> nanos, new BatchProcessor.Listener() {
        @Override
        public void storeFailed(String what, Throwable error, long backoffMillis) {
            told.add(what + " " + backoffMillis);
        }

        @Override
        public void storeRecovered(long downMillis) {
            told.add("recovered after " + downMillis);
        }
    });

    @Test
    void noErrorIsNoFailure() {
        assertThat(backoff.failedIf("writing", null)).isFalse();
        assertThat(backoff.active()).isFalse();
        assertThat(told).isEmpty();
    }

    @Test
    void eachFailureDoublesTheDelayUpToTheLongest() {
        for (int i = 0; i < 4; i++) {
            assertThat(backoff.failedIf("writing", new RuntimeException("down"))).isTrue();
        }
        assertThat(told).containsExactly("writing 100", "writing 200", "writing 350", "writing 350");
    }

    @Test
    void inputsAreRefusedUntilTheDelayIsOver() {
        backoff.failedIf("reading", new RuntimeException("down"));
        nanos += 99_000_000L;
        assertThat(backoff.active()).isTrue();
        nanos += 1_000_000L;
        assertThat(backoff.active()).isFalse();
    }

    @Test
    void aDurableBatchEndsTheOutageOnceAndTheNextFailureStartsFromTheShortestDelay() {
        backoff.failedIf("reading", new RuntimeException("down"));
        nanos += 250_000_000L;
        backoff.failedIf("reading", new RuntimeException("down"));
        nanos += 500_000_000L;
        backoff.recovered(backoff.failures());
        backoff.recovered(backoff.failures());
        backoff.failedIf("writing", new RuntimeException("down"));

        assertThat(told).containsExactly("reading 100", "reading 200", "recovered after 750", "writing 100");
    }

    @Test
    void aBatchThatStartedBeforeAFailureDoesNotEndTheOutage() {
        long atStart = backoff.failures();
        backoff.failedIf("writing", new RuntimeException("down"));
        backoff.recovered(atStart); // an overlapping batch, started before the failure, was durable

        assertThat(told).containsExactly("writing 100");
        assertThat(backoff.failedIf("writing", new RuntimeException("down"))).isTrue();
        assertThat(told).as("the delay keeps growing").containsExactly("writing 100", "writing 200");
    }
}
