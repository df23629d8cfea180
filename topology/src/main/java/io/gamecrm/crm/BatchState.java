package io.gamecrm.crm;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The working state of one write-behind batch, which each step of {@link BatchProcessor#flush}
 * reads and changes: the inputs, the players' states, the applied inputs, the changed players, and
 * the players that failed. A failed player waits for the replay: all its inputs of the batch are
 * failed at the release, and its state is neither written nor kept in the cache.
 *
 * @param <T> the input handle
 */
final class BatchState<T> {
    /** An input of the batch. */
    /** An input, with when it was handed to the committer (the processor's nanosecond clock). */
    record Item<T>(T handle, CrmEvent event, long handedNanos) {
    }

    private final List<Item<T>> items;
    private final Cache<String, PlayerState> cache;
    private final PlayerGate gate;
    private final Map<String, PlayerState> states = new HashMap<>();
    private final List<T> failed = new ArrayList<>();
    /** Applied inputs, in arrival order; acked at the release unless their player failed. */
    private List<BatchProcessor.Acked<T>> applied = new ArrayList<>();
    /** Players with a changed state, to commit. */
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Set<String> failedPlayers = new HashSet<>();
    /** A read or write of the store failed (the store has not recovered). */
    private boolean storeFailed;

    BatchState(List<Item<T>> items, Cache<String, PlayerState> cache, PlayerGate gate) {
        this.items = items;
        this.cache = cache;
        this.gate = gate;
    }

    List<Item<T>> items() {
        return items;
    }

    PlayerState state(String player) {
        return states.get(player);
    }

    boolean hasState(String player) {
        return states.containsKey(player);
    }

    void putState(String player, PlayerState state) {
        states.put(player, state);
    }

    List<BatchProcessor.Acked<T>> applied() {
        return applied;
    }

    /** An input applied to its player's state; a state that changed is to be committed. */
    void applied(BatchProcessor.Acked<T> a) {
        applied.add(a);
        if (!a.result().duplicate()) {
            dirty.add(a.event().playerId());
        }
    }

    /** The applied inputs, each replaced by its version with the triggers read back (same order). */
    void replaceApplied(List<BatchProcessor.Acked<T>> resolved) {
        applied = resolved;
    }

    /** The changed states of the players that have not failed: what the commit writes. */
    List<PlayerState> statesToCommit() {
        List<PlayerState> out = new ArrayList<>();
        for (String p : dirty) {
            if (!failedPlayers.contains(p)) {
                out.add(states.get(p));
            }
        }
        return out;
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
            if (!StoreWaits.succeeded(future)) {
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

    /** A read or write of the store failed. */
    void storeFailed() {
        storeFailed = true;
    }

    /**
     * The release: the applied inputs of players that did not fail, to ack; the others are failed.
     * Only durable states stay in the cache.
     */
    List<BatchProcessor.Acked<T>> release() {
        List<BatchProcessor.Acked<T>> acked = new ArrayList<>();
        for (BatchProcessor.Acked<T> a : applied) {
            if (failedPlayers.contains(a.event().playerId())) {
                failInput(a.handle(), a.event());
            } else {
                acked.add(a);
            }
        }
        for (String p : failedPlayers) {
            cache.invalidate(p);
        }
        states.forEach((p, s) -> {
            if (!failedPlayers.contains(p)) {
                cache.put(p, s);
            }
        });
        return acked;
    }

    /** The inputs failed for replay. */
    List<T> failed() {
        return failed;
    }

    /** Every read and write succeeded and no player failed. */
    boolean allDurable() {
        return !storeFailed && failedPlayers.isEmpty();
    }
}
