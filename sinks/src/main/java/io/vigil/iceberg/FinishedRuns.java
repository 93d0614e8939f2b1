package io.vigil.iceberg;

import io.vigil.model.Envelope;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RunEventType;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * The pipeline_runs rows: one per finished run, keyed by run id, with the start time of the run's
 * START event. A finish whose START has not been seen waits until the watermark passes the finish
 * (a START out of order arrives by then) and is written without a start. A repeated finish of a
 * written run is dropped. A run's state is removed {@link #RETENTION} of event time after its last
 * event, so a START whose run never finishes does not stay forever.
 */
public class FinishedRuns extends KeyedProcessFunction<String, Envelope, RowData> {
    private static final long serialVersionUID = 1L;

    /** How long a run's state outlives its last event; runs longer than this lose their start. */
    public static final Duration RETENTION = Duration.ofDays(2);

    private transient ValueState<Long> startedAt;
    private transient ValueState<Envelope> waitingFinish;
    private transient ValueState<Boolean> written;
    private transient ValueState<Long> cleanupAt;

    /** Rows from the pipeline-run envelopes of a stream with event time. */
    public static SingleOutputStreamOperator<RowData> of(DataStream<Envelope> envelopes) {
        return envelopes
                .filter(e -> e.run != null)
                .name("run events")
                .uid("iceberg-pipeline-runs-input")
                .setParallelism(envelopes.getParallelism()) // chained to its input
                .keyBy(e -> e.run.runId, Types.STRING)
                .process(new FinishedRuns(), VigilTables.PIPELINE_RUNS.typeInfo())
                .name("finished runs")
                .uid("iceberg-pipeline-runs");
    }

    @Override
    public void open(OpenContext openContext) {
        startedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("started-at", Types.LONG));
        waitingFinish = getRuntimeContext().getState(
                new ValueStateDescriptor<>("waiting-finish", TypeInformation.of(Envelope.class)));
        written = getRuntimeContext().getState(new ValueStateDescriptor<>("written", Types.BOOLEAN));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
    }

    @Override
    public void processElement(Envelope e, Context ctx, Collector<RowData> out) throws Exception {
        PipelineRunEvent run = e.run;
        if (run.eventType == RunEventType.START) {
            Long known = startedAt.value();
            if (known == null || run.eventTime < known) {
                startedAt.update(run.eventTime);
            }
            Envelope finish = waitingFinish.value();
            if (finish != null) {
                write(finish, out);
            }
        } else if (TableRows.isFinish(run.eventType) && written.value() == null && waitingFinish.value() == null) {
            if (startedAt.value() != null) {
                write(e, out);
            } else {
                waitingFinish.update(e);
                ctx.timerService().registerEventTimeTimer(run.eventTime);
            }
        }
        extendRetention(run.eventTime, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RowData> out) throws Exception {
        Envelope finish = waitingFinish.value();
        if (finish != null && timestamp >= finish.run.eventTime) {
            write(finish, out);
        }
        Long cleanup = cleanupAt.value();
        if (cleanup != null && timestamp >= cleanup) {
            startedAt.clear();
            waitingFinish.clear();
            written.clear();
            cleanupAt.clear();
        }
    }

    private void write(Envelope finish, Collector<RowData> out) throws Exception {
        out.collect(TableRows.pipelineRun(finish, startedAt.value()));
        waitingFinish.clear();
        written.update(true);
    }

    private void extendRetention(long eventTime, Context ctx) throws Exception {
        long at = eventTime + RETENTION.toMillis();
        Long current = cleanupAt.value();
        if (current != null && current >= at) {
            return;
        }
        if (current != null) {
            ctx.timerService().deleteEventTimeTimer(current);
        }
        cleanupAt.update(at);
        ctx.timerService().registerEventTimeTimer(at);
    }
}
