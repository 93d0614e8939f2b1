package io.vigil.bench;

import io.vigil.model.RawRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

/** Emits the records of its {@link ReplaySplit}s from a {@link MemoryInput}, optionally held by a {@link ReplayGate}. */
final class ReplayReader implements SourceReader<RawRecord, ReplaySplit> {
    private final SourceReaderContext context;
    private final MemoryInput input;
    /** Replay: how far pass 0's times are moved; ignored live. */
    private final long shiftMs;
    private final boolean live;
    /** Live: records per second over all readers. */
    private final double perSecond;
    /** Live: when index 0 was due. */
    private long startedMs;
    /** Records per poll at most. */
    private final int batch;
    private final ReplayGate gate;
    private final Deque<ReplaySplit> splits = new ArrayDeque<>();
    private boolean noMoreSplits;
    private CompletableFuture<Void> splitsArrived = new CompletableFuture<>();
    /** Live: wall clock of the first and the last record emitted. */
    private long firstEmitted = Long.MAX_VALUE;
    private long lastEmitted = Long.MIN_VALUE;

    /**
     * @param perSecond live: records per second over all readers, each stamped with the wall clock
     *     (index i is due i / perSecond after the start, whichever reader has it); 0 replays
     */
    ReplayReader(SourceReaderContext context, MemoryInput input, long shiftMs, double perSecond, ReplayGate gate) {
        this.context = context;
        this.input = input;
        this.shiftMs = shiftMs;
        this.live = perSecond > 0;
        this.perSecond = perSecond;
        this.batch = 64;
        this.gate = gate;
    }

    @Override
    public void start() {
        context.sendSplitRequest();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RawRecord> output) {
        ReplaySplit s = splits.peek();
        if (s == null) {
            return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }
        long due = Long.MAX_VALUE;
        if (live) {
            // on schedule: the readers emit each index at its time, so they keep step however
            // their partitions divide the records
            long now = System.currentTimeMillis();
            if (startedMs == 0) {
                startedMs = input.liveStart(now);
            }
            due = (long) ((now - startedMs) * perSecond / 1000.0) + 1;
            if (s.next >= due) {
                return InputStatus.NOTHING_AVAILABLE; // isAvailable() answers when the next is due
            }
        }
        int emitted = 0;
        // walks every index, emitting those of its partition; the walk per poll is bounded so the
        // task stays responsive (checkpoints, cancellation) whatever the partitions hold
        for (int looked = 0; emitted < batch && looked < 4096 && s.next < due; looked++) {
            if (gate != null && s.next >= gate.limit() && gate.holds(context.getIndexOfSubtask(), s.next)) {
                return InputStatus.NOTHING_AVAILABLE; // isAvailable() answers with the gate's release
            }
            if (s.next >= s.end) {
                splits.poll();
                if (splits.isEmpty()) {
                    splitsArrived = new CompletableFuture<>();
                    context.sendSplitRequest();
                }
                return InputStatus.MORE_AVAILABLE;
            }
            long index = s.next++;
            if (!input.readBy(index, s.position, s.readers)) {
                continue; // another reader's
            }
            if (live) {
                long now = System.currentTimeMillis();
                firstEmitted = Math.min(firstEmitted, now);
                lastEmitted = now;
                output.collect(input.live(index, startedMs + (long) (index * 1000.0 / perSecond)));
            } else {
                output.collect(input.replayed(index, shiftMs));
            }
            emitted++;
        }
        return InputStatus.MORE_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        ReplaySplit s = splits.peek();
        if (s == null) {
            return noMoreSplits ? CompletableFuture.completedFuture(null) : splitsArrived;
        }
        if (gate != null && s.next >= gate.limit() && gate.holds(context.getIndexOfSubtask(), s.next)) {
            return gate.released();
        }
        if (live && startedMs != 0) {
            long nextDueMs = startedMs + (long) Math.ceil(s.next * 1000.0 / perSecond);
            long wait = nextDueMs - System.currentTimeMillis();
            if (wait > 0) {
                return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<ReplaySplit> snapshotState(long checkpointId) {
        List<ReplaySplit> state = new ArrayList<>(splits.size());
        for (ReplaySplit s : splits) {
            state.add(s.copy());
        }
        ReplaySplit s = splits.peek();
        if (gate != null && s != null && s.next >= gate.limit() && gate.holds(context.getIndexOfSubtask(), s.next)) {
            gate.snapshotWhileHeld(context.getIndexOfSubtask(), checkpointId);
        }
        return state;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (gate != null) {
            gate.checkpointCompleted(context.getIndexOfSubtask(), checkpointId);
        }
    }

    @Override
    public void addSplits(List<ReplaySplit> added) {
        splits.addAll(added);
        splitsArrived.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        splitsArrived.complete(null);
    }

    @Override
    public void close() {
        if (live && lastEmitted != Long.MIN_VALUE) {
            IncidentLog.fed(firstEmitted, lastEmitted);
        }
    }
}
