package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
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
    void aSlotKeepsItsValuesSortedAndEachOnce() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            String[] slot = new String[0];
            Set<String> expected = new java.util.TreeSet<>();
            for (int i = 0; i < 1 + random.nextInt(60); i++) {
                String v = "C" + random.nextInt(30);
                String[] next = DistinctCountJudge.withValue(slot, v);
                assertThat(next == slot).as("%s already in %s", v, expected).isEqualTo(expected.contains(v));
                expected.add(v);
                slot = next;
            }
            assertThat(slot).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aRepeatInOneSlotCountsOnce() {
        // a slot written before slots were kept sorted may hold a repeat
        assertThat(DistinctCountJudge.distinct(List.<String[]>of(new String[] {"C2", "C1", "C2"}))).isEqualTo(2);
    }

    @Test
    void windowsBeyondTheScanAreCountedByTheirHashes() {
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

    @Test
    void valuesWhoseHashesCollideAreStillTold() {
        // "Aa" and "BB" hash alike, and so do the four strings of two of them: ten values, past the scan
        List<String[]> window = List.of(new String[] {"Aa", "BB", "C1"}, new String[] {"BB", "AaAa", "BBBB"},
                new String[] {"AaBB", "BBAa", "Aa", "C1"});
        assertThat("AaAa".hashCode()).isEqualTo("BBBB".hashCode()).isEqualTo("AaBB".hashCode());
        assertThat(DistinctCountJudge.distinct(window)).isEqualTo(7);
    }

    @Test
    void theScanAndTheHashesAgreeWithASetOnEverySize() {
        Random random = new Random(15);
        for (int round = 0; round < 2_000; round++) {
            List<String[]> window = new ArrayList<>();
            int slots = 1 + random.nextInt(12);
            int range = 1 + random.nextInt(40);
            for (int s = 0; s < slots; s++) {
                // each slot's values are distinct, as the judge keeps them
                String[] values = random.ints(0, range).distinct().limit(Math.min(range, random.nextInt(6)))
                        .mapToObj(v -> "C" + v).toArray(String[]::new);
                window.add(values);
            }
            Set<String> expected = new HashSet<>();
            window.forEach(values -> expected.addAll(Arrays.asList(values)));
            assertThat(DistinctCountJudge.distinct(window)).as("round %d: %s", round, expected).isEqualTo(expected.size());
        }
    }
}
