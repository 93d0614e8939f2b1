package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RunEventType;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class FinishedRunsHarnessTest {
    private static final long DAY = 24 * 3600 * 1000L;
    private static final long T0 = 1_793_613_600_000L;

    private static Envelope run(String runId, RunEventType type, long time) {
        PipelineRunEvent r = new PipelineRunEvent();
        r.runId = runId;
        r.eventType = type;
        r.eventTime = time;
        r.jobNamespace = "dbt";
        r.jobName = "analytics.orders";
        return Envelope.of("lineage", r);
    }

    private static void add(KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> h, Envelope e)
            throws Exception {
        h.processElement(e, e.eventTime);
    }

    private static List<RowValues> rows(KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> h) {
        return RowValues.of(VigilTables.PIPELINE_RUNS, h.extractOutputValues());
    }

    @Test
    void aFinishAfterItsStartIsWrittenAtOnceWithItsDuration() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> h = OperatorHarnesses.of(FinishedRuns::of);
        add(h, run("r1", RunEventType.START, T0));
        add(h, run("r1", RunEventType.RUNNING, T0 + 1_000));
        assertThat(rows(h)).isEmpty();
        add(h, run("r1", RunEventType.COMPLETE, T0 + 90_000));
        List<RowValues> rows = rows(h);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("started_at")).isEqualTo(T0);
        assertThat(rows.get(0).get("duration_ms")).isEqualTo(90_000L);
        assertThat(rows.get(0).get("status")).isEqualTo("COMPLETE");

        add(h, run("r1", RunEventType.COMPLETE, T0 + 90_000));
        assertThat(rows(h)).as("a repeated finish is dropped").hasSize(1);

        h.processWatermark(T0 + 90_000 + FinishedRuns.RETENTION.toMillis());
        assertThat(h.numKeyedStateEntries()).as("state removed after the retention").isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aFinishBeforeItsStartWaitsForTheWatermarkAndSurvivesARestart() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> h = OperatorHarnesses.of(FinishedRuns::of);
        add(h, run("late-start", RunEventType.FAIL, T0 + 60_000));
        add(h, run("no-start", RunEventType.ABORT, T0 + 60_000));
        assertThat(rows(h)).isEmpty();

        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        h.close();
        h = OperatorHarnesses.restored(FinishedRuns::of, snapshot);

        add(h, run("late-start", RunEventType.START, T0));
        List<RowValues> rows = rows(h);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("run_id")).isEqualTo("late-start");
        assertThat(rows.get(0).get("status")).isEqualTo("FAIL");
        assertThat(rows.get(0).get("duration_ms")).isEqualTo(60_000L);

        h.processWatermark(T0 + 60_000);
        rows = rows(h);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("run_id")).isEqualTo("no-start");
        assertThat(rows.get(1).get("status")).isEqualTo("ABORT");
        assertThat(rows.get(1).get("started_at")).isNull();
        assertThat(rows.get(1).get("duration_ms")).isNull();

        h.processWatermark(T0 + 60_000 + FinishedRuns.RETENTION.toMillis());
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aStartWhoseRunNeverFinishesIsForgottenAfterTheRetention() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> h = OperatorHarnesses.of(FinishedRuns::of);
        add(h, run("hung", RunEventType.START, T0));
        h.processWatermark(T0 + DAY);
        assertThat(h.numKeyedStateEntries()).isGreaterThan(0);
        h.processWatermark(T0 + FinishedRuns.RETENTION.toMillis());
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(rows(h)).isEmpty();
        h.close();
    }

    /** Finishes waiting for their start (an Envelope in keyed state). */
    private static OperatorSubtaskState stateWithWaitingFinishes() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> h = OperatorHarnesses.of(FinishedRuns::of);
        add(h, run("late-start", RunEventType.FAIL, T0 + 60_000));
        add(h, run("no-start", RunEventType.ABORT, T0 + 60_000));
        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        h.close();
        return snapshot;
    }

    /** The rows written after restoring {@code state}: one run's start arrives, then the watermark. */
    private static List<String> afterRestore(OperatorSubtaskState state) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> h =
                OperatorHarnesses.restored(FinishedRuns::of, state);
        add(h, run("late-start", RunEventType.START, T0));
        h.processWatermark(T0 + 60_000);
        List<String> rows = rows(h).stream().map(r -> r.get("job_name") + " " + r.get("run_id") + " "
                + r.get("status") + " " + r.get("started_at") + " " + r.get("duration_ms")).collect(Collectors.toList());
        h.close();
        return rows;
    }

    @Test
    void waitingFinishesWrittenByThePreviousPojoSerializerRestore() throws Exception {
        OperatorSubtaskState previous = OperatorSnapshotUtil.readStateHandle(
                Paths.get(getClass().getResource("/state/finished-runs-waiting-pojo.snapshot").toURI()).toString());
        assertThat(afterRestore(previous)).isEqualTo(afterRestore(stateWithWaitingFinishes())).containsExactly(
                "analytics.orders late-start FAIL " + T0 + " 60000", "analytics.orders no-start ABORT null null");
    }
}
