package io.gamecrm.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.Names;
import io.gamecrm.testing.BoltHarness;
import io.gamecrm.testing.ManualClock;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.TupleUtils;
import org.junit.jupiter.api.Test;

class PlayerPartitionerBoltTest {
    private final BoltHarness harness = new BoltHarness(Names.Components.PARTITION, 1);
    private final PlayerPartitionerBolt bolt = harness.prepare(new PlayerPartitionerBolt());

    private static Tuple event(String player, long offset) {
        return BoltHarness.tuple(Names.Components.VALIDATE, Names.Streams.EVENTS, EventTuples.FIELDS.toList(),
                "e-" + offset, "fight", player, 1L, "{}", 0, offset, 2L);
    }

    @Test
    void reEmitsTheEventOnTheByPlayerStreamAnchoredAndAcks() {
        Tuple input = event("bob", 5);

        bolt.execute(input);

        assertThat(harness.emits).singleElement().satisfies(e -> {
            assertThat(e.stream()).isEqualTo(Names.Streams.BY_PLAYER);
            assertThat(e.anchors()).containsExactly(input);
            assertThat(e.values()).isEqualTo(input.getValues());
        });
        assertThat(harness.acked).containsExactly(input);
    }

    @Test
    void theFieldsGroupingOnPlayerIdSendsAPlayersEventsToOneTask() {
        int tasks = 4;
        // Storm's fields grouping picks the task from the grouping fields' values only
        int bob = TupleUtils.chooseTaskIndex(List.of("bob"), tasks);
        for (int i = 0; i < 100; i++) {
            List<Object> groupingValues = event("bob", i).select(new Fields(Names.Fields.PLAYER_ID));
            assertThat(TupleUtils.chooseTaskIndex(groupingValues, tasks)).isEqualTo(bob);
        }
        long distinct = java.util.stream.IntStream.range(0, 200)
                .map(i -> TupleUtils.chooseTaskIndex(List.of("player-" + i), tasks)).distinct().count();
        assertThat(distinct).isEqualTo(tasks);
    }

    @Test
    void itTimesTheHopFromValidationByItsClock() {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(2L + 13));
        BoltHarness h = new BoltHarness(Names.Components.PARTITION, 1);
        PlayerPartitionerBolt timed = h.prepare(new PlayerPartitionerBolt() {
            @Override
            protected Clock clock() {
                return clock;
            }
        });

        timed.execute(event("bob", 5)); // ingested_at 2: 13 ms ago
        clock.advance(java.time.Duration.ofMillis(4));
        timed.execute(event("bob", 6)); // 17 ms ago

        assertThat(h.timers.get(Names.StageMetrics.PARTITION).getSnapshot().getValues())
                .containsExactly(TimeUnit.MILLISECONDS.toNanos(13), TimeUnit.MILLISECONDS.toNanos(17));
    }
}
