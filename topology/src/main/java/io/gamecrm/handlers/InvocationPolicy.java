package io.gamecrm.handlers;

/**
 * What the runtime asks before and tells after each handler invocation: whether the handler may
 * run (its circuit breaker), and how the invocation went (breaker, metrics). Called on the thread
 * that runs the set only.
 */
public interface InvocationPolicy {
    /** Runs every handler, recording nothing. */
    InvocationPolicy UNGUARDED = new InvocationPolicy() {
        @Override
        public boolean allowed(HandlerSet.Handler handler, HandlerFailure.Phase phase) {
            return true;
        }

        @Override
        public void record(HandlerSet.Handler handler, HandlerFailure.Phase phase, Invocation invocation) {
        }
    };

    boolean allowed(HandlerSet.Handler handler, HandlerFailure.Phase phase);

    void record(HandlerSet.Handler handler, HandlerFailure.Phase phase, Invocation invocation);
}
