package io.gamecrm.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.RepoPaths;
import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.campaign.CampaignGuard;
import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.InvocationPolicy;
import io.gamecrm.json.Json;
import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import io.gamecrm.validation.SchemaCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Spec of the write-behind:
 * <ul>
 *   <li>many events of a player in a batch become one state write (coalescing)</li>
 *   <li>an input is acked only once its player's state is written; a failed write fails that player's inputs only</li>
 *   <li>replaying applied events changes nothing and re-emits the same trigger ids</li>
 *   <li>a failed event in the middle of a streak: later events of the player wait for its replay,
 *       and the result equals a clean run</li>
 *   <li>while the store fails, the processor backs off and fails inputs at once; it recovers by itself</li>
 *   <li>cached states spare reads; a failure drops the player's cached state; a small cache stays correct</li>
 *   <li>daily metrics rows are written once per player, value and day</li>
 * </ul>
 */
class BatchProcessorTest {
    private static final HandlerSet SHIPPED = HandlerSet.compile(HandlerDirectory.read(RepoPaths.handlers())).set();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    /** An in-memory store that can be told to fail, and counts what it is asked. */
    static final class FlakyStore implements ProfileStore {
        final InMemoryProfileStore data = new InMemoryProfileStore();
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger saves = new AtomicInteger();
        final AtomicInteger eventRows = new AtomicInteger();
        boolean down;
        final Set<String> failEventIds = new HashSet<>();
        final Set<String> failSavesOf = new HashSet<>();

        private static <X> CompletableFuture<X> failed() {
            return CompletableFuture.failedFuture(new RuntimeException("Cassandra is down"));
        }

        @Override
        public Map<String, CompletableFuture<PlayerState>> loadAll(Collection<String> playerIds) {
            loads.addAndGet(playerIds.size());
            if (down) {
                Map<String, CompletableFuture<PlayerState>> out = new java.util.LinkedHashMap<>();
                playerIds.forEach(p -> out.put(p, failed()));
                return out;
            }
            return data.loadAll(playerIds);
        }

        @Override
        public Map<String, CompletableFuture<Void>> writeRows(Map<String, PlayerRows> rowsByPlayer) {
            Map<String, CompletableFuture<Void>> out = new java.util.LinkedHashMap<>();
            rowsByPlayer.forEach((player, rows) -> {
                eventRows.addAndGet(rows.events().size());
                boolean fail = down || rows.events().stream().anyMatch(e -> failEventIds.remove(e.eventId()));
                out.put(player, fail ? failed() : data.writeRows(Map.of(player, rows)).get(player));
            });
            return out;
        }

        @Override
        public CompletableFuture<Map<String, String>> loadTriggers(String playerId, Collection<String> triggerIds) {
            return down ? failed() : data.loadTriggers(playerId, triggerIds);
        }

        @Override
        public Map<String, CompletableFuture<Void>> saveAll(Collection<PlayerState> states, Instant updatedAt) {
            Map<String, CompletableFuture<Void>> out = new java.util.LinkedHashMap<>();
            for (PlayerState s : states) {
                saves.incrementAndGet();
                out.put(s.playerId(), down || failSavesOf.contains(s.playerId()) ? failed()
                        : data.saveAll(List.of(s), updatedAt).get(s.playerId()));
            }
            return out;
        }
    }

    private final FlakyStore store = new FlakyStore();
    private long nanos;
    private final List<String> health = new ArrayList<>();

    private BatchProcessor<CrmEvent> processor(int maxBatch, long cacheMax) {
        CampaignGuard guard = new CampaignGuard(1, CLOCK::millis, () -> CampaignControl.NONE, (c, r) -> { });
        CrmCore core = new CrmCore(() -> SHIPPED, InvocationPolicy.UNGUARDED, guard,
                new Triggers(SchemaCatalog.fromClasspath()), CLOCK, DailyMetrics.of("lost_streak", 20));
        return new BatchProcessor<>(store, core, new BatchProcessor.Settings(maxBatch, 1000, 100, 800, cacheMax),
                CLOCK, () -> nanos, new BatchProcessor.Listener() {
                    @Override
                    public void storeFailed(String what, Throwable error, long backoffMillis) {
                        health.add("failed " + what + ", backoff " + backoffMillis);
                    }

                    @Override
                    public void storeRecovered(long downMillis) {
                        health.add("recovered");
                    }
                });
    }

