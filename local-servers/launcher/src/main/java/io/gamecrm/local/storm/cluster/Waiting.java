package io.gamecrm.local.storm.cluster;

import io.gamecrm.local.LocalStackException;

/** Time helpers of the Storm cluster's parts. */
final class Waiting {

    private Waiting() {
    }

    /** Seconds since {@code sinceNanos} (a {@link System#nanoTime()}). */
    static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** Sleeps; an interrupt ends it with a {@link LocalStackException} (the thread stays interrupted). */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted", e);
        }
    }
}
