package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.model.ReasonCode;
import io.vigil.rules.ClockOperator;
import io.vigil.rules.Control;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Event times that run ahead, through the parse operator: in replay one record cannot move its
 * source's clock (it is held, then refused as FUTURE_TIME once K records stayed behind it) while a
 * true jump is followed after K records; live the bound is against arrival.
 */
class FutureTimeHarnessTest {
    private static final long T = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
    private static final long S = 1000;
    private static final long MIN = 60 * S;
    private static final long H = 60 * MIN;
    private static final long BOUND = 30 * S;
    private static final long MAX_AHEAD = 5 * MIN;
    private static final int K = 5;
    private static final LongSupplier NOW = (LongSupplier & Serializable) () -> T + 400 * 24 * H;

    private static String lanl(long ms) {
        return (ms / 1000) + ",U7@DOM1,U7@DOM1,C17,C586,NTLM,Network,LogOn,Success";
    }

    private static RawRecord replayed(long ms) {
        return replayedText(lanl(ms));
    }

    private static RawRecord replayedText(String text) {
        return RawRecord.of("auth", InputFormat.LANL_AUTH, text.getBytes(StandardCharsets.UTF_8),
                RawRecord.NO_RECEIVE_TIME, "auth.txt");
    }

    private static OneInputStreamOperatorTestHarness<RawRecord, Envelope> harness() throws Exception {
        OneInputStreamOperatorTestHarness<RawRecord, Envelope> h =
                new OneInputStreamOperatorTestHarness<>(new ParseOperator(BOUND, MAX_AHEAD, K, NOW));
        h.open();
        return h;
    }

    private static void send(OneInputStreamOperatorTestHarness<RawRecord, Envelope> h, RawRecord r) throws Exception {
        h.processElement(new StreamRecord<>(r));
    }

    private static List<Envelope> valid(List<Envelope> out) {
        return out.stream().filter(Envelope::isValid).collect(Collectors.toList());
    }

    private static List<Envelope> refused(List<Envelope> out) {
        return out.stream().filter(e -> !e.isValid()).collect(Collectors.toList());
    }

    /** Greatest tick of the job's event-time clock fed with these envelopes. */
    private static long jobClock(List<Envelope> out) throws Exception {
        try (OneInputStreamOperatorTestHarness<io.vigil.rules.ClockMark, Control> c =
                new OneInputStreamOperatorTestHarness<>(new ClockOperator(true))) {
            c.open();
            for (Envelope e : out) {
                if (io.vigil.rules.ClockMark.of(e) != null) {
                    c.processElement(new StreamRecord<>(io.vigil.rules.ClockMark.of(e), e.eventTime));
                }
            }
            return c.extractOutputValues().stream().filter(x -> x.gapTo == Long.MIN_VALUE)
                    .mapToLong(x -> x.clock).max().orElse(Long.MIN_VALUE);
        }
    }

