package io.gamecrm.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeUuidsTest {
    @Test
    void sameEventGivesSameTimeUuidOfVersionOneCarryingTheTime() {
        UUID a = TimeUuids.of(1_764_000_000_123L, "e1");

        assertThat(TimeUuids.of(1_764_000_000_123L, "e1")).isEqualTo(a);
        assertThat(a.version()).isEqualTo(1);
        assertThat(a.variant()).isEqualTo(2);
        // UUID timestamps count 100 ns since 1582-10-15
        assertThat((a.timestamp() - 0x01B21DD213814000L) / 10_000).isEqualTo(1_764_000_000_123L);
    }

    @Test
    void otherEventsInTheSameMillisecondGetOtherIds() {
        assertThat(TimeUuids.of(5, "e1")).isNotEqualTo(TimeUuids.of(5, "e2"));
    }

    @Test
    void laterEventsSortLater() {
        assertThat(TimeUuids.of(2_000, "a").timestamp()).isGreaterThan(TimeUuids.of(1_000, "b").timestamp());
    }
}
