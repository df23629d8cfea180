package io.gamecrm.storm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import com.codahale.metrics.ExponentiallyDecayingReservoir;
import com.codahale.metrics.Histogram;
import io.gamecrm.Names;
import io.gamecrm.RepoPaths;
import io.gamecrm.campaign.CampaignControl;
import io.gamecrm.crm.CrmEvent;
import io.gamecrm.crm.CrmSettings;
import io.gamecrm.crm.HandlerSource;
import io.gamecrm.crm.InMemoryProfileStore;
import io.gamecrm.crm.ProfileStore;
import io.gamecrm.handlers.HandlerDirectory;
import io.gamecrm.handlers.HandlerSet;
import io.gamecrm.handlers.HandlerSettings;
import io.gamecrm.json.Json;
import io.gamecrm.maintenance.MaintenanceLog;
import io.gamecrm.maintenance.MaintenanceSettings;
import io.gamecrm.maintenance.SharedProducers;
import io.gamecrm.profile.CassandraSettings;
import io.gamecrm.testing.BoltHarness;
import io.gamecrm.testing.ManualClock;
import io.gamecrm.testing.Events;
import io.gamecrm.trigger.Triggers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.tuple.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CRM bolt as an adapter, without a cluster (BoltHarness, in-memory store, a fake handler
 * feed, a fake trigger topic):
 * <ul>
 *   <li>a lone event is processed without waiting for another event or a tick</li>
 *   <li>Bob's third lost fight emits the offer anchored to its input</li>
 *   <li>without a handler set an input is failed, counted as not ready, and its replay is applied
 *       once a set arrives: nothing is lost</li>
 *   <li>a replay re-emits only the triggers that never reached the trigger topic, with the same
 *       trigger id, anchored to the replay, and changes nothing</li>
 *   <li>a store failure fails the batch: nothing is acked or emitted, the inputs are counted as failed</li>
 *   <li>cleanup processes and writes what was handed over</li>
 * </ul>
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CrmBoltTest {
    private static final HandlerSet SHIPPED = HandlerSet.compile(HandlerDirectory.read(RepoPaths.handlers())).set();

    private BoltHarness harness;
    private CrmBolt bolt;

    /** A handler feed with one set (or none, until {@link #publish}). */
    static final class FixedSource implements HandlerSource {
        private HandlerSource.Loaded loaded;

        FixedSource(HandlerSet set) {
            this.loaded = set == null ? null
                    : new HandlerSource.Loaded(set, 1, List.of(), 0);
        }

        /** A set arrives on the handlers topic. */
        synchronized void publish(HandlerSet set) {
            loaded = new HandlerSource.Loaded(set, 2, List.of(), 0);
        }

        @Override
        public boolean awaitFirst(Duration timeout) {
            return loaded != null;
        }

        @Override
        public synchronized HandlerSource.Loaded takeLoaded() {
            HandlerSource.Loaded l = loaded;
            loaded = null;
            return l;
        }

        @Override
        public CampaignControl control() {
            return CampaignControl.NONE;
        }

        @Override
        public String lastError() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    private FixedSource feed;
    /** The trigger ids on the (fake) trigger topic, which the ledger reads back for replays. */
    private final Set<String> onTriggerTopic = ConcurrentHashMap.newKeySet();

    /** The clocks of the stage timers: the system's unless a test sets its own. */
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private java.util.function.LongSupplier nanoTime = System::nanoTime;

    private CrmBolt start(HandlerSet set, ProfileStore store) {
        feed = new FixedSource(set);
        Properties kafka = new Properties();
        kafka.setProperty("bootstrap.servers", "localhost:1");
        HandlerSettings hs = new HandlerSettings(RepoPaths.handlers().toString(), "crm-handlers", kafka);
        CrmBolt b = new CrmBolt(new CassandraSettings("127.0.0.1:9042", "dc1", "crm_test"),
                new MaintenanceSettings(kafka, "crm-maintenance"), hs, new CrmSettings(50, 1000, 1000, 1000,
                "lost_streak", 20, "crm-trigger")) {
            @Override
            protected MaintenanceLog openMaintenanceLog(TopologyContext context) {
                return MaintenanceLog.loggingOnly("crm");
            }

            @Override
            protected HandlerSource openFeed(String name) {
                return feed;
            }

            @Override
            protected UnaryOperator<List<Triggers.Trigger>> openLedger(String topic) {
                return triggers -> triggers.stream().filter(t -> !onTriggerTopic.contains(t.id())).toList();
            }

            @Override
            protected SharedProducers.Lease openSideProducer() {
                return null;
            }

            @Override
            protected ProfileStore openStore() {
                return store;
            }

            @Override
            protected java.time.Clock clock() {
                return clock;
            }

            @Override
            protected java.util.function.LongSupplier nanoTime() {
                return nanoTime;
            }
        };
        harness = new BoltHarness("crm", 7);
        when(harness.context.getComponentTasks("crm")).thenReturn(List.of(7));
        when(harness.context.registerHistogram(anyString()))
                .thenAnswer(i -> new Histogram(new ExponentiallyDecayingReservoir()));
        bolt = harness.prepare(b);
        return bolt;
    }

    @AfterEach
    void stop() {
        if (bolt != null) {
            bolt.cleanup();
        }
    }

    static Tuple tuple(CrmEvent e) {
        return BoltHarness.tuple("partition-by-player", "default", EventTuples.FIELDS.toList(), e.eventId(),
                e.eventType(), e.playerId(), e.eventTime().toEpochMilli(), e.json(), e.partition(), e.offset(),
                e.ingestedAtMs());
    }

    /** Waits for what the committer thread does; the class timeout fails a run in which it never happens. */
    private static void await(BooleanSupplier done) throws InterruptedException {
        while (!done.getAsBoolean()) {
            Thread.sleep(2);
        }
    }

    @Test
    void aLoneEventIsProcessedWithoutWaitingForAnotherEventOrATick() throws Exception {
        InMemoryProfileStore store = new InMemoryProfileStore();
        start(SHIPPED, store);
        Tuple t = tuple(Events.login("alice", 1, 0, 0));
        bolt.execute(t);
        await(() -> harness.acked.size() == 1);
        assertThat(harness.acked).containsExactly(t);
        assertThat(store.state("alice")).isNotNull();
        assertThat(harness.failed).isEmpty();
    }

    @Test
    void bobsThirdLostFightEmitsTheOfferAnchoredToItsInput() throws Exception {
        start(SHIPPED, new InMemoryProfileStore());
        List<Tuple> inputs = List.of(tuple(Events.fight("bob", 1, "lost", 0, 0)),
                tuple(Events.fight("bob", 2, "lost", 0, 1)), tuple(Events.fight("bob", 3, "lost", 0, 2)));
        inputs.forEach(bolt::execute);
        await(() -> harness.acked.size() == 3);
        assertThat(harness.acked).containsExactlyElementsOf(inputs);
        List<BoltHarness.Emit> offers = harness.emitsOn(Names.Streams.TRIGGERS);
        assertThat(offers).hasSize(1);
        assertThat(offers.get(0).anchors()).containsExactly(inputs.get(2));
        assertThat(offers.get(0).values().get(0)).isEqualTo("bob");
        assertThat(Json.readObject((String) offers.get(0).values().get(1))).containsEntry("campaign", "battle-tanks-offer");
    }

    @Test
    void withoutAHandlerSetAnInputIsFailedAsNotReadyAndItsReplayIsAppliedOnceASetArrives() throws Exception {
        InMemoryProfileStore store = new InMemoryProfileStore();
        start(null, store);
        Tuple t = tuple(Events.login("alice", 1, 0, 0));
        bolt.execute(t);
        await(() -> harness.failed.size() == 1);
        assertThat(harness.failed).containsExactly(t);
        assertThat(harness.acked).isEmpty();
        assertThat(harness.counters.get("crm.events.not-ready").getCount()).isEqualTo(1);
        assertThat(store.state("alice").isNew()).isTrue();

        feed.publish(SHIPPED);
        Tuple replay = tuple(Events.login("alice", 1, 0, 0));
        bolt.execute(replay);
        await(() -> harness.acked.size() == 1);
        assertThat(harness.acked).containsExactly(replay);
        assertThat(Json.readObject(store.state("alice").profileJson())).containsEntry("logins", 1);
    }

    @Test
    void aReplayReEmitsOnlyTheTriggersThatNeverReachedTheTriggerTopicAnchoredToIt() throws Exception {
        InMemoryProfileStore store = new InMemoryProfileStore();
        start(SHIPPED, store);
        for (int i = 1; i <= 3; i++) {
            bolt.execute(tuple(Events.fight("bob", i, "lost", 0, i - 1)));
        }
        await(() -> harness.acked.size() == 3);
        String first = (String) harness.emitsOn(Names.Streams.TRIGGERS).get(0).values().get(1);
        Object triggerId = Json.readObject(first).get("trigger_id");
        String profile = store.state("bob").profileJson();

        // the trigger never reached the topic (the sink failed): the replay sends it again, same id
        Tuple replay = tuple(Events.fight("bob", 3, "lost", 0, 2));
        bolt.execute(replay);
        await(() -> harness.acked.size() == 4);
        List<BoltHarness.Emit> offers = harness.emitsOn(Names.Streams.TRIGGERS);
        assertThat(offers).hasSize(2);
        assertThat(offers.get(1).anchors()).containsExactly(replay);
        assertThat(Json.readObject((String) offers.get(1).values().get(1)).get("trigger_id")).isEqualTo(triggerId);

        // now it is on the topic: a further replay is acked and sends nothing
        onTriggerTopic.add((String) triggerId);
        Tuple again = tuple(Events.fight("bob", 3, "lost", 0, 2));
        bolt.execute(again);
        await(() -> harness.acked.size() == 5);
        assertThat(harness.acked).endsWith(again);
        assertThat(harness.emitsOn(Names.Streams.TRIGGERS)).hasSize(2);
        assertThat(harness.counters.get("crm.triggers.resent").getCount()).isEqualTo(1);
        assertThat(store.state("bob").profileJson()).isEqualTo(profile);
    }

    @Test
    void aStoreFailureFailsTheBatchAndNothingIsAcked() throws Exception {
        InMemoryProfileStore store = new InMemoryProfileStore() {
            @Override
            public synchronized Map<String, CompletableFuture<Void>> writeRows(Map<String, PlayerRows> rows) {
                Map<String, CompletableFuture<Void>> out = new java.util.HashMap<>();
                rows.keySet().forEach(p -> out.put(p, CompletableFuture.failedFuture(new RuntimeException("Cassandra is down"))));
                return out;
            }
        };
        start(SHIPPED, store);
        List<Tuple> inputs = List.of(tuple(Events.login("alice", 1, 0, 0)), tuple(Events.fight("bob", 1, "lost", 1, 0)),
                tuple(Events.login("carol", 1, 2, 0)));
        inputs.forEach(bolt::execute);
        await(() -> harness.failed.size() == 3);
        assertThat(harness.failed).containsExactlyInAnyOrderElementsOf(inputs);
        assertThat(harness.acked).isEmpty();
        assertThat(harness.emits).isEmpty();
        assertThat(store.state("alice").isNew()).isTrue();
        assertThat(harness.counters.get("crm.events.failed").getCount()
                + harness.counters.get("crm.events.rejected").getCount()).isEqualTo(3);
    }

    @Test
    void cleanupProcessesWhatWasHandedOver() {
        InMemoryProfileStore store = new InMemoryProfileStore();
        start(SHIPPED, store);
        for (int i = 1; i <= 20; i++) {
            bolt.execute(tuple(Events.login("p" + i, i, 0, i)));
        }
        bolt.cleanup();
        bolt = null;
        assertThat(harness.acked).hasSize(20);
        assertThat(store.state("p20")).isNotNull();
    }

    @Test
    void itTimesTheHopToTheTaskAndEachBatchsEmitsOnItsClocks() throws Exception {
        CrmEvent bob1 = Events.fight("bob", 1, "lost", 0, 0);
        clock = new ManualClock(java.time.Instant.ofEpochMilli(bob1.ingestedAtMs() + 9)); // 9 ms after validation
        nanoTime = () -> 1_000L * harness.emits.size(); // the task's clock: each emit takes 1 µs, nothing else takes time
        start(SHIPPED, new InMemoryProfileStore());
        List<CrmEvent> fights = List.of(bob1, Events.fight("bob", 2, "lost", 0, 1), Events.fight("bob", 3, "lost", 0, 2));
        for (int i = 0; i < fights.size(); i++) { // one batch each: the third emits bob's offer
            bolt.execute(tuple(fights.get(i)));
            int acked = i + 1;
            await(() -> harness.acked.size() == acked);
        }

        assertThat(harness.emitsOn(Names.Streams.TRIGGERS)).hasSize(1);
        long nineMs = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(9);
        assertThat(fights).allSatisfy(e -> assertThat(e.ingestedAtMs()).isEqualTo(bob1.ingestedAtMs()));
        assertThat(harness.timers.get(Names.StageMetrics.TO_CRM).getSnapshot().getValues())
                .containsExactly(nineMs, nineMs, nineMs);
        assertThat(harness.timers.get(Names.StageMetrics.EMIT).getSnapshot().getValues()).containsExactly(0, 0, 1_000);
        assertThat(harness.timers.get(Names.StageMetrics.WAIT).getSnapshot().getValues()).containsExactly(0, 0, 0);
    }
}
