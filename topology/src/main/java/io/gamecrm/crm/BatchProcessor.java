package io.gamecrm.crm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

    private final ProfileStore store;
    private final CrmCore core;
    private final Settings settings;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Cache<String, PlayerState> cache;
    private final PlayerGate gate;
    private final Backoff backoff;
    private List<BatchState.Item<T>> inbox = new ArrayList<>();
    private long cacheHits;
    private long cacheMisses;
    /** Where the flushes spend their time (ns): waiting for reads, applying, waiting for writes. */
    private long nanosReading;
    private long nanosApplying;
    private long nanosWriting;
    private long flushedEvents;

    public BatchProcessor(ProfileStore store, CrmCore core, Settings settings, Clock clock, LongSupplier nanoTime,
                          Listener listener) {
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
     * Enqueues an input into the next batch. Returns false when it is not enqueued and must be failed
     * at once instead: the store is failing and the processor backs off.
     */
    @Override
    public boolean offer(T handle, CrmEvent event) {
        if (backoff.active()) {
            gate.failed(event);
            return false;
        }
        inbox.add(new BatchState.Item<>(handle, event));
        return true;
    }

    @Override
    public int pending() {
        return inbox.size();
    }

    /** Processes and writes the batch; blocks until its effects are durable or have failed. */
    @Override
    public Flushed<T> flush() {
        if (inbox.isEmpty()) {
            return Flushed.empty();
        }
        long start = nanoTime.getAsLong();
        BatchState<T> b = new BatchState<>(inbox, cache, gate);
        inbox = new ArrayList<>();
        List<String> missing = takeCachedStates(b);
        long t0 = nanoTime.getAsLong();
        loadMissingStates(b, missing);
        long t1 = nanoTime.getAsLong();
        nanosReading += t1 - t0;
        applyInOrder(b);
        resolveReplayedTriggers(b);
        long t2 = nanoTime.getAsLong();
        nanosApplying += t2 - t1;
        writeKeyedRows(b);
        commitStates(b);
        nanosWriting += nanoTime.getAsLong() - t2;
        flushedEvents += b.items().size();
        return release(b, start);
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

    /** Loads the states of the players not in the cache, all at once. */
    private void loadMissingStates(BatchState<T> b, List<String> missing) {
        if (missing.isEmpty()) {
            return;
        }
        Map<String, CompletableFuture<PlayerState>> loads = store.loadAll(missing);
        Throwable loadError = StoreWaits.firstFailure(loads.values(), settings.ioTimeoutMillis());
        loads.forEach((p, load) -> {
            if (StoreWaits.succeeded(load)) {
                b.putState(p, load.join());
            }
        });
        if (backoff.failedIf("reading player states", loadError)) {
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

    /** Replays whose triggers were made before this task's cache: reads them back from the outbox. */
    private void resolveReplayedTriggers(BatchState<T> b) {
        Map<Acked<T>, CompletableFuture<Map<String, String>>> lookups = new IdentityHashMap<>();
        for (Acked<T> a : b.applied()) {
            if (ReplayedTriggers.needsLookup(a)) {
                lookups.put(a, store.loadTriggers(a.event().playerId(), a.result().unresolved()));
            }
        }
        if (lookups.isEmpty()) {
            return;
        }
        Throwable lookupError = StoreWaits.firstFailure(lookups.values(), settings.ioTimeoutMillis());
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
        backoff.failedIf("reading the triggers of replayed events", lookupError);
        b.replaceApplied(resolved);
    }

    /** Phase A: the keyed, idempotent rows ({@link KeyedRows}). */
    private void writeKeyedRows(BatchState<T> b) {
        Map<String, ProfileStore.PlayerRows> rows = KeyedRows.of(b.applied(), b::hasFailed);
        awaitWrites(b, "writing events, decisions and metrics", rows.isEmpty() ? Map.of() : store.writeRows(rows));
    }

    /** Phase B: one state row per changed player whose rows are written: the commit. */
    private void commitStates(BatchState<T> b) {
        List<PlayerState> toCommit = b.statesToCommit();
        awaitWrites(b, "writing player states", toCommit.isEmpty() ? Map.of() : store.saveAll(toCommit, clock.instant()));
    }

    /** Waits for a phase's writes; on a failure, the players whose write did not complete wait for the replay. */
    private void awaitWrites(BatchState<T> b, String what, Map<String, CompletableFuture<Void>> writes) {
        if (backoff.failedIf(what, StoreWaits.firstFailure(writes.values(), settings.ioTimeoutMillis()))) {
            b.storeFailed();
            b.failUnfinished(writes);
        }
    }

    /** Release: acks what is durable, fails the rest; keeps only durable states in the cache. */
    private Flushed<T> release(BatchState<T> b, long start) {
        List<Acked<T>> acked = b.release();
        if (b.allDurable()) {
            backoff.recovered();
        }
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
