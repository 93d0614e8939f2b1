package io.vigil.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.DeadLetter;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RunEventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link DuplicateFilter}: what it drops, what it lets through, and that its state empties itself. */
class DuplicateFilterHarnessTest {
    private static final Duration TTL = Duration.ofMinutes(10);

    private static KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> harness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DuplicateFilter(TTL)), DuplicateFilter.key(), Types.STRING);
        h.setup();
        h.open();
        return h;
    }

    private static Envelope run(String runId, RunEventType type, long time) {
        PipelineRunEvent e = new PipelineRunEvent();
        e.runId = runId;
        e.eventType = type;
        e.eventTime = time;
        e.jobNamespace = "ns";
        e.jobName = "job";
        return Envelope.of("lineage", e);
    }

    private static Envelope deadLetter(String messageId) {
        DeadLetter d = new DeadLetter();
        d.source = "lineage";
        d.format = InputFormat.OPENLINEAGE;
        d.origin = messageId;
        return Envelope.of(d, 0);
    }

    private static List<String> out(KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> h) {
        List<String> out = new ArrayList<>();
        for (Envelope e : h.extractOutputValues()) {
            out.add(e.run != null ? e.run.runId + " " + e.run.eventType + " " + e.run.eventTime : "dead " + e.deadLetter.origin);
        }
        return out;
    }

    @Test
    void dropsARunEventSeenBeforeAndADeadLetterDeliveredBefore() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> h = harness()) {
            h.setProcessingTime(0);
            h.processElement(run("a", RunEventType.START, 1000), 0);
            h.processElement(run("a", RunEventType.START, 1000), 0); // redelivered
            h.processElement(run("a", RunEventType.COMPLETE, 5000), 0);
            h.processElement(run("a", RunEventType.START, 1001), 0); // another event of the run
            h.processElement(run("b", RunEventType.START, 1000), 0); // the same kind and time, another run
            h.processElement(deadLetter("m-7"), 0);
            h.processElement(deadLetter("m-7"), 0); // redelivered
            h.processElement(deadLetter("m-8"), 0); // the same bytes published again: a new message id
            h.setProcessingTime(Duration.ofMinutes(9).toMillis());
            h.processElement(run("a", RunEventType.COMPLETE, 5000), 0); // still remembered
            assertThat(out(h)).containsExactly("a START 1000", "a COMPLETE 5000", "a START 1001", "b START 1000",
                    "dead m-7", "dead m-8");
        }
    }

    @Test
    void everyIdIsForgottenAfterTheTtlSoNoStateIsLeft() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> h = harness()) {
            // 20 minutes of traffic: 1,000 runs of 3 events each plus 200 dead letters, one every second
            long t = 0;
            int maxEntries = 0;
            for (int i = 0; i < 1200; i++, t += 1000) {
                h.setProcessingTime(t);
                if (i % 6 == 5) {
                    h.processElement(deadLetter("m-" + i), t);
                } else {
                    h.processElement(run("r-" + i / 3, RunEventType.values()[i % 3], t), t);
                    h.processElement(run("r-" + i / 3, RunEventType.values()[i % 3], t), t); // redelivered
                }
                maxEntries = Math.max(maxEntries, h.numKeyedStateEntries());
            }
            assertThat(h.extractOutputValues()).hasSize(1200);
            // At most the ids of the last 10 minutes (+1 s of timer rounding) are held at any time.
            assertThat(maxEntries).isLessThanOrEqualTo(601 + 1);
            h.setProcessingTime(t + TTL.toMillis() + DuplicateFilter.TIMER_GRANULARITY_MS);
            assertThat(h.numKeyedStateEntries()).as("state entries left").isZero();
            assertThat(h.numProcessingTimeTimers()).as("timers left").isZero();
            // forgotten: a redelivery this late would pass again (the ttl must exceed the redelivery delay)
            h.processElement(run("r-0", RunEventType.values()[0], 0), t);
            assertThat(h.extractOutputValues()).hasSize(1201);
        }
    }

    @Test
    void rememberedIdsAndTheirTimersSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> h = harness()) {
            h.setProcessingTime(0);
            h.processElement(run("a", RunEventType.START, 1000), 0);
            h.processElement(deadLetter("m-1"), 0);
            snapshot = h.snapshot(1, 1);
        }
        KeyedOneInputStreamOperatorTestHarness<String, Envelope, Envelope> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DuplicateFilter(TTL)), DuplicateFilter.key(), Types.STRING);
        try {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(1000);
            h.processElement(run("a", RunEventType.START, 1000), 0);
            h.processElement(deadLetter("m-1"), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(TTL.toMillis() + DuplicateFilter.TIMER_GRANULARITY_MS);
            assertThat(h.numKeyedStateEntries()).isZero();
        } finally {
            h.close();
        }
    }
}
