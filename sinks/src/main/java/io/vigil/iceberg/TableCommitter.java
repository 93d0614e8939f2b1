package io.vigil.iceberg;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.InstantiationUtil;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.SinkUtil;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Commits the data files of one curated table's {@link TableFileWriter}s, exactly once: files
 * closed before checkpoint N are committed when N completes; files a writer closed at its input's
 * end wait, across checkpoints, until every writer has ended, and are committed together. (Iceberg's
 * FlinkSink committer kept one entry for those and let the last writer's replace an earlier one's
 * once a checkpoint fell between them: IcebergUnevenEndITCase.) Every commit carries the job id,
 * this operator's id and the checkpoint it covers in its snapshot summary ({@code flink.*}, as
 * FlinkSink's do), which is how a restart tells what its checkpoint's files already made it in.
 * Parallelism 1.
 */
public final class TableCommitter extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<Tuple2<Long, byte[]>, Void>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private static final ListStateDescriptor<Tuple2<Long, byte[]>> PENDING =
            new ListStateDescriptor<>("pending-files", TableFileWriter.FILES);
    private static final ListStateDescriptor<String> JOB_ID = new ListStateDescriptor<>("job-id", Types.STRING);

    private final TableLoader tableLoader;
    private transient Table table;
    private transient String jobId;
    private transient String operatorId;
    /** Serialized write results not yet committed, by the checkpoint they belong to. */
    private transient NavigableMap<Long, List<byte[]>> pending;
    private transient long maxCommitted;
    private transient ListState<Tuple2<Long, byte[]>> pendingState;
    private transient ListState<String> jobIdState;

    TableCommitter(TableLoader tableLoader) {
        this.tableLoader = tableLoader;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        jobId = getContainingTask().getEnvironment().getJobID().toString();
        operatorId = getRuntimeContext().getOperatorUniqueID();
        tableLoader.open();
        table = tableLoader.loadTable();
        pending = new TreeMap<>();
        maxCommitted = -1;
        pendingState = context.getOperatorStateStore().getListState(PENDING);
        jobIdState = context.getOperatorStateStore().getListState(JOB_ID);
        if (!context.isRestored()) {
            return;
        }
        Iterator<String> restoredJob = jobIdState.get().iterator();
        if (!restoredJob.hasNext()) {
            return;
        }
        String restoredJobId = restoredJob.next();
        maxCommitted = maxCommittedCheckpoint(restoredJobId);
        for (Tuple2<Long, byte[]> p : pendingState.get()) {
            if (p.f0 > maxCommitted) {
                pending.computeIfAbsent(p.f0, k -> new ArrayList<>()).add(p.f1);
            }
        }
        // what the restored checkpoint held and no commit took yet: committed now, under the job
        // that wrote it, so a second restart from the same checkpoint skips it. Files of writers
        // that had ended stay pending: the writers still running end later, and all end together.
        NavigableMap<Long, List<byte[]>> checkpointed = pending.headMap(TableFileWriter.END_OF_INPUT, false);
        if (!checkpointed.isEmpty()) {
            long last = checkpointed.lastKey();
            commit(checkpointed, restoredJobId, last);
            maxCommitted = last;
        }
    }

    @Override
    public void processElement(StreamRecord<Tuple2<Long, byte[]>> element) {
        Tuple2<Long, byte[]> files = element.getValue();
        pending.computeIfAbsent(files.f0, k -> new ArrayList<>()).add(files.f1);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<Tuple2<Long, byte[]>> all = new ArrayList<>();
        for (Map.Entry<Long, List<byte[]>> e : pending.entrySet()) {
            for (byte[] files : e.getValue()) {
                all.add(Tuple2.of(e.getKey(), files));
            }
        }
        pendingState.update(all);
        jobIdState.update(List.of(jobId));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        // a late notification of an older checkpoint finds its files committed with a newer one
        if (checkpointId > maxCommitted) {
            commit(pending.headMap(checkpointId, true), jobId, checkpointId);
            maxCommitted = checkpointId;
        }
    }

    @Override
    public void endInput() throws Exception {
        // every writer has ended: its files, those of the writers that ended earlier, and any
        // closed before a checkpoint that never completed
        if (!pending.isEmpty()) {
            long last = pending.lastKey();
            commit(pending, jobId, last);
            maxCommitted = last;
        }
    }

    /** Commits {@code files} in one snapshot labelled {@code checkpointId}, and removes them from pending. */
    private void commit(NavigableMap<Long, List<byte[]>> files, String job, long checkpointId)
            throws IOException, ClassNotFoundException {
        if (files.isEmpty()) {
            return;
        }
        AppendFiles append = table.newAppend();
        int count = 0;
        for (List<byte[]> results : files.values()) {
            for (byte[] serialized : results) {
                WriteResult result = InstantiationUtil.deserializeObject(serialized, getUserCodeClassloader());
                for (DataFile f : result.dataFiles()) {
                    append.appendFile(f);
                    count++;
                }
            }
        }
        if (count > 0) {
            append.set(SinkUtil.MAX_COMMITTED_CHECKPOINT_ID, Long.toString(checkpointId));
            append.set(SinkUtil.FLINK_JOB_ID, job);
            append.set(SinkUtil.OPERATOR_ID, operatorId);
            append.commit();
        }
        files.clear();
    }

    /** The newest checkpoint of {@code job} this operator committed to the table, or -1. */
    private long maxCommittedCheckpoint(String job) {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return -1;
        }
        for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            Map<String, String> summary = s.summary();
            if (job.equals(summary.get(SinkUtil.FLINK_JOB_ID)) && operatorId.equals(summary.get(SinkUtil.OPERATOR_ID))) {
                String id = summary.get(SinkUtil.MAX_COMMITTED_CHECKPOINT_ID);
                if (id != null) {
                    return Long.parseLong(id);
                }
            }
        }
        return -1;
    }

    @Override
    public void close() throws Exception {
        try {
            tableLoader.close();
        } finally {
            super.close();
        }
    }
}
