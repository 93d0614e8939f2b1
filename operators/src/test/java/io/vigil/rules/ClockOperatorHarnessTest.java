package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.DeadLetter;
import io.vigil.model.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Drives the event-time clock with records and watermarks: in replay it reports the spans without
 * data longer than an hour, each before the watermark that passes its start, holds the watermark at
 * the end of the last data minute until the next one is passed, ignores late and invalid records,
 * keeps its minutes across a restore and only as many as lie ahead of the watermark; live, the
 * watermark passes through and there are no gaps.
 */
class ClockOperatorHarnessTest {
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;

    private static OneInputStreamOperatorTestHarness<ClockMark, Control> clock(boolean replay) throws Exception {
        OneInputStreamOperatorTestHarness<ClockMark, Control> h = new OneInputStreamOperatorTestHarness<>(new ClockOperator(replay));
        h.open();
        return h;
    }

    private static Envelope at(long t) {
        Envelope e = new Envelope();
        e.source = "s";
        e.eventTime = t;
        return e;
    }

    private static void send(OneInputStreamOperatorTestHarness<ClockMark, Control> h, long t) throws Exception {
        h.processElement(new StreamRecord<>(ClockMark.of(at(t)), t));
    }

    /** The output in order, ticks left out: "gap 61m-182m", "wm 181m" (minutes after T0; ms kept when not whole). */
    private static List<String> gapsAndWatermarks(OneInputStreamOperatorTestHarness<ClockMark, Control> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark) {
                long w = ((Watermark) o).getTimestamp();
                out.add("wm " + (w == Long.MAX_VALUE ? "end" : minutes(w)));
            } else {
                Control c = (Control) ((StreamRecord<?>) o).getValue();
                if (c.gapTo != Long.MIN_VALUE) {
                    out.add("gap " + minutes(c.gapFrom) + "-" + minutes(c.gapTo));
                }
            }
        }
        return out;
    }

    private static String minutes(long t) {
        long d = t - T0;
        return d % MIN == 0 ? d / MIN + "m" : (d / MIN) + "m+" + (d % MIN) + "ms";
    }

    @Test
    void reportsExactlyTheSpansWithoutDataLongerThanAnHourBeforeTheWatermarkPassesThem() throws Exception {
        try (OneInputStreamOperatorTestHarness<ClockMark, Control> h = clock(true)) {
            send(h, T0 + 10_000);
            send(h, T0 + 61 * MIN + 5_000); // 60m without data (1m to 61m): an hour is not a gap
            send(h, T0 + 123 * MIN); // 61m without data (62m to 123m): a gap
            send(h, T0 + 124 * MIN);
            send(h, T0 + 10 * 24 * HOUR); // ten days
            h.processWatermark(T0 + 10 * 24 * HOUR + 30_000);
            assertThat(gapsAndWatermarks(h)).containsExactly("gap 62m-123m", "gap 125m-14400m", "wm 14400m+30000ms");
        }
    }

    @Test
    void holdsTheWatermarkAtTheLastDataMinuteUntilTheNextIsPassed() throws Exception {
        try (OneInputStreamOperatorTestHarness<ClockMark, Control> h = clock(true)) {
            send(h, T0);
            h.processWatermark(T0 + 30_000);
            send(h, T0 + 50_000);
            send(h, T0 + 3 * HOUR); // read ahead: not passed by the watermark yet
            h.processWatermark(T0 + 2 * HOUR);
            h.processWatermark(T0 + 3 * HOUR - 1);
            assertThat(gapsAndWatermarks(h)).as("held inside what may be a gap, its end unknown")
                    .containsExactly("wm 0m+30000ms", "wm 0m+59999ms");
            h.processWatermark(T0 + 3 * HOUR + 20_000);
            assertThat(gapsAndWatermarks(h)).containsExactly("wm 0m+30000ms", "wm 0m+59999ms", "gap 1m-180m",
                    "wm 180m+20000ms");
            send(h, T0 + 3 * HOUR + 40 * MIN); // a pause shorter than a gap: held, then released without a gap
            h.processWatermark(T0 + 3 * HOUR + 30 * MIN);
            h.processWatermark(T0 + 3 * HOUR + 40 * MIN + 30_000);
            assertThat(gapsAndWatermarks(h)).endsWith("wm 180m+59999ms", "wm 220m+30000ms");
        }
    }

    @Test
    void outOfOrderDataWithinTheBoundCountsLateAndInvalidRecordsDoNot() throws Exception {
        try (OneInputStreamOperatorTestHarness<ClockMark, Control> h = clock(true)) {
            send(h, T0);
            send(h, T0 + 3 * HOUR);
            send(h, T0 + 50 * MIN); // out of order, ahead of the watermark: counts
            Envelope late = at(T0 + 120 * MIN);
            late.late = true; // behind its source's bound: the parse operator flagged it
            h.processElement(new StreamRecord<>(ClockMark.of(late), late.eventTime));
            Envelope invalid = at(T0 + 130 * MIN);
            invalid.deadLetter = new DeadLetter();
            assertThat(ClockMark.of(invalid)).as("a dead letter makes no mark").isNull();
            h.processWatermark(T0 + 100 * MIN);
            send(h, T0 + 95 * MIN); // behind the watermark
            h.processWatermark(T0 + 3 * HOUR + 1);
            assertThat(gapsAndWatermarks(h)).containsExactly("wm 50m+59999ms", "gap 51m-180m", "wm 180m+1ms");
        }
    }

    @Test
    void theEndOfTheInputFlushesTheGapsAndTheWatermark() throws Exception {
        try (OneInputStreamOperatorTestHarness<ClockMark, Control> h = clock(true)) {
            send(h, T0);
            send(h, T0 + 5 * HOUR);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(gapsAndWatermarks(h)).containsExactly("gap 1m-300m", "wm end");
            assertThat(h.extractOutputValues()).filteredOn(c -> c.clock != Long.MIN_VALUE).last()
                    .satisfies(c -> assertThat(c.clock).isEqualTo(T0 + 5 * HOUR));
        }
    }

    @Test
    void aRestoreKeepsTheMinutesAheadOfTheWatermark() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<ClockMark, Control> h = clock(true)) {
            send(h, T0);
            h.processWatermark(T0 + 1);
            send(h, T0 + 2 * HOUR);
            send(h, T0 + 5 * HOUR);
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<ClockMark, Control> h =
                new OneInputStreamOperatorTestHarness<>(new ClockOperator(true))) {
            h.initializeState(snapshot);
            h.open();
            h.processWatermark(T0 + 5 * HOUR);
            assertThat(gapsAndWatermarks(h)).containsExactly("gap 1m-120m", "gap 121m-300m", "wm 300m");
        }
    }

    @Test
    void keepsOnlyTheMinutesAheadOfTheWatermark() throws Exception {
        ClockOperator op = new ClockOperator(true);
        try (OneInputStreamOperatorTestHarness<ClockMark, Control> h = new OneInputStreamOperatorTestHarness<>(op)) {
            h.open();
            int most = 0;
            for (int m = 0; m < 20_000; m++) {
                for (int i = 0; i < 3; i++) {
                    send(h, T0 + m * MIN + i * 20_000);
                }
                most = Math.max(most, op.minutesAhead());
                h.processWatermark(T0 + m * MIN - 30_000 - 1); // a 30s out-of-orderness bound
            }
            assertThat(most).isLessThanOrEqualTo(2);
            assertThat(gapsAndWatermarks(h)).noneMatch(s -> s.startsWith("gap"));
        }
    }

    @Test
    void liveHasNoGapsAndHoldsNothingBack() throws Exception {
        try (OneInputStreamOperatorTestHarness<ClockMark, Control> h = clock(false)) {
            send(h, T0);
            send(h, T0 + 5 * HOUR);
            h.processWatermark(T0 + 2 * HOUR);
            h.processWatermark(T0 + 5 * HOUR);
            assertThat(gapsAndWatermarks(h)).containsExactly("wm 120m", "wm 300m");
        }
    }
}
