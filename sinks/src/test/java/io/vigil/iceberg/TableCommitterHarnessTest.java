package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The table writer and committer driven by hand: real data files in a real (local) warehouse,
 * checkpoints, ends of input and restores in the orders a job meets them.
 */
class TableCommitterHarnessTest {
    @RegisterExtension
    final HadoopCatalogExtension warehouse = new HadoopCatalogExtension();

    private static final CuratedTable TABLE = VigilTables.METRIC_SAMPLES;
    private static final long T0 = 1_793_613_600_000L;
    /** As a uid gives it in a job: the same across restarts, which is how a restore finds its commits. */
    private final OperatorID committerId = new OperatorID();

    @BeforeEach
    void createTable() {
        IcebergTables.in(warehouse.config()).createMissingTables();
    }

    private static RowData sample(long value) {
        return TABLE.newRow().setString("name", "rows_loaded").setDouble("value", (double) value)
                .setTimestamp("event_time", T0 + value * 1000).setString("source", "harness").build();
    }

    private OneInputStreamOperatorTestHarness<RowData, Tuple2<Long, byte[]>> writer(int subtask) throws Exception {
        OneInputStreamOperatorTestHarness<RowData, Tuple2<Long, byte[]>> h = new OneInputStreamOperatorTestHarness<>(
                new TableFileWriter(warehouse.config().tableLoader(TABLE)), 2, 2, subtask);
        h.open();
        return h;
    }

    private OneInputStreamOperatorTestHarness<Tuple2<Long, byte[]>, Void> committer(OperatorSubtaskState restored)
            throws Exception {
        OneInputStreamOperatorTestHarness<Tuple2<Long, byte[]>, Void> h = new OneInputStreamOperatorTestHarness<>(
                new TableCommitter(warehouse.config().tableLoader(TABLE)), 1, 1, 0,
                TableFileWriter.FILES.createSerializer(new SerializerConfigImpl()), committerId);
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
        return h;
    }

    /** Writes {@code values} and returns what the writer sends when it closes its files under {@code label}. */
    private static List<Tuple2<Long, byte[]>> write(OneInputStreamOperatorTestHarness<RowData, Tuple2<Long, byte[]>> w,
            long label, long... values) throws Exception {
        for (long v : values) {
            w.processElement(new StreamRecord<>(sample(v)));
        }
        if (label == TableFileWriter.END_OF_INPUT) {
            w.endInput();
        } else {
            w.prepareSnapshotPreBarrier(label);
        }
        List<Tuple2<Long, byte[]>> sent = new ArrayList<>();
        for (Object o : w.getOutput()) {
            if (o instanceof StreamRecord) {
                @SuppressWarnings("unchecked")
                Tuple2<Long, byte[]> files = ((StreamRecord<Tuple2<Long, byte[]>>) o).getValue();
                sent.add(files);
            }
        }
        w.getOutput().clear();
        return sent;
    }

    private static void send(OneInputStreamOperatorTestHarness<Tuple2<Long, byte[]>, Void> c,
            List<Tuple2<Long, byte[]>> files) throws Exception {
        for (Tuple2<Long, byte[]> f : files) {
            c.processElement(new StreamRecord<>(f));
        }
    }

    private TreeSet<Double> committedValues() {
        TreeSet<Double> values = new TreeSet<>();
        List<Record> rows = warehouse.rows(TABLE);
        for (Record r : rows) {
            values.add((Double) r.getField("value"));
        }
        assertThat(rows).as("no row twice").hasSize(values.size());
        return values;
    }

    private static TreeSet<Double> values(long from, long to) {
        TreeSet<Double> out = new TreeSet<>();
        for (long v = from; v <= to; v++) {
            out.add((double) v);
        }
        return out;
    }

