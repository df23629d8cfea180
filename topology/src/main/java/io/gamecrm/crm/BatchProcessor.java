package io.gamecrm.crm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gamecrm.trigger.Triggers;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    private record Item<T>(T handle, CrmEvent event) {
    }

    private final ProfileStore store;
    private final CrmCore core;
    private final Settings settings;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Listener listener;
    private final Cache<String, PlayerState> cache;
    private final PlayerGate gate;
    private List<Item<T>> inbox = new ArrayList<>();
    private long backoffUntilNanos;
    private long backoffMillis;
    private long downSinceNanos = -1;
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
        this.listener = listener;
        this.cache = Caffeine.newBuilder().maximumSize(settings.cacheMaxPlayers()).executor(Runnable::run).build();
        this.gate = new PlayerGate(Duration.ofMinutes(10), 1_000_000);
    }

    /**
     * Enqueues an input into the next batch. Returns false when it is not enqueued and must be failed
     * at once instead: the store is failing and the processor backs off.
     */
    @Override
    public boolean offer(T handle, CrmEvent event) {
        if (nanoTime.getAsLong() < backoffUntilNanos) {
            gate.failed(event);
            return false;
        }
        inbox.add(new Item<>(handle, event));
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
        Flush f = new Flush(inbox);
        inbox = new ArrayList<>();
        List<String> missing = takeCachedStates(f);
        long t0 = nanoTime.getAsLong();
        loadMissingStates(f, missing);
        long t1 = nanoTime.getAsLong();
        nanosReading += t1 - t0;
        applyInOrder(f);
        resolveReplayedTriggers(f);
        long t2 = nanoTime.getAsLong();
        nanosApplying += t2 - t1;
        writeKeyedRows(f);
        commitStates(f);
        nanosWriting += nanoTime.getAsLong() - t2;
        flushedEvents += f.items.size();
        return release(f, start);
    }

    /**
     * One flush's working state. A failed player waits for the replay: all its inputs of the batch
     * are failed and its state is neither written nor kept in the cache.
     */
    private final class Flush {
        final List<Item<T>> items;
        final Map<String, PlayerState> states = new HashMap<>();
        final List<T> failed = new ArrayList<>();
        /** Applied inputs, in arrival order; acked at the release unless their player failed. */
        List<Acked<T>> applied = new ArrayList<>();
        /** Players with a changed state, to commit. */
        final Set<String> dirty = new LinkedHashSet<>();
        /** A read or write of the store failed (the store has not recovered). */
        boolean storeFailed;
        private final Set<String> failedPlayers = new HashSet<>();

        Flush(List<Item<T>> items) {
            this.items = items;
        }

        boolean hasFailed(String player) {
            return failedPlayers.contains(player);
        }

        /** The player waits for the replay. */
        void failPlayer(String player) {
            failedPlayers.add(player);
        }

        /** The players whose futures did not complete in time, or completed exceptionally, wait for the replay. */
        void failUnfinished(Map<String, ? extends CompletableFuture<?>> futures) {
            futures.forEach((p, future) -> {
                if (!future.isDone() || future.isCompletedExceptionally()) {
                    failPlayer(p);
                }
            });
        }

        /** The player's state may be half-changed: it waits for the replay and starts over from the store. */
        void dropState(String player) {
            failPlayer(player);
            cache.invalidate(player);
            states.remove(player);
        }

        /** An input failed for replay; the gate holds its player's later offsets back until it is. */
        void failInput(T handle, CrmEvent event) {
            failed.add(handle);
            gate.failed(event);
        }

        /** Only durable states stay in the cache. */
        void keepDurableStates() {
            for (String p : failedPlayers) {
                cache.invalidate(p);
            }
            for (Map.Entry<String, PlayerState> e : states.entrySet()) {
                if (!failedPlayers.contains(e.getKey())) {
                    cache.put(e.getKey(), e.getValue());
                }
            }
        }

        boolean allDurable() {
            return !storeFailed && failedPlayers.isEmpty();
        }
    }

    /** Takes the cached states of the batch's players; returns the players not in the cache. */
    private List<String> takeCachedStates(Flush f) {
        List<String> missing = new ArrayList<>();
        for (Item<T> it : f.items) {
            String p = it.event().playerId();
            if (f.states.containsKey(p) || missing.contains(p)) {
                continue;
            }
            PlayerState cached = cache.getIfPresent(p);
            if (cached != null) {
                cacheHits++;
                f.states.put(p, cached);
            } else {
                cacheMisses++;
                missing.add(p);
            }
        }
        return missing;
    }

    /** Loads the states of the players not in the cache, all at once. */
    private void loadMissingStates(Flush f, List<String> missing) {
        if (missing.isEmpty()) {
            return;
        }
        Map<String, CompletableFuture<PlayerState>> loads = store.loadAll(missing);
        Throwable loadError = await(loads.values());
        for (Map.Entry<String, CompletableFuture<PlayerState>> e : loads.entrySet()) {
            if (e.getValue().isDone() && !e.getValue().isCompletedExceptionally()) {
                f.states.put(e.getKey(), e.getValue().join());
            }
        }
        f.storeFailed |= reportFailure("reading player states", loadError);
    }

    /** Applies each event in arrival order; a player whose state is missing or who failed waits for the replay. */
    private void applyInOrder(Flush f) {
        for (Item<T> it : f.items) {
            CrmEvent e = it.event();
            PlayerState state = f.states.get(e.playerId());
            if (state == null || f.hasFailed(e.playerId())) {
                // no state, or an earlier event of the player failed in this batch: wait for the replay
                f.failPlayer(e.playerId());
                f.failInput(it.handle(), e);
                continue;
            }
            if (gate.blocks(e)) {
                // an earlier offset of the player is still to be replayed: this one comes back after it
                f.failInput(it.handle(), e);
                continue;
            }
            CrmCore.Result r;
            try {
                r = core.apply(e, state);
            } catch (RuntimeException ex) {
                // a bug outside the handlers' sandbox: the state may be half-changed, start over from the store
                f.dropState(e.playerId());
                f.failInput(it.handle(), e);
                continue;
            }
            gate.applied(e); // let the player's next pending offset through in this same batch
            f.applied.add(new Acked<>(it.handle(), e, r));
            if (!r.duplicate()) {
                f.dirty.add(e.playerId());
            }
        }
    }

    /** Replays whose triggers were made before this task's cache: reads them back from the outbox. */
    private void resolveReplayedTriggers(Flush f) {
        Map<Acked<T>, CompletableFuture<Map<String, String>>> lookups = new IdentityHashMap<>();
        for (Acked<T> a : f.applied) {
            if (a.result().duplicate() && !a.result().unresolved().isEmpty()) {
                lookups.put(a, store.loadTriggers(a.event().playerId(), a.result().unresolved()));
            }
        }
        if (lookups.isEmpty()) {
            return;
        }
        Throwable lookupError = await(lookups.values());
        List<Acked<T>> resolved = new ArrayList<>();
        for (Acked<T> a : f.applied) {
            CompletableFuture<Map<String, String>> lookup = lookups.get(a);
            if (lookup == null) {
                resolved.add(a);
            } else if (lookup.isDone() && !lookup.isCompletedExceptionally()) {
                resolved.add(withOutboxTriggers(a, lookup.join()));
            } else {
                f.failPlayer(a.event().playerId());
                resolved.add(a);
            }
        }
        // not counted in storeFailed: a failed lookup fails its player, which holds the recovery back as well
        reportFailure("reading the triggers of replayed events", lookupError);
        f.applied = resolved;
    }

    private static <H> Acked<H> withOutboxTriggers(Acked<H> a, Map<String, String> outbox) {
        List<Triggers.Trigger> all = new ArrayList<>(a.result().triggers());
        outbox.forEach((id, json) -> all.add(new Triggers.Trigger(id, null, a.event().playerId(), json)));
        CrmCore.Result r = a.result();
        return new Acked<>(a.handle(), a.event(), new CrmCore.Result(true, all, r.decisions(),
                r.failures(), r.changes(), r.metrics(), List.of()));
    }

    /**
     * Phase A: the keyed, idempotent rows (player_events, decisions, daily metrics, outbox, exposures,
     * conversions), per player.
     */
    private void writeKeyedRows(Flush f) {
        Map<String, ProfileStore.PlayerRows> rows = new LinkedHashMap<>();
        for (Acked<T> a : f.applied) {
            CrmEvent e = a.event();
            if (a.result().duplicate() || f.hasFailed(e.playerId())) {
                continue;
            }
            ProfileStore.PlayerRows r = rows.computeIfAbsent(e.playerId(), k -> new ProfileStore.PlayerRows(
                    new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>()));
            r.events().add(new ProfileStore.EventRow(e.playerId(), e.eventTime(), e.eventId(), e.eventType(), e.json()));
            r.decisions().addAll(a.result().decisions());
            r.metrics().addAll(a.result().metrics());
            r.exposures().addAll(a.result().exposures());
            r.conversions().addAll(a.result().conversions());
            for (Triggers.Trigger t : a.result().triggers()) {
                r.triggers().add(new ProfileStore.OutboxRow(e.playerId(), t.id(), e.partition(), e.offset(), t.json()));
            }
        }
        Map<String, CompletableFuture<Void>> written = rows.isEmpty() ? Map.of() : store.writeRows(rows);
        awaitWrites(f, "writing events, decisions and metrics", written);
    }

    /** Phase B: one state row per changed player whose rows are written: the commit. */
    private void commitStates(Flush f) {
        List<PlayerState> toCommit = new ArrayList<>();
        for (String p : f.dirty) {
            if (!f.hasFailed(p)) {
                toCommit.add(f.states.get(p));
            }
        }
        Map<String, CompletableFuture<Void>> commits = toCommit.isEmpty() ? Map.of()
                : store.saveAll(toCommit, clock.instant());
        awaitWrites(f, "writing player states", commits);
    }

    /** Waits for a phase's writes; on a failure, the players whose write did not complete wait for the replay. */
    private void awaitWrites(Flush f, String what, Map<String, CompletableFuture<Void>> writes) {
        if (reportFailure(what, await(writes.values()))) {
            f.storeFailed = true;
            f.failUnfinished(writes);
        }
    }

    /** Release: acks what is durable, fails the rest; keeps only durable states in the cache. */
    private Flushed<T> release(Flush f, long start) {
        List<Acked<T>> acked = new ArrayList<>();
        for (Acked<T> a : f.applied) {
            if (f.hasFailed(a.event().playerId())) {
                f.failInput(a.handle(), a.event());
            } else {
                acked.add(a);
            }
        }
        f.keepDurableStates();
        if (f.allDurable()) {
            recovered();
        }
        return new Flushed<>(acked, f.failed, nanoTime.getAsLong() - start);
    }

    /** Waits for all, up to the I/O timeout in all; returns the first failure, or null. */
    private Throwable await(Collection<? extends CompletableFuture<?>> futures) {
        if (futures.isEmpty()) {
            return null;
        }
        try {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0]))
                    .get(settings.ioTimeoutMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return new TimeoutException("no answer within " + settings.ioTimeoutMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** A failed read or write backs off; returns whether there was one. */
    private boolean reportFailure(String what, Throwable error) {
        if (error == null) {
            return false;
        }
        failing(what, error);
        return true;
    }

    private void failing(String what, Throwable error) {
        long now = nanoTime.getAsLong();
        if (downSinceNanos < 0) {
            downSinceNanos = now;
        }
        backoffMillis = backoffMillis == 0 ? settings.backoffMinMillis()
                : Math.min(settings.backoffMaxMillis(), backoffMillis * 2);
        backoffUntilNanos = now + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
        listener.storeFailed(what, error, backoffMillis);
    }

    private void recovered() {
        if (downSinceNanos >= 0) {
            long down = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - downSinceNanos);
            downSinceNanos = -1;
            listener.storeRecovered(down);
        }
        backoffMillis = 0;
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
