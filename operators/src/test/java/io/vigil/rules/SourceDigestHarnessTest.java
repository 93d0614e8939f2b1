package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.DeadLetter;
import io.vigil.model.Envelope;
import io.vigil.model.Family;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The per-second source summaries in front of the rule router: every record passes on; each
 * source's second goes out once, in the order its seconds first arrived, before the watermark that
 * passes it, with its first and last times and its counts; what is pending survives a restore.
 */
class SourceDigestHarnessTest {
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();

    private static Envelope at(String source, long t, boolean bad) {
        Envelope e = new Envelope();
        e.source = source;
        e.family = Family.AUTH;
        e.eventTime = t;
        if (bad) {
            e.deadLetter = new DeadLetter();
        }
        return e;
    }

    private static List<String> out(OneInputStreamOperatorTestHarness<Envelope, Envelope> h) {
        List<String> s = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark) {
                s.add("wm " + (((Watermark) o).getTimestamp() - T0));
            } else {
                Envelope e = (Envelope) ((StreamRecord<?>) o).getValue();
                s.add(e.counts == null ? "record " + e.source + " " + (e.eventTime - T0)
                        : "summary " + e.source + " " + (e.counts.first - T0) + ".." + (e.counts.last - T0) + " "
                                + e.counts.total + "/" + e.counts.bad);
            }
        }
        h.getOutput().clear();
        return s;
    }

    @Test
    void eachSourceSecondGoesOutOnceInOrderBeforeTheWatermarkThatPassesIt() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<Envelope, Envelope> h = new OneInputStreamOperatorTestHarness<>(new SourceDigest())) {
            h.open();
            h.processElement(new StreamRecord<>(at("a", T0 + 1500, false)));
            h.processElement(new StreamRecord<>(at("a", T0 + 100, false))); // out of order, an earlier second
            h.processElement(new StreamRecord<>(at("a", T0 + 1900, true)));
            h.processElement(new StreamRecord<>(at("b", T0 + 1200, false)));
            h.processElement(new StreamRecord<>(at("a", T0 + 2300, false)));
            h.processWatermark(new Watermark(T0 + 1998)); // passes second 0, not second 1
            assertThat(out(h)).containsExactly("record a 1500", "record a 100", "record a 1900", "record b 1200",
                    "record a 2300", "summary a 100..100 1/0", "wm 1998");
            h.processWatermark(new Watermark(T0 + 1999));
            List<String> second = out(h);
            assertThat(second).hasSize(3).last().isEqualTo("wm 1999");
            assertThat(second).contains("summary a 1500..1900 2/1", "summary b 1200..1200 1/0");
            snapshot = h.snapshot(1, T0);
        }
        try (OneInputStreamOperatorTestHarness<Envelope, Envelope> h = new OneInputStreamOperatorTestHarness<>(new SourceDigest())) {
            h.initializeState(snapshot);
            h.open();
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(out(h)).containsExactly("summary a 2300..2300 1/0", "wm " + (Long.MAX_VALUE - T0));
            assertThat(((SourceDigest) h.getOneInputOperator()).secondsPending()).isZero();
        }
    }
}
