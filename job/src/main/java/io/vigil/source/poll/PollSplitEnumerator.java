package io.vigil.source.poll;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/** Hands each poller's split to one reader (by index, round robin) once the reader is there. */
final class PollSplitEnumerator implements SplitEnumerator<PollSplit, PollEnumeratorState> {
    private final SplitEnumeratorContext<PollSplit> context;
    private final PollEnumeratorState state;

    PollSplitEnumerator(SplitEnumeratorContext<PollSplit> context, List<Poller> pollers, PollEnumeratorState restored) {
        this.context = context;
        this.state = restored != null ? restored : new PollEnumeratorState(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < pollers.size(); i++) {
            String id = pollers.get(i).id();
            if (state.known.add(id)) {
                state.pending.add(new PollSplit(id, i, PollSplit.NOT_STARTED));
            }
        }
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtask, String host) {}

    @Override
    public void addSplitsBack(List<PollSplit> splits, int subtask) {
        state.pending.addAll(splits);
        if (context.registeredReaders().containsKey(subtask)) {
            assign(subtask);
        }
    }

    @Override
    public void addReader(int subtask) {
        assign(subtask);
    }

    private void assign(int subtask) {
        int n = context.currentParallelism();
        List<PollSplit> mine = new ArrayList<>();
        for (Iterator<PollSplit> it = state.pending.iterator(); it.hasNext(); ) {
            PollSplit s = it.next();
            if (s.index % n == subtask) {
                mine.add(s);
                it.remove();
            }
        }
        for (PollSplit s : mine) {
            context.assignSplit(s, subtask);
        }
    }

    @Override
    public PollEnumeratorState snapshotState(long checkpointId) {
        List<PollSplit> pending = new ArrayList<>();
        state.pending.forEach(s -> pending.add(s.copy()));
        return new PollEnumeratorState(pending, state.known);
    }

    @Override
    public void close() {}
}