    /** What the spout would see: acked inputs with their trigger ids, failed inputs. */
    private record Outcome(List<CrmEvent> acked, List<String> triggerIds, List<CrmEvent> failed) {
    }

    private static Outcome batch(BatchProcessor<CrmEvent> p, List<CrmEvent> events) {
        List<CrmEvent> failed = new ArrayList<>();
        for (CrmEvent e : events) {
            if (!p.offer(e, e)) {
                failed.add(e);
            }
        }
        BatchProcessor.Flushed<CrmEvent> f = p.flush();
        failed.addAll(f.failed());
        List<CrmEvent> acked = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (BatchProcessor.Acked<CrmEvent> a : f.acked()) {
            acked.add(a.handle());
            a.result().triggers().forEach(t -> ids.add(t.id()));
        }
        return new Outcome(acked, ids, failed);
    }

    private static List<CrmEvent> streak(String player, int partition, long firstOffset, String... results) {
        List<CrmEvent> out = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            out.add(Events.fight(player, i, results[i], partition, firstOffset + i));
        }
        return out;
    }

    private Map<String, Object> profile(String player) {
        return Json.readObject(store.data.state(player).profileJson());
    }

    @Test
    void manyEventsOfAPlayerInABatchBecomeOneStateWrite() {
        BatchProcessor<CrmEvent> p = processor(100, 1000);
        List<CrmEvent> events = new ArrayList<>(streak("bob", 0, 0, "won", "lost", "lost", "won", "lost"));
        events.addAll(streak("ann", 1, 0, "lost", "lost"));

        Outcome o = batch(p, events);

        assertThat(o.acked()).hasSize(7);
        assertThat(store.saves.get()).isEqualTo(2);
        assertThat(store.eventRows.get()).isEqualTo(7);
        assertThat(store.data.state("bob").version()).isEqualTo(5);
        assertThat(profile("bob")).containsEntry("fights", 5).containsEntry("lost_streak", 1);
    }

    @Test
    void aFailedStateWriteFailsThatPlayersInputsOnly() {
        BatchProcessor<CrmEvent> p = processor(100, 1000);
        store.failSavesOf.add("bob");

        Outcome o = batch(p, List.of(Events.login("bob", 0, 0, 0), Events.login("ann", 0, 1, 0)));

        assertThat(o.failed()).extracting(CrmEvent::playerId).containsExactly("bob");
        assertThat(o.acked()).extracting(CrmEvent::playerId).containsExactly("ann");
        assertThat(store.data.state("bob").isNew()).isTrue();
    }

    @Test
    void replayingAppliedEventsChangesNothingAndReEmitsTheSameTriggerIds() {
        BatchProcessor<CrmEvent> p = processor(100, 1000);
        List<CrmEvent> events = streak("bob", 0, 100, "lost", "lost", "lost", "won");
        Outcome first = batch(p, events);
        Map<String, Object> profile = profile("bob");
        long version = store.data.state("bob").version();
        int saves = store.saves.get();

        Outcome again = batch(processor(100, 1000), events); // a new task (empty cache) reading from the store

        assertThat(first.triggerIds()).hasSize(1);
        assertThat(again.triggerIds()).isEqualTo(first.triggerIds());
        assertThat(again.acked()).hasSize(4);
        assertThat(profile("bob")).isEqualTo(profile);
        assertThat(store.data.state("bob").version()).isEqualTo(version);
        assertThat(store.saves.get()).isEqualTo(saves);
    }

    @Test
    void aFailedEventInTheMiddleOfAStreakGivesTheSameResultAsACleanRun() {
        List<CrmEvent> story = streak("bob", 3, 40, "won", "lost", "lost", "lost", "won", "lost");
        // the clean run
        FlakyStore cleanStore = store;
        Outcome clean = batch(processor(100, 1000), story);
        Map<String, Object> cleanProfile = profile("bob");

        // the same story on a fresh store, where the second loss (offset 42) fails once while being written
        FlakyStore flaky = new FlakyStore();
        BatchProcessorTest other = new BatchProcessorTest();
        BatchProcessor<CrmEvent> p = other.processorOn(flaky);
        flaky.failEventIds.add(story.get(2).eventId());
        List<String> triggerIds = new ArrayList<>();
        List<CrmEvent> delivered = new ArrayList<>(story.subList(0, 3)); // the spout delivers 40..42 in a first batch
        Outcome o1 = batch(p, delivered);
        triggerIds.addAll(o1.triggerIds());
        // the player's state is written once per batch: its three events of that batch fail together
        assertThat(o1.failed()).extracting(CrmEvent::offset).containsExactly(40L, 41L, 42L);
        other.nanos += 1_000_000_000L; // after the back-off
        Outcome o2 = batch(p, story.subList(3, 6)); // 43..45 arrive before the replays of 40..42
        assertThat(o2.failed()).extracting(CrmEvent::offset).as("later events wait for the replays")
                .containsExactly(43L, 44L, 45L);
        Outcome o3 = batch(p, story); // the spout replays 40..42, then 43..45 after them
        triggerIds.addAll(o3.triggerIds());

        assertThat(o3.failed()).isEmpty();
        assertThat(Json.readObject(flaky.data.state("bob").profileJson())).isEqualTo(cleanProfile);
        assertThat(triggerIds).isEqualTo(clean.triggerIds()).hasSize(1);
        assertThat(flaky.data.eventIds("bob")).containsExactlyElementsOf(cleanStore.data.eventIds("bob"));
    }

    private BatchProcessor<CrmEvent> processorOn(FlakyStore s) {
        CampaignGuard guard = new CampaignGuard(1, CLOCK::millis, () -> CampaignControl.NONE, (c, r) -> { });
        CrmCore core = new CrmCore(() -> SHIPPED, InvocationPolicy.UNGUARDED, guard,
                new Triggers(SchemaCatalog.fromClasspath()), CLOCK, DailyMetrics.of("lost_streak", 20));
        return new BatchProcessor<>(s, core, new BatchProcessor.Settings(100, 1000, 100, 800, 1000), CLOCK,
                () -> nanos, new BatchProcessor.Listener() {
                    @Override
                    public void storeFailed(String what, Throwable error, long backoffMillis) {
                    }

                    @Override
                    public void storeRecovered(long downMillis) {
                    }
                });
    }

    @Test
    void whileTheStoreFailsItBacksOffAndRecoversByItself() {
        BatchProcessor<CrmEvent> p = processor(100, 1000);
        store.down = true;

        Outcome o1 = batch(p, List.of(Events.login("bob", 0, 0, 0)));
        Outcome duringBackoff = batch(p, List.of(Events.login("ann", 0, 1, 0)));
        int loadsDuringBackoff = store.loads.get();
        nanos += 150_000_000L;
        Outcome o2 = batch(p, List.of(Events.login("ann", 0, 1, 0)));
        store.down = false;
        nanos += 1_000_000_000L;
        Outcome o3 = batch(p, List.of(Events.login("bob", 0, 0, 0), Events.login("ann", 0, 1, 0)));

        assertThat(o1.failed()).hasSize(1);
        assertThat(duringBackoff.failed()).hasSize(1);
        assertThat(loadsDuringBackoff).as("no store call while backing off").isEqualTo(1);
        assertThat(o2.failed()).hasSize(1);
        assertThat(o3.acked()).hasSize(2);
        assertThat(health).containsExactly("failed reading player states, backoff 100",
                "failed reading player states, backoff 200", "recovered");
    }

    @Test
    void cachedStatesSpareReadsAndAFailureDropsThem() {
        BatchProcessor<CrmEvent> p = processor(100, 1000);
        batch(p, List.of(Events.login("bob", 0, 0, 0)));
        batch(p, List.of(Events.login("bob", 1, 0, 1)));
        assertThat(store.loads.get()).isEqualTo(1);

        store.failSavesOf.add("bob");
        batch(p, List.of(Events.login("bob", 2, 0, 2)));
        store.failSavesOf.clear();
        nanos += 1_000_000_000L;
        Outcome replay = batch(p, List.of(Events.login("bob", 2, 0, 2)));

        assertThat(store.loads.get()).as("read again after the failure").isEqualTo(2);
        assertThat(replay.acked()).hasSize(1);
        assertThat(profile("bob")).containsEntry("logins", 3);
    }

    @Test
    void aSmallCacheStaysCorrect() {
        BatchProcessor<CrmEvent> p = processor(5, 2);
        List<CrmEvent> events = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int player = 0; player < 10; player++) {
                events.add(Events.login("p" + player, round, 0, round * 10L + player));
            }
        }
        for (int i = 0; i < events.size(); i += 5) {
            assertThat(batch(p, events.subList(i, i + 5)).failed()).isEmpty();
        }

        for (int player = 0; player < 10; player++) {
            assertThat(profile("p" + player)).containsEntry("logins", 4);
        }
        assertThat(p.cachedPlayers()).isLessThanOrEqualTo(2);
    }

    @Test
    void dailyMetricRowsAreWrittenOncePerPlayerValueAndDay() {
        BatchProcessor<CrmEvent> p = processor(100, 1000);
        List<CrmEvent> events = streak("bob", 0, 0, "lost", "lost", "lost", "won", "lost", "lost", "lost", "lost");
        batch(p, events);
        batch(processor(100, 1000), events); // a replay

        LocalDate day = LocalDate.of(2026, 11, 26);
        assertThat(store.data.countReached(day, "lost_streak", 3)).isEqualTo(1);
        assertThat(store.data.countReached(day, "lost_streak", 4)).isEqualTo(1);
        assertThat(store.data.countReached(day, "lost_streak", 5)).isZero();
    }

    @Test
    void aSpoutLikeReplayThroughAnOutageLosesNothing() {
        // A KafkaSpout in miniature. Each partition is emitted in offset order; a failed offset is
        // retried on its own exponential back-off (so a later failed offset can come back before an
        // earlier one), never an offset already acked; the store goes down for a while, then returns.
        BatchProcessor<CrmEvent> p = processor(20, 1000);
        java.util.Random random = new java.util.Random(3);
        List<CrmEvent> all = new ArrayList<>();
        long[] nextOffset = new long[2];
        for (int i = 0; i < 800; i++) {
            String player = "p" + random.nextInt(12);
            int partition = Math.floorMod(player.hashCode(), 2);
            all.add(Events.fight(player, i, random.nextBoolean() ? "lost" : "won", partition, nextOffset[partition]++));
        }
        Map<String, CrmEvent> byPosition = new java.util.HashMap<>();
        all.forEach(e -> byPosition.put(e.partition() + "/" + e.offset(), e));
        Map<String, Integer> fails = new java.util.HashMap<>();
        Map<String, Integer> readyAtRound = new java.util.HashMap<>();
        Set<String> acked = new HashSet<>();
        int cursor = 0;
        for (int round = 0; round < 2000 && acked.size() < all.size(); round++) {
            store.down = round >= 5 && round < 25;
            nanos += 300_000_000L;
            List<CrmEvent> deliver = new ArrayList<>();
            for (Map.Entry<String, Integer> r : new ArrayList<>(readyAtRound.entrySet())) {
                if (r.getValue() <= round) {
                    deliver.add(byPosition.get(r.getKey()));
                    readyAtRound.remove(r.getKey());
                }
            }
            for (int k = 0; k < 15 && cursor < all.size(); k++) {
                deliver.add(all.get(cursor++));
            }
            deliver.sort(java.util.Comparator.comparing(CrmEvent::partition).thenComparing(CrmEvent::offset));
            Outcome o = batch(p, deliver);
            o.acked().forEach(e -> acked.add(e.partition() + "/" + e.offset()));
            for (CrmEvent e : o.failed()) {
                String pos = e.partition() + "/" + e.offset();
                int n = fails.merge(pos, 1, Integer::sum);
                readyAtRound.put(pos, round + Math.min(8, 1 << (n - 1)));
            }
        }

        Map<String, Integer> expected = new java.util.HashMap<>();
        all.forEach(e -> expected.merge(e.playerId(), 1, Integer::sum));
        assertThat(acked).hasSize(all.size());
        expected.forEach((player, n) -> assertThat(store.data.state(player).version()).as(player).isEqualTo(n.longValue()));
        // and the same profiles as a clean run
        FlakyStore clean = new FlakyStore();
        BatchProcessorTest other = new BatchProcessorTest();
        batch(other.processorOn(clean), all);
        expected.keySet().forEach(player -> assertThat(profile(player))
                .isEqualTo(Json.readObject(clean.data.state(player).profileJson())));
    }
}
