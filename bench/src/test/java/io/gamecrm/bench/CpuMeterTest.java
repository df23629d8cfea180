package io.gamecrm.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuMeterTest {
    @Test
    void readsTotalAndIdleJiffiesFromTheCpuLine() {
        long[] t = CpuMeter.parseProcStat("cpu  100 5 50 800 20 1 2 3 0 0");
        assertThat(t[0]).isEqualTo(100 + 5 + 50 + 800 + 20 + 1 + 2 + 3);
        assertThat(t[1]).isEqualTo(820);
    }

    @Test
    void rejectsAnotherLine() {
        assertThatThrownBy(() -> CpuMeter.parseProcStat("cpu0 1 2 3 4 5 6 7 8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void measuresThisProcessBusy() {
        CpuMeter meter = new CpuMeter(java.util.Map.of("me", ProcessHandle.current().pid()));
        meter.start();
        long end = System.nanoTime() + 300_000_000L;
        long x = 0;
        while (System.nanoTime() < end) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        var cores = meter.stop();
        assertThat(x).isNotNegative();
        assertThat(cores.get("me")).isGreaterThan(0.05);
    }
}
