package io.gamecrm.crm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gamecrm.profile.ProfileStore;
import io.gamecrm.trigger.Triggers;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * players. Single-threaded (the executor thread): the script engine lives on it.
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
    public record Flushed<T>(List<Acked<T>> acked, List<T> failed, int players, long nanos) {
        static <T> Flushed<T> empty() {
            return new Flushed<>(List.of(), List.of(), 0, 0);
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
     * Accepts an input. Returns true when it must be failed at once instead: the store is failing
     * and the processor backs off.
     */
    @Override
    public boolean rejects(T handle, CrmEvent event) {
        if (nanoTime.getAsLong() < backoffUntilNanos) {
            gate.failed(event);
            return true;
        }
        inbox.add(new Item<>(handle, event));
        return false;
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
        List<Item<T>> items = inbox;
        inbox = new ArrayList<>();
        List<T> failed = new ArrayList<>();

        // 1. states of the players not in the cache, loaded together
        Map<String, PlayerState> states = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (Item<T> it : items) {
            String p = it.event().playerId();
            if (states.containsKey(p) || missing.contains(p)) {
                continue;
            }
            PlayerState cached = cache.getIfPresent(p);
            if (cached != null) {
                cacheHits++;
                states.put(p, cached);
            } else {
                cacheMisses++;
                missing.add(p);
            }
        }
        Throwable loadError = null;
        long t0 = nanoTime.getAsLong();
        if (!missing.isEmpty()) {
            Map<String, CompletableFuture<PlayerState>> loads = store.loadAll(missing);
            loadError = await(loads.values());
            for (Map.Entry<String, CompletableFuture<PlayerState>> e : loads.entrySet()) {
                if (e.getValue().isDone() && !e.getValue().isCompletedExceptionally()) {
                    states.put(e.getKey(), e.getValue().join());
                }
            }
            if (loadError != null) {
                failing("reading player states", loadError);
            }
        }

        long t1 = nanoTime.getAsLong();
        nanosReading += t1 - t0;
        // 2. apply in arrival order; a player whose state is missing or who failed waits for the replay
        Set<String> failedPlayers = new HashSet<>();
        List<Acked<T>> applied = new ArrayList<>();
        Set<String> dirty = new java.util.LinkedHashSet<>();
        for (Item<T> it : items) {
            CrmEvent e = it.event();
            PlayerState state = states.get(e.playerId());
            if (state == null || failedPlayers.contains(e.playerId())) {
                // no state, or an earlier event of the player failed in this batch: wait for the replay
                failedPlayers.add(e.playerId());
                failed.add(it.handle());
                gate.failed(e);
                continue;
            }
            if (gate.blocks(e)) {
                // an earlier offset of the player is still to be replayed: this one comes back after it
                failed.add(it.handle());
                gate.failed(e);
                continue;
            }
            CrmCore.Result r;
            try {
                r = core.apply(e, state);
            } catch (RuntimeException ex) {
                // a bug outside the handlers' sandbox: the state may be half-changed, start over from the store
                failedPlayers.add(e.playerId());
                cache.invalidate(e.playerId());
                states.remove(e.playerId());
                failed.add(it.handle());
                gate.failed(e);
                continue;
            }
            gate.applied(e); // let the player's next pending offset through in this same batch
            applied.add(new Acked<>(it.handle(), e, r));
            if (!r.duplicate()) {
                dirty.add(e.playerId());
            }
        }

        // 2b. replays whose triggers were made before this task's cache: read them back from the outbox
        List<Acked<T>> resolved = new ArrayList<>();
        Map<Acked<T>, CompletableFuture<Map<String, String>>> lookups = new java.util.IdentityHashMap<>();
        for (Acked<T> a : applied) {
            if (a.result().duplicate() && !a.result().unresolved().isEmpty()) {
                lookups.put(a, store.loadTriggers(a.event().playerId(), a.result().unresolved()));
            }
        }
        if (!lookups.isEmpty()) {
            Throwable lookupError = await(lookups.values());
            for (Acked<T> a : applied) {
                CompletableFuture<Map<String, String>> f = lookups.get(a);
                if (f == null) {
                    resolved.add(a);
                } else if (f.isDone() && !f.isCompletedExceptionally()) {
                    List<Triggers.Trigger> all = new ArrayList<>(a.result().triggers());
                    f.join().forEach((id, json) -> all.add(new Triggers.Trigger(id, null, a.event().playerId(), json)));
                    CrmCore.Result r = a.result();
                    resolved.add(new Acked<>(a.handle(), a.event(), new CrmCore.Result(true, all, r.decisions(),
                            r.failures(), r.changes(), r.metrics(), List.of())));
                } else {
                    failedPlayers.add(a.event().playerId());
                    resolved.add(a);
                }
            }
            if (lookupError != null) {
                failing("reading the triggers of replayed events", lookupError);
            }
            applied = resolved;
        }
        long t2 = nanoTime.getAsLong();
        nanosApplying += t2 - t1;
        // 3. phase A: the keyed, idempotent rows, per player
        Map<String, ProfileStore.PlayerRows> rows = new LinkedHashMap<>();
        for (Acked<T> a : applied) {
            CrmEvent e = a.event();
            if (a.result().duplicate() || failedPlayers.contains(e.playerId())) {
                continue;
            }
            ProfileStore.PlayerRows r = rows.computeIfAbsent(e.playerId(), k -> new ProfileStore.PlayerRows(
                    new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
            r.events().add(new ProfileStore.EventRow(e.playerId(), e.eventTime(), e.eventId(), e.eventType(), e.json()));
            r.decisions().addAll(a.result().decisions());
            r.metrics().addAll(a.result().metrics());
            for (Triggers.Trigger t : a.result().triggers()) {
                r.triggers().add(new ProfileStore.OutboxRow(e.playerId(), t.id(), e.partition(), e.offset(), t.json()));
            }
        }
        Map<String, CompletableFuture<Void>> written = rows.isEmpty() ? Map.of() : store.writeRows(rows);
        Throwable rowError = await(written.values());
        if (rowError != null) {
            failing("writing events, decisions and metrics", rowError);
            written.forEach((p, f) -> {
                if (!f.isDone() || f.isCompletedExceptionally()) {
                    failedPlayers.add(p);
                }
            });
        }

        // 4. phase B: one state row per changed player whose rows are written: the commit
        List<PlayerState> toCommit = new ArrayList<>();
        for (String p : dirty) {
            if (!failedPlayers.contains(p)) {
                toCommit.add(states.get(p));
            }
        }
        Map<String, CompletableFuture<Void>> commits = toCommit.isEmpty() ? Map.of()
                : store.saveAll(toCommit, clock.instant());
        Throwable commitError = await(commits.values());
        if (commitError != null) {
            failing("writing player states", commitError);
            commits.forEach((p, f) -> {
                if (!f.isDone() || f.isCompletedExceptionally()) {
                    failedPlayers.add(p);
                }
            });
        }

        nanosWriting += nanoTime.getAsLong() - t2;
        flushedEvents += items.size();
        // 5. release: ack what is durable, fail the rest; keep only durable states in the cache
        List<Acked<T>> acked = new ArrayList<>();
        for (Acked<T> a : applied) {
            String p = a.event().playerId();
            if (failedPlayers.contains(p)) {
                failed.add(a.handle());
                gate.failed(a.event());
            } else {
                acked.add(a);
            }
        }
        for (String p : failedPlayers) {
            cache.invalidate(p);
        }
        for (Map.Entry<String, PlayerState> e : states.entrySet()) {
            if (!failedPlayers.contains(e.getKey())) {
                cache.put(e.getKey(), e.getValue());
            }
        }
        if (loadError == null && rowError == null && commitError == null && failedPlayers.isEmpty()) {
            recovered();
        }
        return new Flushed<>(acked, failed, states.size(), nanoTime.getAsLong() - start);
    }

    /** Waits for all, up to the I/O timeout in all; returns the first failure, or null. */
    private Throwable await(java.util.Collection<? extends CompletableFuture<?>> futures) {
        if (futures.isEmpty()) {
            return null;
        }
        try {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0]))
                    .get(settings.ioTimeoutMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            return new java.util.concurrent.TimeoutException("no answer within " + settings.ioTimeoutMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
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

    /** Inputs waiting for the next flush are failed (e.g. on shutdown when the flush cannot run). */
    public List<T> drain() {
        List<T> out = new ArrayList<>();
        inbox.forEach(it -> out.add(it.handle()));
        inbox = new ArrayList<>();
        return out;
    }

    /** Time spent so far waiting for reads, applying events, and waiting for writes, in ms; and events. */
    public long[] timeSplitMillis() {
        return new long[] {nanosReading / 1_000_000, nanosApplying / 1_000_000, nanosWriting / 1_000_000, flushedEvents};
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

    /** Triggers of an acked input, for emitting. */
    public static List<Triggers.Trigger> triggersOf(Acked<?> a) {
        return a.result().triggers();
    }
}
