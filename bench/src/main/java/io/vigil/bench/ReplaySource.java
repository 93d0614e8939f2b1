package io.vigil.bench;

import io.vigil.model.RawRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded FLIP-27 source of {@code count} records of a {@link MemoryInput}: as fast as the job
 * takes them with event times moved on pass by pass ({@link #replay}), or rate-limited with the
 * wall clock as event time ({@link #live}). Each reader takes one partition of the indexes (see
 * {@link ReplaySplit}). The source carries the input's id, not its records.
 */
public final class ReplaySource implements Source<RawRecord, ReplaySplit, Collection<ReplaySplit>> {
    private static final long serialVersionUID = 1L;

    private final String inputId;
    private final long count;
    private final long shiftMs;
    /** Records per second over all readers; 0 for as fast as possible. */
    private final double perSecond;
    private final String gateId;

    private ReplaySource(String inputId, long count, long shiftMs, double perSecond, String gateId) {
        this.inputId = inputId;
        this.count = count;
        this.shiftMs = shiftMs;
        this.perSecond = perSecond;
        this.gateId = gateId;
    }

    /** {@code count} records as fast as possible, pass 0's times moved on by {@code shiftMs}. */
    static ReplaySource replay(MemoryInput input, long count, long shiftMs) {
        return new ReplaySource(input.id(), count, shiftMs, 0, null);
    }

    /** {@code count} records at {@code perSecond}, each stamped with the wall clock when emitted. */
    static ReplaySource live(MemoryInput input, long count, double perSecond) {
        return new ReplaySource(input.id(), count, 0, perSecond, null);
    }

    /** This source, its readers held by {@code gate} at the gate's counts. */
    ReplaySource heldBy(ReplayGate gate) {
        return new ReplaySource(inputId, count, shiftMs, perSecond, gate.id());
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<RawRecord, ReplaySplit> createReader(SourceReaderContext context) {
        // live, each reader paces itself (Flink's RateLimitedSourceReader hands every record's permit
        // to another thread and back: about 25,000 records/s per reader, below the rates measured)
        return new ReplayReader(context, MemoryInput.get(inputId), shiftMs, perSecond,
                gateId == null ? null : ReplayGate.get(gateId));
    }

    @Override
    public SplitEnumerator<ReplaySplit, Collection<ReplaySplit>> createEnumerator(
            SplitEnumeratorContext<ReplaySplit> context) {
        int readers = context.currentParallelism();
        List<ReplaySplit> splits = new ArrayList<>(readers);
        for (int k = 0; k < readers; k++) {
            splits.add(new ReplaySplit(k, readers, count, 0));
        }
        return new ReplayEnumerator(context, splits);
    }

    @Override
    public SplitEnumerator<ReplaySplit, Collection<ReplaySplit>> restoreEnumerator(
            SplitEnumeratorContext<ReplaySplit> context, Collection<ReplaySplit> checkpoint) {
        return new ReplayEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ReplaySplit> getSplitSerializer() {
        return new ReplaySplit.Serializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<ReplaySplit>> getEnumeratorCheckpointSerializer() {
        return new ReplaySplit.ListSerializer();
    }
}
