package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MinuteRatioTest {
    private static final long M = 60_000L;

    @Test
    void readsTheShareOfTheLastFullMinuteAndZeroAfterAnIdleOne() {
        MinuteRatio r = new MinuteRatio();
        long t0 = 100 * M;
        assertThat(r.valueAt(t0)).isZero();
        for (int i = 0; i < 100; i++) {
            r.record(i < 7, t0 + i * 100);
        }
        assertThat(r.getValue()).as("the minute is not over").isZero();
        assertThat(r.valueAt(t0 + M)).isEqualTo(0.07);
        r.record(true, t0 + M + 5);
        r.record(false, t0 + M + 6);
        assertThat(r.valueAt(t0 + 2 * M + 1)).isEqualTo(0.5);
        assertThat(r.valueAt(t0 + 4 * M)).as("an idle minute in between").isZero();
        // a burst is not diluted by what came before
        for (int i = 0; i < 10; i++) {
            r.record(true, t0 + 4 * M + i);
        }
        assertThat(r.valueAt(t0 + 5 * M)).isEqualTo(1.0);
    }
}
