package io.gamecrm.crm;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Group commit for a CRM task. The executor hands each input over and returns at once; one
 * committer thread takes everything that has arrived (up to the batch size), runs it through the
 * {@link Batcher} (state reads, handlers, writes) and hands the outcome to the {@link Sink}. A lone
 * event is processed as soon as it arrives, in a batch of one; under load, batches grow by
 * themselves with what arrived while the previous batch waited for Cassandra. No timer decides when
 * an event is processed, and the executor thread never waits for Cassandra.
 *
 * <p>Pipelined: up to {@code depth} batches are in flight at once ({@link Batcher#start}); while
 * one batch's I/O is in flight the committer takes inputs and starts the next batch (the batcher
 * keeps a player's inputs back while its batch is in flight). The store's answers come back to the
 * committer as wake-ups; each step of a batch runs on the committer thread.
 *
 * <p>The committer is the only thread that runs handlers and touches the batcher, so per-player
 * order is arrival order, as before. When the committer dies on a bug (anything the batcher does not
 * turn into failed inputs), its inputs are failed for replay and the next {@link #submit} throws
 * the cause on the executor thread: Storm's convention for a broken task (the worker restarts).
 *
 * @param <T> the input handle (a Storm tuple)
 */
public final class GroupCommit<T> implements AutoCloseable {

    /** What the committer runs: {@link BatchProcessor} in the topology. */
    public interface Batcher<T> {
        /** Enqueues an input into the next batch; false when it is not and must be failed at once instead. */
        boolean offer(T handle, CrmEvent event);

        /**
         * As {@link #offer(Object, CrmEvent)}, told when the input was handed to the committer (the
         * committer's nanosecond clock): the start of its wait for a batch.
         */
        default boolean offer(T handle, CrmEvent event, long handedNanos) {
            return offer(handle, event);
        }

        int pending();

        BatchProcessor.Flushed<T> flush();

        /**
         * Starts the next batch ({@link #pending()} &gt; 0) and returns at its first I/O; by default
         * processes it at once ({@link #flush}).
         */
        default Pending<T> start() {
            return Pending.done(flush());
        }
    }

    /** A batch on its way (its I/O in flight). */
    public interface Pending<T> {
        /** Completes, normally or not, when the batch can take its next step (the store answered or timed out). */
        CompletableFuture<?> ready();

        /** The batch's next step, on the committer thread once ready: its outcome when it is done, else null. */
        BatchProcessor.Flushed<T> advance();

        /** A batch already processed. */
        static <T> Pending<T> done(BatchProcessor.Flushed<T> flushed) {
            return new Pending<>() {
                @Override
                public CompletableFuture<?> ready() {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public BatchProcessor.Flushed<T> advance() {
                    return flushed;
                }
            };
        }
    }

    /** Where the outcomes go; called on the committer thread only. */
    public interface Sink<T> {
        /**
         * Before each batch: take a new handler set or campaign control. Returns false when the
         * task cannot process events yet (no handler set): the batch's inputs are refused.
         */
        boolean beforeBatch();

        /** An input failed at once, without being processed. */
        void refused(T handle, Refusal why);

        /** A processed batch: ack and emit, fail the rest. */
        void flushed(BatchProcessor.Flushed<T> flushed);

        /** Inputs failed because the committer is dying or closing without processing them. */
        void abandoned(List<T> handles, Throwable cause);

        /** Called when no input arrived for the idle period, and after each batch. */
        void idle();
    }

    /** Why an input was refused. */
    public enum Refusal {
        /** No handler set yet. */
        NOT_READY,
        /** The store is failing and the task backs off. */
        BACKING_OFF
    }

    private record Item<T>(T handle, CrmEvent event, long handedNanos) {
    }

    private static final Item<?> STOP = new Item<>(null, null, 0);
    /** A batch's I/O answered: the committer takes its next step. */
    private static final Item<?> WAKE = new Item<>(null, null, 0);

    private final Batcher<T> batcher;
    private final Sink<T> sink;
    private final int maxBatch;
    private final int depth;
    private final long idleMillis;
    private final LongSupplier nanoTime;
    private final BlockingQueue<Item<T>> queue = new LinkedBlockingQueue<>();
    /** One per input handed over and not yet taken: {@link #submit} blocks beyond the capacity. */
    private final Semaphore room;
    private final int capacity;
    /** Batches in flight (committer thread only). */
    private final List<Pending<T>> inFlight = new ArrayList<>();
    private final Thread thread;
    private volatile Throwable died;
    private volatile boolean closed;
    private long batches;
    private long events;

    /**
     * @param maxBatch   inputs per batch at most
     * @param capacity   inputs waiting for the committer at most; {@link #submit} blocks beyond (back-pressure)
     * @param idleMillis how often {@link Sink#idle} runs when nothing arrives
     */
    public GroupCommit(Batcher<T> batcher, Sink<T> sink, int maxBatch, int capacity, long idleMillis, String threadName) {
        this(batcher, sink, maxBatch, 1, capacity, idleMillis, threadName);
    }

    /** @param depth batches in flight at most (1: one batch at a time) */
    public GroupCommit(Batcher<T> batcher, Sink<T> sink, int maxBatch, int depth, int capacity, long idleMillis,
                       String threadName) {
        this(batcher, sink, maxBatch, depth, capacity, idleMillis, System::nanoTime, threadName);
    }

    /** @param nanoTime the clock of the time an input is handed over ({@link Batcher#offer(Object, CrmEvent, long)}) */
    public GroupCommit(Batcher<T> batcher, Sink<T> sink, int maxBatch, int depth, int capacity, long idleMillis,
                       LongSupplier nanoTime, String threadName) {
        if (maxBatch < 1 || depth < 1 || capacity < 1 || idleMillis < 1) {
            throw new IllegalArgumentException("maxBatch, depth, capacity and idleMillis must be positive");
        }
        this.batcher = batcher;
        this.sink = sink;
        this.maxBatch = maxBatch;
        this.depth = depth;
        this.idleMillis = idleMillis;
        this.nanoTime = nanoTime;
        this.capacity = capacity;
        this.room = new Semaphore(capacity);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public GroupCommit<T> start() {
        thread.start();
        return this;
    }

    /**
     * Hands an input to the committer (executor thread). Blocks while the committer is
     * {@code capacity} inputs behind.
     *
     * @throws IllegalStateException when the committer died: the cause is its error
     */
    public void submit(T handle, CrmEvent event) {
        Throwable cause = died;
        if (cause != null) {
            throw new IllegalStateException("the CRM committer thread died; the task must restart", cause);
        }
        if (closed) {
            throw new IllegalStateException("closed");
        }
        try {
            room.acquire();
            queue.add(new Item<>(handle, event, nanoTime.getAsLong()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing an input over", e);
        }
    }

    /** Inputs handed over and not yet taken by the committer. */
    public int waiting() {
        return capacity - room.availablePermits();
    }

    /** Batches and events processed so far (committer thread's counts; approximate when read elsewhere). */
    public long batches() {
        return batches;
    }

    public long events() {
        return events;
    }

    /**
     * Processes what was handed over, then stops the committer; waits up to {@code timeoutMillis}
     * for it. Inputs not processed by then are failed by Storm's timeout and replayed.
     */
    @SuppressWarnings("unchecked")
    public void close(long timeoutMillis) {
        if (closed) {
            return;
        }
        closed = true;
        if (!thread.isAlive()) {
            return;
        }
        try {
            if (!queue.offer((Item<T>) STOP, timeoutMillis, TimeUnit.MILLISECONDS)) {
                thread.interrupt();
            }
            thread.join(timeoutMillis);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(30_000);
    }

    private void run() {
        List<Item<T>> taken = new ArrayList<>(maxBatch);
        try {
            while (true) {
                Item<T> first = queue.poll(idleMillis, TimeUnit.MILLISECONDS);
                if (first == null) {
                    sink.idle();
                    continue;
                }
                taken.add(first);
                queue.drainTo(taken, maxBatch - 1);
                boolean stop = takeInputs(taken);
                step(taken);
                if (stop) {
                    finish(taken);
                    return;
                }
                sink.idle();
            }
        } catch (InterruptedException e) {
            abandon(taken, e);
        } catch (Throwable e) {
            died = e;
            abandon(taken, e);
        }
    }

    /** Drops the markers from what was taken, and makes room for as many inputs; returns whether the stop marker was there. */
    private boolean takeInputs(List<Item<T>> taken) {
        boolean stop = false;
        for (Iterator<Item<T>> it = taken.iterator(); it.hasNext(); ) {
            Item<T> item = it.next();
            if (item == STOP || item == WAKE) { // by identity: both are empty items
                stop |= item == STOP;
                it.remove();
            }
        }
        room.release(taken.size());
        return stop;
    }

    /** The batches whose I/O answered take their next steps; the inputs go to the batcher; new batches start. */
    private void step(List<Item<T>> inputs) {
        advanceReady();
        if (!inputs.isEmpty()) {
            process(inputs);
        }
        startWhileRoom();
        inputs.clear(); // only now: if the batcher dies on a bug, these inputs are abandoned (failed), as they were taken
    }

    /** After the stop marker: what arrived after it (a race with close) too, then until nothing is in flight. */
    private void finish(List<Item<T>> taken) throws InterruptedException {
        queue.drainTo(taken);
        takeInputs(taken);
        step(taken);
        while (!inFlight.isEmpty() || batcher.pending() > 0) {
            Item<T> next = queue.poll(idleMillis, TimeUnit.MILLISECONDS);
            if (next != null) {
                taken.add(next);
                queue.drainTo(taken);
                takeInputs(taken);
            }
            step(taken);
        }
    }

    private void process(List<Item<T>> items) {
        if (!sink.beforeBatch()) {
            for (Item<T> it : items) {
                sink.refused(it.handle(), Refusal.NOT_READY);
            }
            return;
        }
        for (Item<T> it : items) {
            if (!batcher.offer(it.handle(), it.event(), it.handedNanos())) {
                sink.refused(it.handle(), Refusal.BACKING_OFF);
            }
        }
    }

    private void startWhileRoom() {
        while (inFlight.size() < depth && batcher.pending() > 0) {
            Pending<T> p = batcher.start();
            batches++;
            if (!drive(p)) {
                inFlight.add(p);
            }
        }
    }

    private void advanceReady() {
        for (Iterator<Pending<T>> it = inFlight.iterator(); it.hasNext(); ) {
            Pending<T> p = it.next();
            if (p.ready().isDone() && drive(p)) {
                it.remove();
            }
        }
    }

    /** Takes the batch's steps while its I/O has answered; returns whether it is done (its outcome handed over). */
    @SuppressWarnings("unchecked")
    private boolean drive(Pending<T> p) {
        while (p.ready().isDone()) {
            BatchProcessor.Flushed<T> f = p.advance();
            if (f != null) {
                events += f.acked().size() + f.failed().size();
                sink.flushed(f);
                return true;
            }
        }
        p.ready().whenComplete((v, e) -> queue.add((Item<T>) WAKE));
        return false;
    }

    private void abandon(List<Item<T>> taken, Throwable cause) {
        List<T> handles = new ArrayList<>();
        taken.forEach(it -> {
            if (it != STOP && it != WAKE) {
                handles.add(it.handle());
            }
        });
        List<Item<T>> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.forEach(it -> {
            if (it != STOP && it != WAKE) {
                handles.add(it.handle());
            }
        });
        if (!handles.isEmpty()) {
            try {
                sink.abandoned(handles, cause);
            } catch (RuntimeException ignored) {
                // the inputs time out and are replayed
            }
        }
    }
}
