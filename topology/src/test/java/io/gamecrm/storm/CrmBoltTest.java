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
import io.gamecrm.testing.Events;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.tuple.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CRM bolt as an adapter, without a cluster (BoltHarness, in-memory store, a fixed handler
 * set): a lone event is processed without waiting for another event or a tick; Bob's third lost
 * fight emits the offer anchored to its input; without a handler set inputs are failed; a replay
 * re-emits the same trigger id and changes nothing; a store failure fails the batch; cleanup
 * processes what was handed over.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CrmBoltTest {
    private static final HandlerSet SHIPPED = HandlerSet.compile(HandlerDirectory.read(RepoPaths.handlers())).set();

    private BoltHarness harness;
    private CrmBolt bolt;

    /** A handler source with one set (or none). */
    static final class FixedSource implements HandlerSource {
        private HandlerSource.Loaded loaded;

        FixedSource(HandlerSet set) {
            this.loaded = set == null ? null
                    : new HandlerSource.Loaded(set, 1, List.of(), 0);
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

    private CrmBolt start(HandlerSet set, ProfileStore store) {
        Properties kafka = new Properties();
        kafka.setProperty("bootstrap.servers", "localhost:1");
        HandlerSettings hs = new HandlerSettings(RepoPaths.handlers().toString(), "crm-handlers", kafka);
        CrmBolt b = new CrmBolt(new CassandraSettings("127.0.0.1:9042", "dc1", "crm_test"),
                new MaintenanceSettings(kafka, "crm-maintenance"), hs) {
            @Override
            protected MaintenanceLog openMaintenanceLog(TopologyContext context) {
                return MaintenanceLog.loggingOnly("crm");
            }

            @Override
            protected HandlerSource openFeed(String name) {
                return new FixedSource(set);
            }

            @Override
            protected SharedProducers.Lease openSideProducer() {
                return null;
            }

            @Override
            protected ProfileStore openStore() {
                return store;
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
    void withoutAHandlerSetAnInputIsFailedForReplay() throws Exception {
        start(null, new InMemoryProfileStore());
        Tuple t = tuple(Events.login("alice", 1, 0, 0));
        bolt.execute(t);
        await(() -> harness.failed.size() == 1);
        assertThat(harness.acked).isEmpty();
    }

    @Test
    void aReplayReEmitsTheSameTriggerIdAndChangesNothing() throws Exception {
        InMemoryProfileStore store = new InMemoryProfileStore();
        start(SHIPPED, store);
        for (int i = 1; i <= 3; i++) {
            bolt.execute(tuple(Events.fight("bob", i, "lost", 0, i - 1)));
        }
        await(() -> harness.acked.size() == 3);
        String first = (String) harness.emitsOn(Names.Streams.TRIGGERS).get(0).values().get(1);
        String profile = store.state("bob").profileJson();
        Tuple replay = tuple(Events.fight("bob", 3, "lost", 0, 2));
        bolt.execute(replay);
        await(() -> harness.acked.size() == 4);
        List<BoltHarness.Emit> offers = harness.emitsOn(Names.Streams.TRIGGERS);
        assertThat(offers).hasSize(2);
        assertThat(offers.get(1).anchors()).containsExactly(replay);
        assertThat(Json.readObject((String) offers.get(1).values().get(1)).get("trigger_id"))
                .isEqualTo(Json.readObject(first).get("trigger_id"));
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
        Tuple t = tuple(Events.login("alice", 1, 0, 0));
        bolt.execute(t);
        await(() -> harness.failed.size() == 1);
        assertThat(harness.failed).containsExactly(t);
        assertThat(harness.acked).isEmpty();
        assertThat(harness.emits).isEmpty();
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
}
