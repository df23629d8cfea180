package io.gamecrm.handlers;

/**
 * What the runtime asks before and tells after each handler invocation: whether the handler may
 * run (its circuit breaker), its time budget, and how the invocation went (breaker, metrics).
 * Called on the executor thread only.
 */
public interface InvocationPolicy {
    /** Runs every handler, with no budget beyond {@link #budgetMillis()}, recording nothing. */
    InvocationPolicy UNGUARDED = new InvocationPolicy() {
        @Override
        public boolean allowed(HandlerSet.Handler handler, HandlerFailure.Phase phase) {
            return true;
        }

        @Override
        public void record(HandlerSet.Handler handler, HandlerFailure.Phase phase, Invocation invocation) {
        }

        @Override
        public long budgetMillis() {
            return 1000;
        }
    };

    boolean allowed(HandlerSet.Handler handler, HandlerFailure.Phase phase);

    void record(HandlerSet.Handler handler, HandlerFailure.Phase phase, Invocation invocation);

    /** Time budget of one invocation, in milliseconds. */
    long budgetMillis();
}