    @Test
    void oneRecordTwelveHoursAheadIsRefusedAndMovesNoClock() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            String skewed = lanl(T + 100 * 10 * S + 12 * H);
            for (int i = 0; i < 300; i++) {
                send(h, i == 100 ? replayedText(skewed) : replayed(T + i * 10 * S));
            }
            h.endInput();
            List<Envelope> out = h.extractOutputValues();
            assertThat(refused(out)).singleElement().satisfies(d -> {
                assertThat(d.deadLetter.reason).isEqualTo(ReasonCode.FUTURE_TIME);
                assertThat(d.deadLetter.payload).isEqualTo(skewed);
                assertThat(d.deadLetter.detail).contains("11h59m ahead of its source's clock");
                // counted at the source's clock when the 5th record after it was accepted
                assertThat(d.eventTime).isEqualTo(T + 105 * 10 * S);
                assertThat(d.late).isFalse();
            });
            assertThat(valid(out)).hasSize(299).noneMatch(e -> e.late);
            // in input order, and the greatest valid time is the last normal record's
            assertThat(valid(out)).extracting(e -> e.eventTime).isSorted();
            assertThat(jobClock(out)).isEqualTo(T + 299 * 10 * S);
            assertThat(((ParseOperator) h.getOneInputOperator()).heldEvents()).isZero();
        }
    }

    @Test
    void aTrueJumpIsFollowedAfterConfirmRecords() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            for (int i = 0; i < 360; i++) { // an hour every 10 s
                send(h, replayed(T + i * 10 * S));
            }
            int before = h.extractOutputValues().size();
            assertThat(before).isEqualTo(360);
            long resume = T + 6 * H; // an outage of five hours, then the source resumes
            for (int i = 0; i < K - 1; i++) {
                send(h, replayed(resume + i * 10 * S));
                assertThat(h.extractOutputValues()).as("held until confirmed").hasSize(before);
            }
            send(h, replayed(resume + (K - 1) * 10 * S));
            List<Envelope> out = h.extractOutputValues();
            assertThat(out).hasSize(before + K);
            assertThat(out.subList(before, out.size())).extracting(e -> e.eventTime)
                    .containsExactly(resume, resume + 10 * S, resume + 20 * S, resume + 30 * S, resume + 40 * S);
            send(h, replayed(resume + 50 * S)); // followed: the next one goes straight out
            assertThat(h.extractOutputValues()).hasSize(before + K + 1);
            h.endInput();
            assertThat(h.extractOutputValues()).allMatch(Envelope::isValid).noneMatch(e -> e.late);
            assertThat(((ParseOperator) h.getOneInputOperator()).heldEvents()).isZero();
        }
    }

    @Test
    void anOutlierAmongAJumpDoesNotTakePartInIt() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            for (int i = 0; i < 20; i++) {
                send(h, replayed(T + i * 10 * S));
            }
            long resume = T + 6 * H;
            send(h, replayed(resume));
            send(h, replayed(T + 30 * H)); // a wild clock in the middle of the resumption
            for (int i = 1; i < 20; i++) {
                send(h, replayed(resume + i * 10 * S));
            }
            h.endInput();
            List<Envelope> out = h.extractOutputValues();
            assertThat(refused(out)).singleElement()
                    .satisfies(d -> assertThat(d.deadLetter.reason).isEqualTo(ReasonCode.FUTURE_TIME));
            assertThat(valid(out)).hasSize(40).noneMatch(e -> e.late);
            assertThat(jobClock(out)).isEqualTo(resume + 190 * S);
        }
    }

    @Test
    void aLoneRecordAheadAtTheStartDoesNotSetTheClock() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            send(h, replayed(T + 12 * H));
            for (int i = 0; i < 20; i++) {
                send(h, replayed(T + i * 10 * S));
            }
            h.endInput();
            List<Envelope> out = h.extractOutputValues();
            assertThat(refused(out)).singleElement()
                    .satisfies(d -> assertThat(d.deadLetter.reason).isEqualTo(ReasonCode.FUTURE_TIME));
            assertThat(valid(out)).hasSize(20).noneMatch(e -> e.late);
        }
    }

    @Test
    void aSparseSourceLosesNothing() throws Exception {
        // one record every 10 minutes: each one is more than max-ahead past the last
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            for (int i = 0; i < 50; i++) {
                send(h, replayed(T + i * 10 * MIN));
            }
            h.endInput();
            List<Envelope> out = h.extractOutputValues();
            assertThat(out).hasSize(50).allMatch(Envelope::isValid).noneMatch(e -> e.late);
            assertThat(out).extracting(e -> e.eventTime).isSorted();
        }
    }

    @Test
    void whatIsHeldAtTheEndGoesOutUnlessARecordContradictedIt() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            for (int i = 0; i < 10; i++) {
                send(h, replayed(T + i * 10 * S));
            }
            send(h, replayed(T + 12 * H)); // two records stay behind it: contradicted
            send(h, replayed(T + 100 * S));
            send(h, replayed(T + 110 * S));
            send(h, replayed(T + 2 * H)); // the last records jump and nothing contradicts them
            send(h, replayed(T + 3 * H));
            h.endInput();
            List<String> seen = h.extractOutputValues().stream().skip(10)
                    .map(e -> (e.eventTime - T) / S + (e.isValid() ? "" : " " + e.deadLetter.reason))
                    .collect(Collectors.toList());
            assertThat(seen).containsExactly("100", "110", "110 FUTURE_TIME", "7200", "10800");
        }
    }

    @Test
    void aDeadLetterWhoseOwnTimeRunsAheadCountsAtTheClock() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            for (int i = 0; i < 10; i++) {
                send(h, replayed(T + i * 10 * S));
            }
            send(h, replayedText(lanl(T + 12 * H).replace("Success", "Maybe"))); // invalid, with a usable time
            send(h, replayedText(lanl(T + 95 * S).replace("Success", "Maybe"))); // one within the bound keeps its own
            List<Envelope> out = h.extractOutputValues();
            assertThat(out.subList(10, 12)).extracting(e -> e.deadLetter.reason)
                    .containsOnly(ReasonCode.UNKNOWN_VALUE);
            assertThat(out.subList(10, 12)).extracting(e -> e.eventTime).containsExactly(T + 90 * S, T + 95 * S);
        }
    }

    @Test
    void liveEventTimeIsBoundedByArrival() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            h.setProcessingTime(T);
            send(h, arrived(h, T - 2 * S));
            send(h, arrived(h, T + 4 * MIN)); // a producer clock 4 minutes fast: within the bound
            send(h, arrived(h, T + 12 * H));
            h.setProcessingTime(T + 6 * H); // silent for six hours, then back: followed at once
            send(h, arrived(h, T + 6 * H - S));
            List<Envelope> out = h.extractOutputValues();
            assertThat(out).extracting(Envelope::isValid).containsExactly(true, true, false, true);
            Envelope d = out.get(2);
            assertThat(d.deadLetter.reason).isEqualTo(ReasonCode.FUTURE_TIME);
            assertThat(d.deadLetter.detail).contains("arrival");
            assertThat(d.deadLetter.receivedAt).isEqualTo(T);
            assertThat(d.eventTime).as("counts at the source's clock").isEqualTo(T + 4 * MIN);
            assertThat(out).noneMatch(e -> e.late);
            assertThat(jobClock(out)).isEqualTo(T + 6 * H - S);
        }
    }

    private static RawRecord arrived(OneInputStreamOperatorTestHarness<RawRecord, Envelope> h, long eventMs) {
        return RawRecord.of("auth", InputFormat.LANL_AUTH, lanl(eventMs).getBytes(StandardCharsets.UTF_8),
                h.getProcessingTime(), "shard-0:1");
    }

    @Test
    void heldRecordsSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h = harness()) {
            for (int i = 0; i < 10; i++) {
                send(h, replayed(T + i * 10 * S));
            }
            for (int i = 0; i < 3; i++) {
                send(h, replayed(T + 6 * H + i * S));
            }
            snapshot = h.snapshot(1L, 1L);
        }
        try (OneInputStreamOperatorTestHarness<RawRecord, Envelope> h =
                new OneInputStreamOperatorTestHarness<>(new ParseOperator(BOUND, MAX_AHEAD, K, NOW))) {
            h.initializeState(snapshot);
            h.open();
            send(h, replayed(T + 6 * H + 3 * S));
            assertThat(h.extractOutputValues()).isEmpty();
            send(h, replayed(T + 6 * H + 4 * S));
            assertThat(h.extractOutputValues()).extracting(e -> (e.eventTime - T - 6 * H) / S)
                    .containsExactly(0L, 1L, 2L, 3L, 4L);
            List<Envelope> all = new ArrayList<>(h.extractOutputValues());
            assertThat(all).allMatch(Envelope::isValid).noneMatch(e -> e.late);
            assertThat(((ParseOperator) h.getOneInputOperator()).heldEvents()).isZero();
        }
    }
}
