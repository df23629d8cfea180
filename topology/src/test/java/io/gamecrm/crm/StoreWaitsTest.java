package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Waiting for a store call: null when all stages succeed, else the first failure or a timeout. */
class StoreWaitsTest {
    @Test
    void allSucceeded() {
        assertThat(StoreWaits.firstFailure(List.of(CompletableFuture.completedFuture(1),
                CompletableFuture.completedFuture(2)), 1000)).isNull();
        assertThat(StoreWaits.firstFailure(List.of(), 1000)).isNull();
    }

    @Test
    void aFailedStageIsTheFailure() {
        RuntimeException down = new RuntimeException("down");
        assertThat(StoreWaits.firstFailure(List.of(CompletableFuture.completedFuture(1),
                CompletableFuture.failedFuture(down)), 1000)).isSameAs(down);
    }

    @Test
    void aStageThatNeverAnswersIsATimeoutAndNotASuccess() {
        CompletableFuture<Void> never = new CompletableFuture<>();
        assertThat(StoreWaits.firstFailure(List.of(never), 1)).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("1 ms");
        assertThat(StoreWaits.succeeded(never)).isFalse();
        assertThat(StoreWaits.succeeded(CompletableFuture.failedFuture(new RuntimeException()))).isFalse();
        assertThat(StoreWaits.succeeded(CompletableFuture.completedFuture(null))).isTrue();
    }
}
