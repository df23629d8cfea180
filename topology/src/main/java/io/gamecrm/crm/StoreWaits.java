package io.gamecrm.crm;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for the store's answers: all of a call's stages, up to the I/O timeout in all. */
final class StoreWaits {
    private StoreWaits() {
    }

    /**
     * Waits for all, up to {@code timeoutMillis} in all; returns the first failure, a
     * {@link TimeoutException} when some did not answer in time, or null when all succeeded.
     */
    static Throwable firstFailure(Collection<? extends CompletableFuture<?>> futures, long timeoutMillis) {
        if (futures.isEmpty()) {
            return null;
        }
        try {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(timeoutMillis, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return new TimeoutException("no answer within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** Whether the stage answered, and not with a failure. */
    static boolean succeeded(CompletableFuture<?> future) {
        return future.isDone() && !future.isCompletedExceptionally();
    }
}
