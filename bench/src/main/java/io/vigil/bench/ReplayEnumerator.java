package io.vigil.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands out the interleaved splits of a {@link ReplaySource}, split {@code k} to reader {@code k}
 * where it can, and tells a reader with nothing left that no more will come.
 */
final class ReplayEnumerator implements SplitEnumerator<ReplaySplit, Collection<ReplaySplit>> {
    private final SplitEnumeratorContext<ReplaySplit> context;
    private final List<ReplaySplit> remaining;

    ReplayEnumerator(SplitEnumeratorContext<ReplaySplit> context, Collection<ReplaySplit> splits) {
        this.context = context;
        this.remaining = new ArrayList<>(splits);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtask, String hostname) {
        ReplaySplit chosen = null;
        for (Iterator<ReplaySplit> it = remaining.iterator(); it.hasNext(); ) {
            ReplaySplit s = it.next();
            if (s.position == subtask) {
                chosen = s;
                it.remove();
                break;
            }
        }
        if (chosen == null && !remaining.isEmpty()) {
            chosen = remaining.remove(0); // restored at another parallelism: any split will do
        }
        if (chosen != null) {
            context.assignSplit(chosen, subtask);
        } else {
            context.signalNoMoreSplits(subtask);
        }
    }

    @Override
    public void addSplitsBack(List<ReplaySplit> splits, int subtask) {
        remaining.addAll(splits);
    }

    @Override
    public void addReader(int subtask) {}

    @Override
    public Collection<ReplaySplit> snapshotState(long checkpointId) {
        List<ReplaySplit> copy = new ArrayList<>(remaining.size());
        for (ReplaySplit s : remaining) {
            copy.add(s.copy());
        }
        return copy;
    }

    @Override
    public void close() {}
}
