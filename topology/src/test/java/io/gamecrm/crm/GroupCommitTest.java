package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Spec of the group commit: a lone input is processed without waiting for another input or a
 * timer; inputs that arrive while a batch is written form the next batch, in arrival order; the
 * batch size is capped; a refused or failing batcher fails inputs and never loses one; a committer
 * that dies makes the next submit throw; close processes what was handed over; pipelined, the next
 * batch starts while one is in flight, up to the depth, and every step runs on the committer thread,
 * whichever thread the store answers on. Latches, no clocks: nothing here depends on how fast the
 * machine is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {

    /** A batcher whose flush blocks until the test lets it go, and records every batch. */
    static class GatedBatcher implements GroupCommit.Batcher<String> {
        final List<String> inbox = new ArrayList<>();
        final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        final BlockingQueue<CountDownLatch> gates = new LinkedBlockingQueue<>();
        final BlockingQueue<List<String>> started = new LinkedBlockingQueue<>();
        volatile boolean rejecting;
        volatile RuntimeException throwing;

        @Override
        public boolean offer(String handle, CrmEvent event) {
            if (rejecting) {
                return false;
            }
            inbox.add(handle);
            return true;
        }

        @Override
        public int pending() {
            return inbox.size();
        }

        @Override
        public BatchProcessor.Flushed<String> flush() {
            List<String> batch = List.copyOf(inbox);
            inbox.clear();
            started.add(batch);
            if (throwing != null) {
                throw throwing;
            }
            CountDownLatch gate = gates.poll();
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            batches.add(batch);
            List<BatchProcessor.Acked<String>> acked = new ArrayList<>();
            batch.forEach(h -> acked.add(new BatchProcessor.Acked<>(h, event(h), null)));
            return new BatchProcessor.Flushed<>(acked, List.of(), 0);
        }
    }

    /** A batcher whose batches stay in flight until the test answers their writes (on the test's thread). */
    static final class InFlightBatcher extends GatedBatcher {
        final BlockingQueue<CompletableFuture<Void>> writes = new LinkedBlockingQueue<>();
        final List<String> startedAfterAnswers = Collections.synchronizedList(new ArrayList<>());
        final List<String> steppedOn = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger answered = new AtomicInteger();

        @Override
        public BatchProcessor.Flushed<String> flush() {
            throw new UnsupportedOperationException("pipelined: start()");
        }

        @Override
        public GroupCommit.Pending<String> start() {
            List<String> batch = List.copyOf(inbox);
            inbox.clear();
            startedAfterAnswers.add(batch + " after " + answered.get());
            CompletableFuture<Void> write = new CompletableFuture<>();
            write.thenRun(answered::incrementAndGet);
            writes.add(write);
            return new GroupCommit.Pending<>() {
                @Override
                public CompletableFuture<?> ready() {
                    return write;
                }

                @Override
                public BatchProcessor.Flushed<String> advance() {
                    steppedOn.add(Thread.currentThread().getName());
                    List<BatchProcessor.Acked<String>> acked = new ArrayList<>();
                    batch.forEach(h -> acked.add(new BatchProcessor.Acked<>(h, event(h), null)));
                    return new BatchProcessor.Flushed<>(acked, List.of(), 0);
                }
            };
        }
    }

    /** Records what the committer hands back. */
    static final class RecordingSink implements GroupCommit.Sink<String> {
        final BlockingQueue<String> acked = new LinkedBlockingQueue<>();
        final BlockingQueue<String> failed = new LinkedBlockingQueue<>();
        volatile boolean ready = true;

        @Override
        public boolean beforeBatch() {
            return ready;
        }

        @Override
        public void refused(String handle, GroupCommit.Refusal why) {
            failed.add(handle + ":" + why);
        }

        @Override
        public void flushed(BatchProcessor.Flushed<String> flushed) {
            flushed.acked().forEach(a -> acked.add(a.handle()));
            flushed.failed().forEach(failed::add);
        }

        @Override
        public void abandoned(List<String> handles, Throwable cause) {
            handles.forEach(h -> failed.add(h + ":abandoned"));
        }

        @Override
        public void idle() {
        }
    }

    static CrmEvent event(String id) {
        return new CrmEvent(id, "fight", "p-" + id, Instant.EPOCH, "{}", 0, 0, 0);
    }

    /** An idle period far beyond the test's timeout: only inputs set a batch off. */
    private static GroupCommit<String> started(GatedBatcher b, RecordingSink sink, int maxBatch) {
        return new GroupCommit<>(b, sink, maxBatch, 100, 3_600_000, "test-commit").start();
    }

    private static String take(BlockingQueue<String> q) throws InterruptedException {
        return q.take(); // the class timeout fails a run in which it never comes
    }

    @Test
    void aLoneInputIsProcessedWithoutAnotherInputOrATimer() throws Exception {
        GatedBatcher b = new GatedBatcher();
        RecordingSink sink = new RecordingSink();
        try (GroupCommit<String> c = started(b, sink, 500)) {
            c.submit("e1", event("e1"));
            assertThat(take(sink.acked)).isEqualTo("e1");
            assertThat(b.batches).containsExactly(List.of("e1"));
        }
    }

    @Test
    void inputsThatArriveDuringAWriteFormTheNextBatchInArrivalOrderCappedInSize() throws Exception {
        GatedBatcher b = new GatedBatcher();
        CountDownLatch firstWrite = new CountDownLatch(1);
        b.gates.add(firstWrite);
        RecordingSink sink = new RecordingSink();
        try (GroupCommit<String> c = started(b, sink, 3)) {
            c.submit("e1", event("e1"));
            assertThat(b.started.take()).containsExactly("e1"); // e1's batch is being written
            for (int i = 2; i <= 6; i++) {
                c.submit("e" + i, event("e" + i));
            }
            firstWrite.countDown();
            List<String> acked = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                acked.add(take(sink.acked));
            }
            assertThat(acked).containsExactly("e1", "e2", "e3", "e4", "e5", "e6");
            assertThat(b.batches).containsExactly(List.of("e1"), List.of("e2", "e3", "e4"), List.of("e5", "e6"));
        }
    }

    @Test
    void withoutAHandlerSetOrWhileTheStoreFailsInputsAreFailedAtOnce() throws Exception {
        GatedBatcher b = new GatedBatcher();
        RecordingSink sink = new RecordingSink();
        sink.ready = false;
        try (GroupCommit<String> c = started(b, sink, 500)) {
            c.submit("e1", event("e1"));
            assertThat(take(sink.failed)).isEqualTo("e1:NOT_READY");
            sink.ready = true;
            b.rejecting = true;
            c.submit("e2", event("e2"));
            assertThat(take(sink.failed)).isEqualTo("e2:BACKING_OFF");
            b.rejecting = false;
            c.submit("e3", event("e3"));
            assertThat(take(sink.acked)).isEqualTo("e3");
        }
        assertThat(b.batches).containsExactly(List.of("e3"));
    }

    @Test
    void aCommitterThatDiesFailsItsInputsAndTheNextSubmitThrowsItsError() throws Exception {
        GatedBatcher b = new GatedBatcher();
        b.throwing = new IllegalStateException("a bug outside the sandbox");
        RecordingSink sink = new RecordingSink();
        GroupCommit<String> c = started(b, sink, 500);
        c.submit("e1", event("e1"));
        assertThat(take(sink.failed)).isEqualTo("e1:abandoned");
        // the death is recorded before the inputs are abandoned
        assertThatThrownBy(() -> c.submit("e2", event("e2"))).isInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("a bug outside the sandbox");
        c.close();
        assertThat(sink.acked).isEmpty();
    }

    @Test
    void theNextBatchStartsWhileOneIsInFlightUpToTheDepthAndStepsRunOnTheCommitterThread() throws Exception {
        InFlightBatcher b = new InFlightBatcher();
        RecordingSink sink = new RecordingSink();
        try (GroupCommit<String> c = new GroupCommit<>(b, sink, 500, 2, 100, 3_600_000, "test-commit").start()) {
            c.submit("e1", event("e1"));
            CompletableFuture<Void> first = b.writes.take();
            c.submit("e2", event("e2"));
            CompletableFuture<Void> second = b.writes.take(); // started while e1's write is in flight
            c.submit("e3", event("e3")); // two batches in flight: e3 waits for one of them

            second.complete(null);
            assertThat(take(sink.acked)).isEqualTo("e2");
            CompletableFuture<Void> third = b.writes.take();
            first.complete(null);
            assertThat(take(sink.acked)).isEqualTo("e1");
            third.complete(null);
            assertThat(take(sink.acked)).isEqualTo("e3");
        }
        assertThat(b.startedAfterAnswers).containsExactly("[e1] after 0", "[e2] after 0", "[e3] after 1");
        assertThat(b.steppedOn).containsOnly("test-commit").hasSize(3);
    }

    @Test
    void closeWaitsForTheBatchesInFlight() throws Exception {
        InFlightBatcher b = new InFlightBatcher();
        RecordingSink sink = new RecordingSink();
        GroupCommit<String> c = new GroupCommit<>(b, sink, 500, 2, 100, 3_600_000, "test-commit").start();
        c.submit("e1", event("e1"));
        CompletableFuture<Void> first = b.writes.take();
        c.submit("e2", event("e2"));
        CompletableFuture<Void> second = b.writes.take();
        Thread closer = new Thread(c::close); // before or after the answers below: either way it waits for both
        closer.start();
        second.complete(null);
        first.complete(null);
        closer.join();
        assertThat(new ArrayList<>(sink.acked)).containsExactlyInAnyOrder("e1", "e2");
    }

    @Test
    void closeProcessesWhatWasHandedOver() throws Exception {
        GatedBatcher b = new GatedBatcher();
        CountDownLatch firstWrite = new CountDownLatch(1);
        b.gates.add(firstWrite);
        RecordingSink sink = new RecordingSink();
        GroupCommit<String> c = started(b, sink, 500);
        c.submit("e1", event("e1"));
        b.started.take();
        c.submit("e2", event("e2"));
        c.submit("e3", event("e3"));
        firstWrite.countDown();
        c.close();
        assertThat(new ArrayList<>(sink.acked)).containsExactly("e1", "e2", "e3");
        assertThatThrownBy(() -> c.submit("e4", event("e4"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anInputIsOfferedWithTheTimeItWasHandedOverOnTheCommittersClock() throws Exception {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(10);
        List<String> handed = Collections.synchronizedList(new ArrayList<>());
        GatedBatcher b = new GatedBatcher() {
            @Override
            public boolean offer(String handle, CrmEvent event, long handedNanos) {
                handed.add(handle + "@" + handedNanos);
                return super.offer(handle, event);
            }
        };
        RecordingSink sink = new RecordingSink();
        try (GroupCommit<String> c = new GroupCommit<>(b, sink, 500, 1, 100, 3_600_000, nanos::get, "test-commit").start()) {
            c.submit("e1", event("e1"));
            assertThat(take(sink.acked)).isEqualTo("e1");
            nanos.set(25);
            c.submit("e2", event("e2"));
            assertThat(take(sink.acked)).isEqualTo("e2");
        }
        assertThat(handed).containsExactly("e1@10", "e2@25");
    }
}
