package io.vigil.source.control;

import io.vigil.model.RawRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The control input from object storage: polls a rules object (emitted whole as a rule update
 * when its ETag changes) and a control prefix (each new object's lines emitted once) every
 * interval. Its lines go through the same {@code ControlFunction} as a local control directory's.
 */
public final class ControlObjectsSource implements Source<RawRecord, ControlObjectsSplit, Boolean> {
    private static final long serialVersionUID = 1L;

    final String sourceName;
    final S3Location rules;
    final S3Location control;
    final Duration every;
    /** The ETag of the rules the job started with: not emitted again. */
    final String initialRulesEtag;

    public ControlObjectsSource(String sourceName, S3Location rules, String initialRulesEtag,
            S3Location control, Duration every) {
        if (rules == null && control == null) {
            throw new IllegalArgumentException("a control source needs a rules object or a control location");
        }
        this.sourceName = sourceName;
        this.rules = rules;
        this.initialRulesEtag = initialRulesEtag;
        this.control = control == null ? null : control.asPrefix();
        this.every = every;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RawRecord, ControlObjectsSplit> createReader(SourceReaderContext context) {
        return new ControlObjectsReader(this, context);
    }

    @Override
    public SplitEnumerator<ControlObjectsSplit, Boolean> createEnumerator(SplitEnumeratorContext<ControlObjectsSplit> c) {
        return new Enumerator(c, new ControlObjectsSplit(initialRulesEtag));
    }

    @Override
    public SplitEnumerator<ControlObjectsSplit, Boolean> restoreEnumerator(
            SplitEnumeratorContext<ControlObjectsSplit> c, Boolean assigned) {
        return new Enumerator(c, assigned ? null : new ControlObjectsSplit(initialRulesEtag));
    }

    @Override
    public SimpleVersionedSerializer<ControlObjectsSplit> getSplitSerializer() {
        return ControlObjectsSplit.Serializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<Boolean> getEnumeratorCheckpointSerializer() {
        return ControlObjectsSplit.AssignedSerializer.INSTANCE;
    }

    /** Hands the one split to subtask 0 (the source runs with parallelism 1), again after a failover. */
    private static final class Enumerator implements SplitEnumerator<ControlObjectsSplit, Boolean> {
        private final SplitEnumeratorContext<ControlObjectsSplit> context;
        private final List<ControlObjectsSplit> pending = new ArrayList<>();

        Enumerator(SplitEnumeratorContext<ControlObjectsSplit> context, ControlObjectsSplit split) {
            this.context = context;
            if (split != null) {
                pending.add(split);
            }
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<ControlObjectsSplit> splits, int subtaskId) {
            pending.addAll(splits);
            assign();
        }

        @Override
        public void addReader(int subtaskId) {
            assign();
        }

        private void assign() {
            if (!pending.isEmpty() && context.registeredReaders().containsKey(0)) {
                for (ControlObjectsSplit s : pending) {
                    context.assignSplit(s, 0);
                }
                pending.clear();
            }
        }

        @Override
        public Boolean snapshotState(long checkpointId) {
            return pending.isEmpty();
        }

        @Override
        public void close() {}
    }
}
