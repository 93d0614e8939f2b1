package io.vigil.source.poll;

import io.vigil.model.RawRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * An unbounded FLIP-27 source that polls metric services period by period: one split per
 * configured query, whose checkpointed position is the end of the last period emitted. It emits
 * the samples as {@code metrics} lines (or a poller's own format's), so they are parsed,
 * dead-lettered and counted like the records of any other input.
 */
public final class PollingSource implements Source<RawRecord, PollSplit, PollEnumeratorState> {
    private static final long serialVersionUID = 1L;

    private final String sourceName;
    private final List<Poller> pollers;
    private final PollSchedule schedule;

    public PollingSource(String sourceName, List<Poller> pollers, PollSchedule schedule) {
        Set<String> ids = new HashSet<>();
        for (Poller p : pollers) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("two queries of input " + sourceName + " are named " + p.id());
            }
        }
        if (pollers.isEmpty()) {
            throw new IllegalArgumentException("input " + sourceName + " has no query");
        }
        this.sourceName = sourceName;
        this.pollers = new ArrayList<>(pollers);
        this.schedule = schedule;
    }

    public List<Poller> pollers() {
        return pollers;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RawRecord, PollSplit> createReader(SourceReaderContext context) {
        return new PollReader(sourceName, pollers, schedule, context);
    }

    @Override
    public SplitEnumerator<PollSplit, PollEnumeratorState> createEnumerator(SplitEnumeratorContext<PollSplit> context) {
        return new PollSplitEnumerator(context, pollers, null);
    }

    @Override
    public SplitEnumerator<PollSplit, PollEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<PollSplit> context, PollEnumeratorState checkpoint) {
        return new PollSplitEnumerator(context, pollers, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<PollSplit> getSplitSerializer() {
        return PollSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<PollEnumeratorState> getEnumeratorCheckpointSerializer() {
        return PollSplitSerializer.EnumeratorState.INSTANCE;
    }
}
