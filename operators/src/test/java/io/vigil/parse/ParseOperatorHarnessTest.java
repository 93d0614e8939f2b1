package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.model.ReasonCode;
import io.vigil.testing.Samples;
import java.io.Serializable;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/** Drives the parse operator record by record: where dead letters count, lateness, restore. */
class ParseOperatorHarnessTest {
    private static final long BOUND = 30_000;
    private static final LongSupplier NOW = (LongSupplier & Serializable) () -> 1_795_000_000_000L;

    private static String lanl(long seconds, String outcome) {
        return seconds + ",U7@DOM1,U7@DOM1,C17,C586,NTLM,Network,LogOn," + outcome;
    }

    /**
     * With confirm-records 1 every valid event is taken at once (no jump is held), as these tests
     * are about dead letters and lateness; {@link FutureTimeHarnessTest} covers the held jumps.
     */
    private static OneInputStreamOperatorTestHarness<RawRecord, Envelope> harness() throws Exception {
        OneInputStreamOperatorTestHarness<RawRecord, Envelope> h =
                new OneInputStreamOperatorTestHarness<>(operator());
        h.open();
        return h;
    }

    private static ParseOperator operator() {
        return new ParseOperator(BOUND, 300_000, 1, NOW);
    }

    /** A live record that arrived at {@code arrivalMs}. */
    private static RawRecord arrived(String text, long arrivalMs) {
        return RawRecord.of("test-lanl-auth", InputFormat.LANL_AUTH, text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                arrivalMs, "test");
    }

    private static List<Envelope> out(OneInputStreamOperatorTestHarness<RawRecord, Envelope> h) {
        return h.extractOutputValues();
    }

