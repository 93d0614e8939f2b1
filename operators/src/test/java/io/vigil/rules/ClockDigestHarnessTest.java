package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.DeadLetter;
import io.vigil.model.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The per-subtask digest in front of the event-time clock: a busy input sends a few marks per
 * second of event time, not one per record; the exact maximum always precedes a watermark; each
 * minute with data is marked in replay; dead letters make none. The clock fed with the digest's
 * marks emits the same gaps, ticks and watermarks as fed with every record.
 */
class ClockDigestHarnessTest {
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;

    private static Envelope at(long t) {
        Envelope e = new Envelope();
        e.source = "s";
        e.eventTime = t;
        return e;
    }

    private static List<Object> script() {
        List<Object> s = new ArrayList<>();
        for (long t = 0; t < 30 * MIN; t += 50) { // 20 records a second for half an hour
            s.add(at(T0 + t));
            if (t % 10_000 == 0) {
                s.add(T0 + t - 1000); // a watermark every 10 s, 1 s behind
            }
        }
        Envelope bad = at(T0 + 99 * MIN);
        bad.deadLetter = new DeadLetter();
        s.add(bad);
        for (long t = 3 * 60 * MIN; t < 3 * 60 * MIN + 5 * MIN; t += 70) { // after a gap of 2.5 h
            s.add(at(T0 + t));
        }
        s.add(Long.MAX_VALUE);
        return s;
    }

    @Test
    void aBusyInputSendsAFewMarksPerSecondAndTheClockSeesTheSame() throws Exception {
        List<Object> direct;
        List<Object> digested;
        int records = 0;
        int marks;
        try (OneInputStreamOperatorTestHarness<ClockMark, Control> clock =
                        new OneInputStreamOperatorTestHarness<>(new ClockOperator(true))) {
            clock.open();
            for (Object o : script()) {
                if (o instanceof Envelope) {
                    records++;
                    ClockMark m = ClockMark.of((Envelope) o);
                    if (m != null) {
                        clock.processElement(new StreamRecord<>(m, m.time));
                    }
                } else {
                    clock.processWatermark((Long) o);
                }
            }
            direct = new ArrayList<>(clock.getOutput());
        }
        try (OneInputStreamOperatorTestHarness<Envelope, ClockMark> digest =
                        new OneInputStreamOperatorTestHarness<>(new ClockDigest(true));
                OneInputStreamOperatorTestHarness<ClockMark, Control> clock =
                        new OneInputStreamOperatorTestHarness<>(new ClockOperator(true))) {
            digest.open();
            clock.open();
            for (Object o : script()) {
                if (o instanceof Envelope) {
                    digest.processElement(new StreamRecord<>((Envelope) o, ((Envelope) o).eventTime));
                } else {
                    digest.processWatermark((Long) o);
                }
            }
            marks = 0;
            for (Object o : digest.getOutput()) {
                if (o instanceof Watermark) {
                    clock.processWatermark((Watermark) o);
                } else {
                    marks++;
                    @SuppressWarnings("unchecked")
                    StreamRecord<ClockMark> r = (StreamRecord<ClockMark>) o;
                    clock.processElement(new StreamRecord<>(r.getValue(), r.getValue().time));
                }
            }
            digested = new ArrayList<>(clock.getOutput());
        }
        assertThat(marks).as("marks for %d records", records).isLessThan(records / 10);
        // the same gaps and watermarks, and the same final tick before each watermark
        assertThat(shape(digested)).isEqualTo(shape(direct));
        assertThat(shape(direct)).anyMatch(x -> x.startsWith("gap "));
    }

    /** Gaps and watermarks, each watermark with the greatest tick before it. */
    private static List<String> shape(List<Object> out) {
        List<String> s = new ArrayList<>();
        long tick = Long.MIN_VALUE;
        for (Object o : out) {
            if (o instanceof Watermark) {
                s.add("wm " + ((Watermark) o).getTimestamp() + " after tick " + tick);
            } else {
                Control c = (Control) ((StreamRecord<?>) o).getValue();
                if (c.gapTo != Long.MIN_VALUE) {
                    s.add("gap " + c.gapFrom + "-" + c.gapTo);
                } else {
                    tick = Math.max(tick, c.clock);
                }
            }
        }
        return s;
    }
}
