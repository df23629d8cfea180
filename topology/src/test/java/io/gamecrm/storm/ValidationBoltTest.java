package io.gamecrm.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamecrm.Names;
import io.gamecrm.json.Json;
import io.gamecrm.testing.BoltHarness;
import io.gamecrm.testing.Events;
import io.gamecrm.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.storm.tuple.Tuple;
import org.junit.jupiter.api.Test;

/** Every raw record has exactly one outcome, anchored to it, and the input is acked. */
class ValidationBoltTest {
    private final BoltHarness harness = new BoltHarness(Names.Components.VALIDATE, 1);
    private final ValidationBolt bolt = harness.prepare(new ValidationBolt(4096));

    private static Tuple record(String key, byte[] value) {
        return BoltHarness.tuple(Names.Components.RAW_SPOUT, "default", RawRecordTranslator.FIELDS.toList(),
                "raw", 1, 17L, key, value, 1_764_000_000_000L);
    }

    @Test
    void aValidEventGoesOnTheEventsStreamWithItsIdsAndPosition() {
        String json = Events.fightJson(Events.id("bob", 1), "bob", "lost", Instant.parse("2026-11-26T10:00:00Z"));
        Tuple input = record("bob", json.getBytes(StandardCharsets.UTF_8));

        bolt.execute(input);

        assertThat(harness.emits).singleElement().satisfies(e -> {
            assertThat(e.stream()).isEqualTo(Names.Streams.EVENTS);
            assertThat(e.anchors()).containsExactly(input);
            assertThat(e.values().subList(0, 7)).containsExactly(Events.id("bob", 1), "fight", "bob",
                    Instant.parse("2026-11-26T10:00:00Z").toEpochMilli(), json, 1, 17L);
        });
        assertThat(harness.acked).containsExactly(input);
    }

    @Test
    void anInvalidEventGoesToTheDeadLetterStreamKeyedByItsPlayerAndIsAcked() {
        String json = Events.fightJson(Events.id("bob", 1), "bob", "won-ish", Instant.EPOCH);
        Tuple input = record("some-key", json.getBytes(StandardCharsets.UTF_8));

        bolt.execute(input);

        assertThat(harness.emitsOn(Names.Streams.EVENTS)).isEmpty();
        assertThat(harness.emitsOn(Names.Streams.DEAD_LETTER)).singleElement().satisfies(e -> {
            assertThat(e.anchors()).containsExactly(input);
            assertThat(e.values().get(0)).isEqualTo("bob");
            Map<String, Object> dl = Json.readObject((String) e.values().get(1));
            assertThat(dl.get("reason")).isEqualTo("SCHEMA_VIOLATION");
            assertThat(dl.get("component")).isEqualTo(Names.Components.VALIDATE);
        });
        assertThat(harness.acked).containsExactly(input);
        assertThat(harness.failed).isEmpty();
    }

    @Test
    void aRecordThatIsNotJsonKeepsTheRecordKey() {
        Tuple input = record("k1", "hello".getBytes(StandardCharsets.UTF_8));

        bolt.execute(input);

        assertThat(harness.emitsOn(Names.Streams.DEAD_LETTER)).singleElement()
                .satisfies(e -> assertThat(e.values().get(0)).isEqualTo("k1"));
    }

    @Test
    void aTombstoneIsAnEmptyRecordNotACrash() {
        Tuple input = record("k1", null);

        bolt.execute(input);

        assertThat(harness.emitsOn(Names.Streams.DEAD_LETTER)).singleElement()
                .satisfies(e -> assertThat((String) e.values().get(1)).contains("EMPTY_RECORD"));
        assertThat(harness.acked).containsExactly(input);
    }

    @Test
    void itTimesTheWayFromTheRecordTimestampAndItsOwnWorkFromItsClock() {
        // the record was stamped at 1_764_000_000_000; the bolt reads its clock 7 ms later, then every reading is 2 ms on
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_764_000_000_007L)).stepping(Duration.ofMillis(2));
        BoltHarness h = new BoltHarness(Names.Components.VALIDATE, 1);
        ValidationBolt timed = h.prepare(new ValidationBolt(4096) {
            @Override
            protected Clock clock() {
                return clock;
            }
        });
        String json = Events.fightJson(Events.id("bob", 1), "bob", "lost", Instant.parse("2026-11-26T10:00:00Z"));

        timed.execute(record("bob", json.getBytes(StandardCharsets.UTF_8)));

        // readings: start (…007), ingested_at (…009), end (…011)
        assertThat(h.emits).singleElement().satisfies(e -> assertThat(e.values().get(7)).isEqualTo(1_764_000_000_009L));
        assertThat(h.timers.get(Names.StageMetrics.TO_VALIDATE).getSnapshot().getValues())
                .containsExactly(TimeUnit.MILLISECONDS.toNanos(7));
        assertThat(h.timers.get(Names.StageMetrics.VALIDATE).getSnapshot().getValues())
                .containsExactly(TimeUnit.MILLISECONDS.toNanos(4));
    }
}
