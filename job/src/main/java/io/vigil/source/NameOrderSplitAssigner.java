package io.vigil.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.PriorityQueue;
import javax.annotation.Nullable;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out a watched directory's files oldest name first (the receiver names its spool files by
 * time). Flink's default assigner hands out the last found first, so a backlog after a restart
 * would be read newest first and its older events fall behind the watermark.
 */
final class NameOrderSplitAssigner implements FileSplitAssigner {
    private static final Comparator<FileSourceSplit> ORDER = Comparator
            .comparing((FileSourceSplit s) -> s.path().toString())
            .thenComparingLong(FileSourceSplit::offset);

    private final PriorityQueue<FileSourceSplit> splits = new PriorityQueue<>(ORDER);

    NameOrderSplitAssigner(Collection<FileSourceSplit> initial) {
        splits.addAll(initial);
    }

    @Override
    public Optional<FileSourceSplit> getNext(@Nullable String hostname) {
        return Optional.ofNullable(splits.poll());
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> newSplits) {
        splits.addAll(newSplits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return new ArrayList<>(splits);
    }
}