    @Test
    void writersEndingWithACheckpointBetweenThemAreCommittedTogether() throws Exception {
        OneInputStreamOperatorTestHarness<RowData, Tuple2<Long, byte[]>> a = writer(0);
        OneInputStreamOperatorTestHarness<RowData, Tuple2<Long, byte[]>> b = writer(1);
        OneInputStreamOperatorTestHarness<Tuple2<Long, byte[]>, Void> c = committer(null);
        send(c, write(a, 1, 0, 1));
        send(c, write(b, 1, 10, 11));
        c.snapshot(1, 1);
        c.notifyOfCompletedCheckpoint(1);
        assertThat(committedValues()).isEqualTo(new TreeSet<>(List.of(0.0, 1.0, 10.0, 11.0)));

        send(c, write(a, TableFileWriter.END_OF_INPUT, 2, 3)); // a ends first
        send(c, write(b, 2, 12));
        c.snapshot(2, 2); // FlinkSink's committer stored a's last files here, and b's end replaced them
        c.notifyOfCompletedCheckpoint(2);
        assertThat(committedValues()).as("a's last files wait for b's end").doesNotContain(2.0, 3.0).contains(12.0);
        send(c, write(b, TableFileWriter.END_OF_INPUT, 13));
        c.endInput();
        assertThat(committedValues()).containsExactly(0.0, 1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 13.0);
        a.close();
        b.close();
        c.close();
    }

    @Test
    void aRestoreCommitsWhatItsCheckpointHeldExactlyOnce() throws Exception {
        OneInputStreamOperatorTestHarness<RowData, Tuple2<Long, byte[]>> a = writer(0);
        OneInputStreamOperatorTestHarness<Tuple2<Long, byte[]>, Void> c = committer(null);
        send(c, write(a, 1, 0, 1, 2));
        OperatorSubtaskState checkpoint1 = c.snapshot(1, 1);
        c.close(); // lost before checkpoint 1 was known complete: nothing committed yet
        assertThat(warehouse.table(TABLE).currentSnapshot()).isNull();

        OneInputStreamOperatorTestHarness<Tuple2<Long, byte[]>, Void> again = committer(checkpoint1);
        assertThat(committedValues()).isEqualTo(values(0, 2));
        again.close();
        // a second restore from the same checkpoint finds its files committed
        OneInputStreamOperatorTestHarness<Tuple2<Long, byte[]>, Void> third = committer(checkpoint1);
        third.notifyOfCompletedCheckpoint(1);
        assertThat(committedValues()).isEqualTo(values(0, 2));
        third.close();
        a.close();
    }

    @Test
    void aWritersEndHeldInACheckpointIsCommittedWhenTheOthersEndAfterARestore() throws Exception {
        OneInputStreamOperatorTestHarness<RowData, Tuple2<Long, byte[]>> a = writer(0);
        OneInputStreamOperatorTestHarness<RowData, Tuple2<Long, byte[]>> b = writer(1);
        OneInputStreamOperatorTestHarness<Tuple2<Long, byte[]>, Void> c = committer(null);
        send(c, write(a, TableFileWriter.END_OF_INPUT, 0, 1));
        send(c, write(b, 1, 10));
        OperatorSubtaskState checkpoint1 = c.snapshot(1, 1);
        c.close();

        OneInputStreamOperatorTestHarness<Tuple2<Long, byte[]>, Void> restored = committer(checkpoint1);
        assertThat(committedValues()).as("checkpoint 1's files at once, a's end not yet").containsExactly(10.0);
        send(restored, write(b, TableFileWriter.END_OF_INPUT, 11)); // b re-runs from checkpoint 1; a had ended
        restored.endInput();
        assertThat(committedValues()).containsExactly(0.0, 1.0, 10.0, 11.0);
        Snapshot last = warehouse.table(TABLE).currentSnapshot();
        assertThat(last.summary()).containsKey("flink.job-id").containsEntry("flink.operator-id", committerId.toString())
                .containsEntry("flink.max-committed-checkpoint-id", Long.toString(Long.MAX_VALUE));
        restored.close();
        a.close();
        b.close();
    }

    @Test
    void aWriterSendsNothingTwiceAndNothingWhenIdle() throws Exception {
        OneInputStreamOperatorTestHarness<RowData, Tuple2<Long, byte[]>> a = writer(0);
        assertThat(write(a, 1)).as("nothing written: nothing sent").isEmpty();
        assertThat(write(a, 2, 5)).hasSize(1).allMatch(f -> f.f0 == 2L);
        assertThat(write(a, TableFileWriter.END_OF_INPUT, 6)).hasSize(1).allMatch(f -> f.f0 == TableFileWriter.END_OF_INPUT);
        a.prepareSnapshotPreBarrier(3); // a checkpoint after the end
        assertThat(a.getOutput()).isEmpty();
        a.close();
    }
}
