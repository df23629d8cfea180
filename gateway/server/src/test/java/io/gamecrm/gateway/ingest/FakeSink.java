package io.gamecrm.gateway.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An {@link EventSink} whose acknowledgements the test gives (or withholds, or fails) by hand. */
public final class FakeSink implements EventSink {
    public record Sent(String key, byte[] value, CompletableFuture<Written> ack) {
    }

    public final List<Sent> sent = new ArrayList<>();
    private boolean autoAck;
    private long offset;

    /** Acknowledge every send at once. */
    public FakeSink autoAck() {
        autoAck = true;
        return this;
    }

    @Override
    public synchronized CompletableFuture<Written> send(String key, byte[] value) {
        CompletableFuture<Written> f = new CompletableFuture<>();
        sent.add(new Sent(key, value, f));
        if (autoAck) {
            f.complete(new Written(0, offset++));
        }
        return f;
    }

    public synchronized void ackAll() {
        for (Sent s : sent) {
            if (!s.ack().isDone()) {
                s.ack().complete(new Written(0, offset++));
            }
        }
    }

    public synchronized void failAll(RuntimeException e) {
        for (Sent s : sent) {
            s.ack().completeExceptionally(e);
        }
    }
}
