package io.gamecrm.crm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Write-behind for the CRM bolt. The events that arrived while the previous batch was written (up
 * to a batch size; {@link GroupCommit} hands them over) are processed together:
 * <ol>
 *   <li>the states of players not in the cache are loaded, all at once;</li>
 *   <li>each event is applied in arrival order ({@link CrmCore}) to its player's cached state;</li>
 *   <li>phase A writes what is keyed and idempotent (player_events, decisions, daily metrics);</li>
 *   <li>phase B writes each changed player's state once, however many of its events the batch
 *       held (coalescing). That row is the commit: an event is applied exactly when its offset is
 *       in its player's stored state.</li>
 * </ol>
 * Only then are a player's triggers released and its inputs acked. When the store fails or is
 * slow, the affected players' inputs are failed for replay, their cached states dropped (they may
 * be ahead of what is stored), their later events failed until the replay arrives
 * ({@link PlayerGate}), and the processor backs off: for a growing delay it fails new inputs at
 * once instead of queueing them. Nothing grows without bound: the batch is capped, the cache is
 * bounded, in-flight tuples are bounded by the spout.
 *
 * <p>Profiles can be cached because the fields grouping makes this task the only writer of its
 * players. Single-threaded (the task's committer thread, {@link GroupCommit}): the script engine lives on it.
 *
 * @param <T> the input handle (a Storm tuple) to ack or fail
 */
public final class BatchProcessor<T> implements GroupCommit.Batcher<T> {

    /** Tuning of the write-behind (crm.batch.*, crm.cache.*, crm.store.*). */
    public record Settings(int maxBatch, long ioTimeoutMillis, long backoffMinMillis,
                           long backoffMaxMillis, long cacheMaxPlayers) implements Serializable {
        public static final Settings DEFAULTS = new Settings(500, 5000, 200, 5_000, 100_000);

        public Settings {
            if (maxBatch < 1 || ioTimeoutMillis < 1 || backoffMinMillis < 0
                    || backoffMaxMillis < backoffMinMillis || cacheMaxPlayers < 1) {
                throw new IllegalArgumentException("invalid batch settings: " + this);
            }
        }
    }

    /** An input acked after a flush, with the triggers to emit anchored to it. */
    public record Acked<T>(T handle, CrmEvent event, CrmCore.Result result) {
    }

    /** What a flush decided: inputs to ack (with their triggers) and inputs to fail. */
    public record Flushed<T>(List<Acked<T>> acked, List<T> failed, long nanos) {
        static <T> Flushed<T> empty() {
            return new Flushed<>(List.of(), List.of(), 0);
        }
    }

    /** Told about the store's health. */
    public interface Listener {
        void storeFailed(String what, Throwable error, long backoffMillis);

        void storeRecovered(long downMillis);
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final ProfileStore store;
    private final CrmCore core;
    private final Settings settings;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final StageTimers stages;
    private final Cache<String, PlayerState> cache;
    private final PlayerGate gate;
    private final Backoff backoff;
    private List<BatchState.Item<T>> inbox = new ArrayList<>();
    /** Inputs of players with a batch in flight, in arrival order: they join a batch once it is released. */
    private List<BatchState.Item<T>> parked = new ArrayList<>();
    /** Players with a batch in flight. */
    private final Set<String> inFlight = new HashSet<>();
    private long cacheHits;
    private long cacheMisses;
    /** Where the batches spend their time (ns): waiting for reads, applying, waiting for writes. */
    private long nanosReading;
    private long nanosApplying;
    private long nanosWriting;
    private long flushedEvents;

    public BatchProcessor(ProfileStore store, CrmCore core, Settings settings, Clock clock, LongSupplier nanoTime,
                          Listener listener) {
        this(store, core, settings, clock, nanoTime, listener, StageTimers.unregistered());
    }

    /** @param stages told, from {@code nanoTime}, each input's wait for its batch and each batch's read, apply and writes */
    public BatchProcessor(ProfileStore store, CrmCore core, Settings settings, Clock clock, LongSupplier nanoTime,
                          Listener listener, StageTimers stages) {
        this.stages = stages;
        this.store = store;
        this.core = core;
        this.settings = settings;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.cache = Caffeine.newBuilder().maximumSize(settings.cacheMaxPlayers()).executor(Runnable::run).build();
        this.gate = new PlayerGate(Duration.ofMinutes(10), 1_000_000);
        this.backoff = new Backoff(settings.backoffMinMillis(), settings.backoffMaxMillis(), nanoTime, listener);
    }

    /**
     * Enqueues an input into the next batch (or, while its player has a batch in flight, into the
     * first batch after that one). Returns false when it is not enqueued and must be failed at once
     * instead: the store is failing and the processor backs off.
     */
    @Override
    public boolean offer(T handle, CrmEvent event) {
        return offer(handle, event, nanoTime.getAsLong());
    }

    @Override
    public boolean offer(T handle, CrmEvent event, long handedNanos) {
        if (backoff.active()) {
            gate.failed(event);
            return false;
        }
        (inFlight.contains(event.playerId()) ? parked : inbox).add(new BatchState.Item<>(handle, event, handedNanos));
        return true;
    }

    /** Inputs ready for the next batch (not those waiting for their player's batch in flight). */
    @Override
    public int pending() {
        return inbox.size();
    }

    /** Processes and writes everything offered as one batch; blocks until its effects are durable or have failed. */
    @Override
    public Flushed<T> flush() {
        if (inbox.isEmpty()) {
            return Flushed.empty();
        }
        Run run = start(Integer.MAX_VALUE);
        while (true) {
            try {
                run.ready().get();
            } catch (ExecutionException e) {
                // the step sees which stages failed or did not answer in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Flushed<T> f = run.advance();
            if (f != null) {
                return f;
            }
        }
    }

    /**
     * Starts the next batch (at most the batch size, of players with no batch in flight) and returns
     * at its first I/O: the caller advances it each time {@link Run#ready()} completes, on this
     * processor's thread. Other batches may start meanwhile, for other players.
     */
    @Override
    public Run start() {
        return start(settings.maxBatch());
    }

    private Run start(int maxBatch) {
        BatchState<T> b = new BatchState<>(takeBatch(maxBatch), cache, gate);
        long now = nanoTime.getAsLong();
        for (BatchState.Item<T> it : b.items()) {
            stages.waiting().update(Math.max(0, now - it.handedNanos()), TimeUnit.NANOSECONDS);
        }
        Run run = new Run(b, now, backoff.failures());
        run.read();
        return run;
    }

    /** The next batch's inputs; later inputs of its players wait until it is released. */
    private List<BatchState.Item<T>> takeBatch(int maxBatch) {
        List<BatchState.Item<T>> batch = new ArrayList<>();
        List<BatchState.Item<T>> rest = new ArrayList<>();
        Set<String> players = new HashSet<>();
        for (BatchState.Item<T> it : inbox) {
            String p = it.event().playerId();
            if (batch.size() < maxBatch) {
                batch.add(it);
                players.add(p);
            } else {
                (players.contains(p) ? parked : rest).add(it);
            }
        }
        inbox = rest;
        inFlight.addAll(players);
        return batch;
    }

    /** A released batch's players take their waiting inputs into the next batch, in arrival order. */
    private void released(BatchState<T> b) {
        b.items().forEach(it -> inFlight.remove(it.event().playerId()));
        List<BatchState.Item<T>> still = new ArrayList<>();
        for (BatchState.Item<T> it : parked) {
            (inFlight.contains(it.event().playerId()) ? still : inbox).add(it);
        }
        parked = still;
    }

    /**
     * One batch on its way: read the states, apply the events, read back replayed triggers, write
     * the keyed rows, commit the states, release. Each step runs on the processor's thread; between
     * two steps the batch's I/O is in flight and {@link #ready()} completes when it has answered
     * (or the I/O timeout passed).
     */
    public final class Run implements GroupCommit.Pending<T> {
        private final BatchState<T> b;
        private final long startNanos;
        private final long failuresAtStart;
        private Step step;
        private CompletableFuture<?> ready = DONE;
        private long ioNanos;
        private Map<String, CompletableFuture<PlayerState>> loads = Map.of();
        private Map<Acked<T>, CompletableFuture<Map<String, String>>> lookups = Map.of();
        private Map<String, CompletableFuture<Void>> writes = Map.of();
        private long writeNanos;

        private enum Step { READ, LOOKUP, ROWS, COMMIT }

        Run(BatchState<T> b, long startNanos, long failuresAtStart) {
            this.b = b;
            this.startNanos = startNanos;
            this.failuresAtStart = failuresAtStart;
        }

        @Override
        public CompletableFuture<?> ready() {
            return ready;
        }

        @Override
        public Flushed<T> advance() {
            switch (step) {
                case READ -> {
                    long t = nanoTime.getAsLong();
                    nanosReading += t - ioNanos;
                    stages.reading().update(t - ioNanos, TimeUnit.NANOSECONDS);
                    takeLoadedStates(b, loads);
                    applyInOrder(b);
                    long applied = nanoTime.getAsLong() - t;
                    nanosApplying += applied;
                    stages.applying().update(applied, TimeUnit.NANOSECONDS);
                    lookUpReplayedTriggers();
                }
                case LOOKUP -> {
                    resolveReplayedTriggers(b, lookups);
                    writeKeyedRows();
                }
                case ROWS -> {
                    awaited(b, "writing events, decisions and metrics", writes);
                    commitStates();
                }
                case COMMIT -> {
                    awaited(b, "writing player states", writes);
                    long written = nanoTime.getAsLong() - writeNanos;
                    nanosWriting += written;
                    stages.writing().update(written, TimeUnit.NANOSECONDS);
                    return release(b, startNanos, failuresAtStart);
                }
                default -> throw new IllegalStateException(String.valueOf(step));
            }
            return null;
        }

        private void read() {
            List<String> missing = takeCachedStates(b);
            loads = missing.isEmpty() ? Map.of() : store.loadAll(missing);
            io(Step.READ, loads.values());
        }

        private void lookUpReplayedTriggers() {
            lookups = new IdentityHashMap<>();
            for (Acked<T> a : b.applied()) {
                if (ReplayedTriggers.needsLookup(a)) {
                    lookups.put(a, store.loadTriggers(a.event().playerId(), a.result().unresolved()));
                }
            }
            if (lookups.isEmpty()) {
                writeKeyedRows();
            } else {
                io(Step.LOOKUP, lookups.values());
            }
        }

        /** Phase A: the keyed, idempotent rows ({@link KeyedRows}). */
        private void writeKeyedRows() {
            writeNanos = nanoTime.getAsLong();
            Map<String, ProfileStore.PlayerRows> rows = KeyedRows.of(b.applied(), b::hasFailed);
            writes = rows.isEmpty() ? Map.of() : store.writeRows(rows);
            io(Step.ROWS, writes.values());
        }

        /** Phase B: one state row per changed player whose rows are written: the commit. */
        private void commitStates() {
            List<PlayerState> toCommit = b.statesToCommit();
            writes = toCommit.isEmpty() ? Map.of() : store.saveAll(toCommit, clock.instant());
            io(Step.COMMIT, writes.values());
        }

        private void io(Step next, Collection<? extends CompletableFuture<?>> stages) {
            step = next;
            ioNanos = nanoTime.getAsLong();
            ready = StoreWaits.allOrTimeout(stages, settings.ioTimeoutMillis());
        }
    }

    /** Takes the cached states of the batch's players; returns the players not in the cache. */
    private List<String> takeCachedStates(BatchState<T> b) {
        List<String> missing = new ArrayList<>();
        for (BatchState.Item<T> it : b.items()) {
            String p = it.event().playerId();
            if (b.hasState(p) || missing.contains(p)) {
                continue;
            }
            PlayerState cached = cache.getIfPresent(p);
            if (cached != null) {
                cacheHits++;
                b.putState(p, cached);
            } else {
                cacheMisses++;
                missing.add(p);
            }
        }
        return missing;
    }

    /** The states loaded for the players not in the cache; a failed read backs off. */
    private void takeLoadedStates(BatchState<T> b, Map<String, CompletableFuture<PlayerState>> loads) {
        loads.forEach((p, load) -> {
            if (StoreWaits.succeeded(load)) {
                b.putState(p, load.join());
            }
        });
        if (backoff.failedIf("reading player states", StoreWaits.failureOf(loads.values(), settings.ioTimeoutMillis()))) {
            b.storeFailed();
        }
    }

    /** Applies each event in arrival order; a player whose state is missing or who failed waits for the replay. */
    private void applyInOrder(BatchState<T> b) {
        for (BatchState.Item<T> it : b.items()) {
            CrmEvent e = it.event();
            PlayerState state = b.state(e.playerId());
            if (state == null || b.hasFailed(e.playerId())) {
                // no state, or an earlier event of the player failed in this batch: wait for the replay
                b.failPlayer(e.playerId());
                b.failInput(it.handle(), e);
            } else if (gate.blocks(e)) {
                // an earlier offset of the player is still to be replayed: this one comes back after it
                b.failInput(it.handle(), e);
            } else {
                applyOne(b, it, state);
            }
        }
    }

    private void applyOne(BatchState<T> b, BatchState.Item<T> it, PlayerState state) {
        CrmCore.Result r;
        try {
            r = core.apply(it.event(), state);
        } catch (RuntimeException ex) {
            // a bug outside the handlers' sandbox: the state may be half-changed, start over from the store
            b.dropState(it.event().playerId());
            b.failInput(it.handle(), it.event());
            return;
        }
        gate.applied(it.event()); // let the player's next pending offset through in this same batch
        b.applied(new Acked<>(it.handle(), it.event(), r));
    }

    /** Replays whose triggers were made before this task's cache: their triggers as read back from the outbox. */
    private void resolveReplayedTriggers(BatchState<T> b, Map<Acked<T>, CompletableFuture<Map<String, String>>> lookups) {
        List<Acked<T>> resolved = new ArrayList<>();
        for (Acked<T> a : b.applied()) {
            CompletableFuture<Map<String, String>> lookup = lookups.get(a);
            if (lookup != null && StoreWaits.succeeded(lookup)) {
                resolved.add(ReplayedTriggers.withOutbox(a, lookup.join()));
            } else {
                if (lookup != null) {
                    b.failPlayer(a.event().playerId());
                }
                resolved.add(a);
            }
        }
        // not counted as a store failure: a failed lookup fails its player, which holds the recovery back as well
        backoff.failedIf("reading the triggers of replayed events",
                StoreWaits.failureOf(lookups.values(), settings.ioTimeoutMillis()));
        b.replaceApplied(resolved);
    }

    /** After a phase's writes; on a failure, the players whose write did not complete wait for the replay. */
    private void awaited(BatchState<T> b, String what, Map<String, CompletableFuture<Void>> writes) {
        if (backoff.failedIf(what, StoreWaits.failureOf(writes.values(), settings.ioTimeoutMillis()))) {
            b.storeFailed();
            b.failUnfinished(writes);
        }
    }

    /** Release: acks what is durable, fails the rest; keeps only durable states in the cache. */
    private Flushed<T> release(BatchState<T> b, long start, long failuresAtStart) {
        List<Acked<T>> acked = b.release();
        if (b.allDurable()) {
            backoff.recovered(failuresAtStart);
        }
        flushedEvents += b.items().size();
        released(b);
        return new Flushed<>(acked, b.failed(), nanoTime.getAsLong() - start);
    }

    /** Time spent so far waiting for reads, applying events and waiting for writes, and the events flushed. */
    public record TimeSplit(long readingMillis, long applyingMillis, long writingMillis, long events) {
        public static final TimeSplit NONE = new TimeSplit(0, 0, 0, 0);
    }

    public TimeSplit timeSplit() {
        return new TimeSplit(nanosReading / 1_000_000, nanosApplying / 1_000_000, nanosWriting / 1_000_000, flushedEvents);
    }

    public long cacheHits() {
        return cacheHits;
    }

    public long cacheMisses() {
        return cacheMisses;
    }

    public long cachedPlayers() {
        return cache.estimatedSize();
    }

    public long blockedPlayers() {
        return gate.blockedPlayers();
    }
}
