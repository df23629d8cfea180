package io.gamecrm.crm;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for the store's answers without blocking: a call's stages as one signal that completes
 * when all have answered or the I/O timeout has passed, and then what went wrong, if anything.
 */
final class StoreWaits {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private StoreWaits() {
    }

    /** Completes (normally or not) when every stage has answered, or after {@code timeoutMillis} at the latest. */
    static CompletableFuture<?> allOrTimeout(Collection<? extends CompletableFuture<?>> stages, long timeoutMillis) {
        if (stages.isEmpty()) {
            return DONE;
        }
        return CompletableFuture.allOf(stages.toArray(new CompletableFuture[0])).orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Once {@link #allOrTimeout} completed: a {@link TimeoutException} when some stage has not
     * answered, else the failure of a stage that failed, else null (all succeeded).
     */
    static Throwable failureOf(Collection<? extends CompletableFuture<?>> stages, long timeoutMillis) {
        Throwable failure = null;
        for (CompletableFuture<?> f : stages) {
            if (!f.isDone()) {
                return new TimeoutException("no answer within " + timeoutMillis + " ms");
            }
            if (failure == null && f.isCompletedExceptionally()) {
                failure = f.handle((v, e) -> e instanceof CompletionException && e.getCause() != null ? e.getCause() : e).join();
            }
        }
        return failure;
    }

    /** Whether the stage answered, and not with a failure. */
    static boolean succeeded(CompletableFuture<?> future) {
        return future.isDone() && !future.isCompletedExceptionally();
    }
}