    @Test
    void liveDeadLettersCountAtTheLatestValidTimeOrTheirArrival() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            // before any valid event: arrival time (Samples.raw stamps 1000 ms)
            h.processElement(new StreamRecord<>(Samples.raw(InputFormat.LANL_AUTH, "garbage")));
            h.processElement(new StreamRecord<>(Samples.raw(InputFormat.LANL_AUTH, lanl(100, "Fail"))));
            h.processElement(new StreamRecord<>(Samples.raw(InputFormat.LANL_AUTH, lanl(90, "Fail"))));
            h.processElement(new StreamRecord<>(Samples.raw(InputFormat.LANL_AUTH, "more garbage")));
            // a dead letter with its own usable time keeps it
            h.processElement(new StreamRecord<>(Samples.raw(InputFormat.LANL_AUTH, lanl(95, "Perhaps"))));
            List<Envelope> out = out(h);
            assertThat(out).extracting(e -> e.eventTime)
                    .containsExactly(1_000L, 100_000L, 90_000L, 100_000L, 95_000L);
            assertThat(out).extracting(Envelope::isValid).containsExactly(false, true, true, false, false);
            assertThat(out.get(4).deadLetter.reason).isEqualTo(ReasonCode.UNKNOWN_VALUE);
            assertThat(out).noneMatch(e -> e.late);
        }
    }

    @Test
    void eventsBehindTheBoundAreFlaggedLateAndKept() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            long at = 1_002_000;
            h.processElement(new StreamRecord<>(arrived(lanl(1000, "Success"), at)));
            h.processElement(new StreamRecord<>(arrived(lanl(970, "Success"), at))); // at the bound
            h.processElement(new StreamRecord<>(arrived(lanl(969, "Success"), at))); // 1 s past it
            h.processElement(new StreamRecord<>(arrived(lanl(1001, "Success"), at)));
            h.processElement(new StreamRecord<>(arrived(lanl(500, "Maybe"), at))); // invalid and late
            assertThat(out(h)).extracting(e -> e.late).containsExactly(false, false, true, false, true);
            assertThat(out(h)).hasSize(5);
        }
    }

    @Test
    void replayHoldsLeadingDeadLettersUntilTheFirstValidTime() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            h.processElement(new StreamRecord<>(Samples.replayed("a", InputFormat.LANL_AUTH, "junk 1")));
            h.processElement(new StreamRecord<>(Samples.replayed("a", InputFormat.LANL_AUTH, "junk 2")));
            assertThat(out(h)).isEmpty();
            h.processElement(new StreamRecord<>(Samples.replayed("a", InputFormat.LANL_AUTH, lanl(500, "Success"))));
            List<Envelope> out = out(h);
            assertThat(out).extracting(e -> e.eventTime).containsExactly(500_000L, 500_000L, 500_000L);
            assertThat(out).extracting(Envelope::isValid).containsExactly(false, false, true);
            // replayed dead letters report the position they count at, not a wall clock
            assertThat(out.get(0).deadLetter.receivedAt).isEqualTo(500_000L);
        }
    }

    @Test
    void aReplayedSourceWithNoValidEventCountsAtEpochZeroAtEndOfInput() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            h.processElement(new StreamRecord<>(Samples.replayed("b", InputFormat.REES46, "x,y")));
            assertThat(out(h)).isEmpty();
            h.endInput();
            assertThat(out(h)).singleElement().satisfies(e -> {
                assertThat(e.eventTime).isZero();
                assertThat(e.deadLetter.reason).isEqualTo(ReasonCode.MALFORMED_CSV);
            });
        }
    }

    @Test
    void heldDeadLettersGoOutBeforeTheFinalWatermark() throws Exception {
        // the source task sends its final watermark before the operators' endInput
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            h.processElement(new StreamRecord<>(Samples.replayed("d", InputFormat.METRICS, "{")));
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            h.endInput();
            List<Object> out = new java.util.ArrayList<>(h.getOutput());
            assertThat(out).hasSize(2);
            assertThat(out.get(0)).isInstanceOfSatisfying(StreamRecord.class,
                    r -> assertThat(((Envelope) r.getValue()).eventTime).isZero());
            assertThat(out.get(1)).isEqualTo(new Watermark(Long.MAX_VALUE));
        }
    }

    @Test
    void heldDeadLettersPastTheByteCapGoOutAtTheBestKnownTimeNoneDropped() throws Exception {
        String junk = "j".repeat(256 * 1024); // no comma: no time to read
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            h.processElement(new StreamRecord<>(Samples.replayed("a", InputFormat.LANL_AUTH, lanl(500, "Success"))));
            int fed = 0;
            while (out(h).size() == 1 && fed < 1000) {
                h.processElement(new StreamRecord<>(Samples.replayed("b", InputFormat.LANL_AUTH, junk + fed)));
                fed++;
            }
            List<Envelope> released = out(h).subList(1, out(h).size());
            long heldChars = released.stream().mapToLong(e -> e.deadLetter.payload.length()).sum();
            // released once the held ones' heap size (2 bytes a char) passed 64 MiB, not before
            assertThat(2 * heldChars).isGreaterThan(ParseOperator.MAX_PENDING_BYTES);
            assertThat(2 * (heldChars - released.get(0).deadLetter.payload.length())).isLessThanOrEqualTo(ParseOperator.MAX_PENDING_BYTES);
            assertThat(released).as("every held one, in order, none dropped").hasSize(fed)
                    .extracting(e -> e.deadLetter.payload.substring(junk.length()))
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, fed).mapToObj(String::valueOf)
                            .collect(Collectors.toList()));
            assertThat(released).allSatisfy(e -> assertThat(e.eventTime).as("source a's time").isEqualTo(500_000L));
            // the next one is held again, and goes out at end of input
            h.processElement(new StreamRecord<>(Samples.replayed("b", InputFormat.LANL_AUTH, "more junk")));
            assertThat(out(h)).hasSize(1 + fed);
            h.endInput();
            assertThat(out(h)).hasSize(2 + fed);
        }
    }

    @Test
    void headerLinesAreNotRecords() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            h.processElement(new StreamRecord<>(Samples.replayed("c", InputFormat.REES46, Rees46Parser.HEADER)));
            h.endInput();
            assertThat(out(h)).isEmpty();
        }
    }

    @Test
    void progressAndHeldDeadLettersSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            h.processElement(new StreamRecord<>(Samples.replayed("a", InputFormat.LANL_AUTH, lanl(2000, "Success"))));
            h.processElement(new StreamRecord<>(Samples.replayed("z", InputFormat.LANL_AUTH, "held")));
            snapshot = h.snapshot(1L, 1L);
        }
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h =
                new OneInputStreamOperatorTestHarness<>(operator())) {
            h.initializeState(snapshot);
            h.open();
            // source "a" remembers its progress: a time-less dead letter counts at 2000 s, an old event is late
            h.processElement(new StreamRecord<>(Samples.replayed("a", InputFormat.LANL_AUTH, "junk")));
            h.processElement(new StreamRecord<>(Samples.replayed("a", InputFormat.LANL_AUTH, lanl(10, "Fail"))));
            h.processElement(new StreamRecord<>(Samples.replayed("z", InputFormat.LANL_AUTH, lanl(7, "Fail"))));
            List<String> seen = out(h).stream()
                    .map(e -> e.source + "@" + e.eventTime + (e.isValid() ? "" : "!") + (e.late ? "L" : ""))
                    .collect(Collectors.toList());
            assertThat(seen).containsExactly("a@2000000!", "a@10000L", "z@7000!", "z@7000");
        }
    }

    /**
     * Envelopes in both of the operator's lists: a dead letter held while its source has no valid
     * event yet, and an event held ahead of its source's clock (confirm-records 3).
     */
    private static OperatorSubtaskState stateWithHeldEnvelopes() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h =
                new OneInputStreamOperatorTestHarness<>(new ParseOperator(BOUND, 300_000, 3, NOW))) {
            h.open();
            for (int i = 0; i < 3; i++) {
                h.processElement(new StreamRecord<>(Samples.replayed("a", InputFormat.LANL_AUTH, lanl(2000 + i, "Success"))));
            }
            h.processElement(new StreamRecord<>(Samples.replayed("z", InputFormat.REES46, "held,junk")));
            h.processElement(new StreamRecord<>(Samples.replayed("a", InputFormat.LANL_AUTH, lanl(9000, "Fail"))));
            return h.snapshot(1L, 1L);
        }
    }

    /** What the operator emits after restoring {@code state}: the held ones refused or released. */
    private static List<String> afterRestore(OperatorSubtaskState state) throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h =
                new OneInputStreamOperatorTestHarness<>(new ParseOperator(BOUND, 300_000, 3, NOW))) {
            h.initializeState(state);
            h.open();
            for (int i = 3; i < 6; i++) { // three records at the old clock: the jump to 9000 s did not happen
                h.processElement(new StreamRecord<>(Samples.replayed("a", InputFormat.LANL_AUTH, lanl(2000 + i, "Success"))));
            }
            h.processElement(new StreamRecord<>(Samples.replayed("z", InputFormat.LANL_AUTH, lanl(7, "Fail"))));
            h.endInput();
            return out(h).stream().map(e -> e.source + "@" + e.eventTime + " " + e.family
                    + (e.isValid() ? "" : " " + e.deadLetter.reason + " " + e.deadLetter.payload))
                    .collect(Collectors.toList());
        }
    }

    @Test
    void heldEnvelopesWrittenByThePreviousPojoSerializerRestore() throws Exception {
        OperatorSubtaskState previous = OperatorSnapshotUtil.readStateHandle(
                Paths.get(getClass().getResource("/state/parse-held-envelopes-pojo.snapshot").toURI()).toString());
        List<String> seen = afterRestore(previous);
        assertThat(seen).isEqualTo(afterRestore(stateWithHeldEnvelopes()));
        assertThat(seen).contains("a@2005000 AUTH FUTURE_TIME " + lanl(9000, "Fail"),
                "z@7000 COMMERCE MALFORMED_CSV held,junk", "z@7000 AUTH");
    }
}
