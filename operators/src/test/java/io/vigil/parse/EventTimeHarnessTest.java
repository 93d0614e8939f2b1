package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.testing.Samples;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.operators.TimestampsAndWatermarksOperator;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Watermarks of a source's event-time policy, driven through Flink's own assigner operator. */
class EventTimeHarnessTest {
    private final RecordDecoder decoder = new RecordDecoder(() -> 1_795_000_000_000L);

    private Envelope auth(long seconds) {
        return decoder.decode(Samples.raw(InputFormat.LANL_AUTH,
                seconds + ",U1@DOM1,U1@DOM1,C1,C2,NTLM,Network,LogOn,Success"));
    }

    private Envelope deadLetterAt(long ms) {
        Envelope e = decoder.decode(Samples.raw(InputFormat.LANL_AUTH, "junk"));
        e.eventTime = ms;
        return e;
    }

    private static OneInputStreamOperatorTestHarness<Envelope, Envelope> harness(EventTimePolicy policy)
            throws Exception {
        OneInputStreamOperatorTestHarness<Envelope, Envelope> h = new OneInputStreamOperatorTestHarness<>(
                new TimestampsAndWatermarksOperator<>(policy.watermarkStrategy(), true));
        h.getExecutionConfig().setAutoWatermarkInterval(100);
        h.open();
        return h;
    }

    private static List<Long> watermarks(OneInputStreamOperatorTestHarness<Envelope, Envelope> h) {
        return h.getOutput().stream()
                .filter(o -> o instanceof Watermark)
                .map(o -> ((Watermark) o).getTimestamp())
                .collect(Collectors.toList());
    }

    @Test
    void watermarkTrailsTheGreatestValidTimeByTheBound() throws Exception {
        try (OneInputStreamOperatorTestHarness<Envelope, Envelope> h =
                harness(EventTimePolicy.replay(Duration.ofSeconds(30)))) {
            h.processElement(new StreamRecord<>(auth(100)));
            h.processElement(new StreamRecord<>(auth(160)));
            h.processElement(new StreamRecord<>(auth(120))); // out of order, no step back
            h.setProcessingTime(100);
            assertThat(watermarks(h)).containsExactly(160_000L - 30_000L - 1);
            // element timestamps are the envelope's event time
            assertThat(h.getOutput().stream().filter(o -> o instanceof StreamRecord)
                    .map(o -> ((StreamRecord<?>) o).getTimestamp()).collect(Collectors.toList()))
                    .containsExactly(100_000L, 160_000L, 120_000L);
        }
    }

    @Test
    void deadLettersNeverAdvanceTheWatermark() throws Exception {
        try (OneInputStreamOperatorTestHarness<Envelope, Envelope> h =
                harness(EventTimePolicy.replay(Duration.ofSeconds(30)))) {
            h.processElement(new StreamRecord<>(auth(100)));
            h.processElement(new StreamRecord<>(deadLetterAt(90_000_000L))); // a producer's wild clock
            h.setProcessingTime(100);
            assertThat(watermarks(h)).containsExactly(100_000L - 30_000L - 1);
            assertThat(h.extractOutputValues()).hasSize(2); // the dead letter still flows on
        }
    }

    @Test
    void anIdleLiveSourceStopsHoldingBackTheWatermark() throws Exception {
        try (OneInputStreamOperatorTestHarness<Envelope, Envelope> h =
                harness(new EventTimePolicy(Duration.ofSeconds(30), Duration.ofSeconds(1)))) {
            h.processElement(new StreamRecord<>(auth(100)));
            h.setProcessingTime(100);
            assertThat(watermarks(h)).containsExactly(69_999L);
            assertThat(h.getOutput()).noneMatch(o -> o instanceof WatermarkStatus);
            for (long t = 200; t <= 3_000; t += 100) {
                h.setProcessingTime(t); // no input for ~3 s of processing time
            }
            assertThat(h.getOutput()).contains(WatermarkStatus.IDLE);
            h.processElement(new StreamRecord<>(auth(200)));
            h.setProcessingTime(3_100); // the next periodic watermark wakes it
            assertThat(h.getOutput()).contains(WatermarkStatus.ACTIVE);
            assertThat(watermarks(h)).containsExactly(69_999L, 169_999L);
        }
    }
}
