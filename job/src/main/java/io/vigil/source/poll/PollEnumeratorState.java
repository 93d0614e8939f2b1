package io.vigil.source.poll;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the split enumerator checkpoints: unassigned splits, and the ids of all splits it made. */
public final class PollEnumeratorState {
    final List<PollSplit> pending;
    /** A poller configured after a restore gets a new split; one already known lives in a reader's state. */
    final Set<String> known;

    PollEnumeratorState(List<PollSplit> pending, Collection<String> known) {
        this.pending = new ArrayList<>(pending);
        this.known = new LinkedHashSet<>(known);
    }
}
