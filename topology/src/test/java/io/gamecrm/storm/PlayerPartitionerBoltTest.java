package io.gamecrm.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.Names;
import io.gamecrm.testing.BoltHarness;
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
}
