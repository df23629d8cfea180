package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A store call's stages: one signal once all answered (or the timeout passed), then null when all
 * succeeded, a timeout when one did not answer, else a stage's failure.
 */
class StoreWaitsTest {
    @Test
    void theSignalCompletesWhenTheLastStageAnswers() {
        CompletableFuture<Integer> one = new CompletableFuture<>();
        CompletableFuture<Integer> two = new CompletableFuture<>();
        CompletableFuture<?> ready = StoreWaits.allOrTimeout(List.of(one, two), 3_600_000);

        one.complete(1);
        assertThat(ready).isNotDone();
        two.completeExceptionally(new RuntimeException("down"));
        assertThat(ready).isDone();
        assertThat(StoreWaits.allOrTimeout(List.of(), 1)).isDone();
    }

    @Test
    void allSucceeded() {
        assertThat(StoreWaits.failureOf(List.of(CompletableFuture.completedFuture(1),
                CompletableFuture.completedFuture(2)), 1000)).isNull();
        assertThat(StoreWaits.failureOf(List.of(), 1000)).isNull();
    }

    @Test
    void aFailedStageIsTheFailureUnwrapped() {
        RuntimeException down = new RuntimeException("down");
        CompletableFuture<Object> dependent = CompletableFuture.failedFuture(down).thenApply(x -> x);
        assertThat(StoreWaits.failureOf(List.of(CompletableFuture.completedFuture(1),
                CompletableFuture.failedFuture(down)), 1000)).isSameAs(down);
        assertThat(StoreWaits.failureOf(List.of(dependent), 1000)).isSameAs(down);
    }

    @Test
    void aStageThatHasNotAnsweredIsATimeoutAndNotASuccess() throws Exception {
        CompletableFuture<Void> never = new CompletableFuture<>();
        assertThat(StoreWaits.failureOf(List.of(CompletableFuture.failedFuture(new RuntimeException()), never), 5))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("5 ms");
        assertThat(StoreWaits.succeeded(never)).isFalse();
        assertThat(StoreWaits.succeeded(CompletableFuture.failedFuture(new RuntimeException()))).isFalse();
        assertThat(StoreWaits.succeeded(CompletableFuture.completedFuture(null))).isTrue();
    }

    @Test
    void theSignalGivesUpAfterTheTimeout() throws Exception {
        CompletableFuture<?> ready = StoreWaits.allOrTimeout(List.of(new CompletableFuture<Void>()), 1);
        assertThat(ready.handle((v, e) -> e).get()).isInstanceOf(TimeoutException.class);
    }
}
