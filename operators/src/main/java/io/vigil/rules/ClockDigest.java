package io.vigil.rules;

import io.vigil.model.Envelope;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Thins one input subtask's records to the {@link ClockMark}s the event-time clock needs, chained
 * after parsing: its greatest event time at most once per second of event time and always before a
 * watermark is forwarded (so the clock has the exact maximum of everything before it), and in
 * replay each minute with data as it changes. Duplicates are harmless: the clock keeps maxima and
 * sets.
 */
public class ClockDigest extends AbstractStreamOperator<ClockMark> implements OneInputStreamOperator<Envelope, ClockMark> {
    private static final long serialVersionUID = 1L;
    private static final long GRANULARITY_MS = 1000;

    private final boolean replay;
    private transient long max;
    private transient long emitted;
    private transient long minute;

    public ClockDigest(boolean replay) {
        this.replay = replay;
        // AbstractStreamOperator defaults to HEAD: unchained, every envelope would be serialized to it
        this.chainingStrategy = ChainingStrategy.ALWAYS;
    }

    @Override
    public void open() throws Exception {
        super.open();
        max = Long.MIN_VALUE;
        emitted = Long.MIN_VALUE;
        minute = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<Envelope> element) {
        Envelope e = element.getValue();
        if (!e.isValid()) {
            return;
        }
        long t = e.eventTime;
        if (replay && !e.late) {
            long m = t - Math.floorMod(t, ClockOperator.BUCKET_MS);
            if (m != minute) {
                minute = m;
                output.collect(new StreamRecord<>(new ClockMark(t, true)));
                emitted = Math.max(emitted, t);
            }
        }
        if (t > max) {
            max = t;
            if (emitted == Long.MIN_VALUE || max - emitted >= GRANULARITY_MS) {
                emit();
            }
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (max > emitted) {
            emit();
        }
        super.processWatermark(mark);
    }

    private void emit() {
        emitted = max;
        output.collect(new StreamRecord<>(new ClockMark(max, false)));
    }
}
