package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistinctCountJudgeTest {
    @Test
    void aValueInSeveralSlotsCountsOnce() {
        List<String[]> window = List.of(new String[] {"C1", "C586"}, new String[] {"C586", "C2"}, new String[] {"C1"});
        assertThat(DistinctCountJudge.distinct(window)).isEqualTo(3);
    }

    @Test
    void equalValuesThatAreNotTheSameStringCountOnce() {
        List<String[]> window = List.of(new String[] {new String("C1")}, new String[] {new String("C1")});
        assertThat(DistinctCountJudge.distinct(window)).isEqualTo(1);
    }

    @Test
    void oneSlotAndNoneAreCountedAsTheyAre() {
        assertThat(DistinctCountJudge.distinct(List.<String[]>of(new String[] {"a", "b", "c"}))).isEqualTo(3);
        assertThat(DistinctCountJudge.distinct(List.of())).isZero();
        assertThat(DistinctCountJudge.distinct(List.of(new String[0], new String[0]))).isZero();
    }

    @Test
    void windowsBeyondTheScanAreCountedByASet() {
        // 10 slots of 40 values, each slot sharing half its values with the next: 220 distinct
        List<String[]> window = new ArrayList<>();
        for (int slot = 0; slot < 10; slot++) {
            String[] values = new String[40];
            for (int i = 0; i < 40; i++) {
                values[i] = "C" + (slot * 20 + i);
            }
            window.add(values);
        }
        assertThat(DistinctCountJudge.distinct(window)).isEqualTo(220);
        assertThat(DistinctCountJudge.distinct(window.subList(0, 2))).isEqualTo(60);
    }
}
