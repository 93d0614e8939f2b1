package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DistinctCountJudgeTest {
    /** A slot as the judge builds it: the values' hashes, sorted, each once. */
    private static long[] slot(String... values) {
        long[] slot = new long[0];
        for (String v : values) {
            slot = DistinctCountJudge.withValue(slot, DistinctCountJudge.hash(v));
        }
        return slot;
    }

    @Test
    void aValueInSeveralSlotsCountsOnce() {
        List<long[]> window = List.of(slot("C1", "C586"), slot("C586", "C2"), slot("C1"));
        assertThat(DistinctCountJudge.distinct(window)).isEqualTo(3);
    }

    @Test
    void equalValuesThatAreNotTheSameStringHashAlike() {
        assertThat(DistinctCountJudge.hash(new String("C1"))).isEqualTo(DistinctCountJudge.hash("C1"));
        assertThat(DistinctCountJudge.distinct(List.of(slot(new String("C1")), slot(new String("C1"))))).isEqualTo(1);
    }

    @Test
    void oneSlotAndNoneAreCountedAsTheyAre() {
        assertThat(DistinctCountJudge.distinct(List.of(slot("a", "b", "c")))).isEqualTo(3);
        assertThat(DistinctCountJudge.distinct(List.of())).isZero();
        assertThat(DistinctCountJudge.distinct(List.of(new long[0], new long[0]))).isZero();
    }

    @Test
    void aSlotKeepsItsHashesSortedAndEachOnce() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            long[] slot = new long[0];
            Set<Long> expected = new TreeSet<>();
            for (int i = 0; i < 1 + random.nextInt(60); i++) {
                long h = DistinctCountJudge.hash("C" + random.nextInt(30));
                long[] next = DistinctCountJudge.withValue(slot, h);
                assertThat(next == slot).as("%s already in %s", h, expected).isEqualTo(expected.contains(h));
                expected.add(h);
                slot = next;
            }
            assertThat(slot).containsExactly(expected.stream().mapToLong(Long::longValue).toArray());
        }
    }

    @Test
    void windowsBeyondTheScanAreCountedByATable() {
        // 10 slots of 40 values, each slot sharing half its values with the next: 220 distinct
        List<long[]> window = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            int first = s * 20;
            window.add(slot(LongStream.range(first, first + 40).mapToObj(i -> "C" + i).toArray(String[]::new)));
        }
        assertThat(DistinctCountJudge.distinct(window)).isEqualTo(220);
        assertThat(DistinctCountJudge.distinct(window.subList(0, 2))).isEqualTo(60);
    }

    @Test
    void valuesWhoseStringHashesCollideAreStillTold() {
        // "Aa" and "BB" have one String.hashCode, and so do the four strings of two of them
        List<long[]> window = List.of(slot("Aa", "BB", "C1"), slot("BB", "AaAa", "BBBB"), slot("AaBB", "BBAa", "Aa", "C1"));
        assertThat("AaAa".hashCode()).isEqualTo("BBBB".hashCode()).isEqualTo("AaBB".hashCode());
        assertThat(DistinctCountJudge.distinct(window)).isEqualTo(7);
    }

    @Test
    void aMillionValuesOfTheUsualShapesHashApartAndNeverToZero() {
        // computers, users and short numbers: the shapes distinct counts meet, each of them distinct
        long[] hashes = LongStream.range(0, 1_000_000).flatMap(i -> LongStream.of(
                DistinctCountJudge.hash("C" + i), DistinctCountJudge.hash("U" + i + "@DOM1"),
                DistinctCountJudge.hash(Long.toString(i)))).toArray();
        assertThat(hashes).doesNotContain(0L);
        Arrays.sort(hashes);
        for (int i = 1; i < hashes.length; i++) {
            assertThat(hashes[i]).as("hash %d of %d", i, hashes.length).isNotEqualTo(hashes[i - 1]);
        }
    }

    @Test
    void theRecordedLanlExcerptCountsAsASetDoes() throws Exception {
        // the first lines of LANL's published auth.txt (samples/lanl-auth.txt): per source user,
        // a slot per second of destination computers, counted against a set of the names
        Map<String, Map<String, long[]>> slots = new TreeMap<>();
        Map<String, Set<String>> expected = new TreeMap<>();
        try (InputStream in = getClass().getResourceAsStream("/samples/lanl-auth.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(",");
                slots.computeIfAbsent(f[1], u -> new TreeMap<>())
                        .merge(f[0], slot(f[4]), (a, b) -> DistinctCountJudge.withValue(a, b[0]));
                expected.computeIfAbsent(f[1], u -> new TreeSet<>()).add(f[4]);
            }
        }
        assertThat(slots).hasSizeGreaterThan(5);
        for (Map.Entry<String, Map<String, long[]>> user : slots.entrySet()) {
            assertThat(DistinctCountJudge.distinct(new ArrayList<>(user.getValue().values()))).as(user.getKey())
                    .isEqualTo(expected.get(user.getKey()).size());
        }
    }

    @Test
    void theScanAndTheTableAgreeWithASetOnEverySize() {
        Random random = new Random(15);
        for (int round = 0; round < 2_000; round++) {
            List<long[]> window = new ArrayList<>();
            Set<String> expected = new HashSet<>();
            int slots = 1 + random.nextInt(12);
            int range = 1 + random.nextInt(40);
            for (int s = 0; s < slots; s++) {
                String[] values = random.ints(0, range).limit(random.nextInt(6)).mapToObj(v -> "C" + v)
                        .toArray(String[]::new);
                expected.addAll(Arrays.asList(values));
                window.add(slot(values));
            }
            assertThat(DistinctCountJudge.distinct(window)).as("round %d: %s", round, expected).isEqualTo(expected.size());
        }
    }
}
