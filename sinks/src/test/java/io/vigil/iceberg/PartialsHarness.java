package io.vigil.iceberg;

import io.vigil.model.Envelope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;

/**
 * A derived table's two stages as the production code wires them: the {@link LocalWindowAggregate}
 * in its own harness, whose partials and watermarks feed the merging window's keyed harness, as the
 * network would. Snapshots are the window's: the local stage flushes before the barrier.
 */
final class PartialsHarness<ACC> implements AutoCloseable {
    private final OneInputStreamOperatorTestHarness<Envelope, WindowPartial<ACC>> local;
    private final LocalWindowAggregate<Envelope, ACC> localOperator;
    final KeyedOneInputStreamOperatorTestHarness<String, WindowPartial<ACC>, RowData> window;
    /** Partials the window got: what crossed the network. */
    final List<WindowPartial<ACC>> shipped = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private PartialsHarness(OperatorHarnesses.Wiring wiring, OperatorSubtaskState restore) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Envelope> in = env.fromData(Collections.emptyList(), TypeInformation.of(Envelope.class));
        OneInputTransformation<WindowPartial<ACC>, RowData> w =
                (OneInputTransformation<WindowPartial<ACC>, RowData>) wiring.wire(in).getTransformation();
        Transformation<?> t = w.getInputs().get(0); // the keyBy
        while (!(t instanceof OneInputTransformation
                && ((OneInputTransformation<?, ?>) t).getOperatorFactory() instanceof SimpleOperatorFactory
                && ((SimpleOperatorFactory<?>) ((OneInputTransformation<?, ?>) t).getOperatorFactory()).getOperator()
                        instanceof LocalWindowAggregate)) {
            t = t.getInputs().get(0);
        }
        localOperator = (LocalWindowAggregate<Envelope, ACC>)
                ((SimpleOperatorFactory<?>) ((OneInputTransformation<?, ?>) t).getOperatorFactory()).getOperator();
        local = new OneInputStreamOperatorTestHarness<>(localOperator);
        local.open();
        window = new KeyedOneInputStreamOperatorTestHarness<>(w.getOperatorFactory(),
                (KeySelector<WindowPartial<ACC>, String>) w.getStateKeySelector(), (TypeInformation<String>) w.getStateKeyType());
        if (restore != null) {
            window.initializeState(restore);
        }
        window.open();
    }

    static <ACC> PartialsHarness<ACC> of(OperatorHarnesses.Wiring wiring) throws Exception {
        return new PartialsHarness<>(wiring, null);
    }

    static <ACC> PartialsHarness<ACC> restored(OperatorHarnesses.Wiring wiring, OperatorSubtaskState s) throws Exception {
        return new PartialsHarness<>(wiring, s);
    }

    void processElement(Envelope e, long timestamp) throws Exception {
        local.processElement(e, timestamp);
        forward();
    }

    void processWatermark(long t) throws Exception {
        local.processWatermark(t);
        forward();
    }

    /** The local stage flushes before the barrier; the snapshot is the window's. */
    OperatorSubtaskState snapshot(long checkpointId, long timestamp) throws Exception {
        local.prepareSnapshotPreBarrier(checkpointId);
        forward();
        if (localOperator.openWindows() != 0) {
            throw new IllegalStateException("the local stage kept windows over a checkpoint");
        }
        return window.snapshot(checkpointId, timestamp);
    }

    @SuppressWarnings("unchecked")
    private void forward() throws Exception {
        for (Object o : new ArrayList<>(local.getOutput())) {
            if (o instanceof StreamRecord) {
                StreamRecord<WindowPartial<ACC>> r = (StreamRecord<WindowPartial<ACC>>) o;
                shipped.add(r.getValue());
                window.processElement(r);
            } else if (o instanceof Watermark) {
                window.processWatermark((Watermark) o);
            }
        }
        local.getOutput().clear();
    }

    List<RowData> extractOutputValues() {
        return window.extractOutputValues();
    }

    int numKeyedStateEntries() {
        return window.numKeyedStateEntries();
    }

    int numEventTimeTimers() {
        return window.numEventTimeTimers();
    }

    int localOpenWindows() {
        return localOperator.openWindows();
    }

    @Override
    public void close() throws Exception {
        local.close();
        window.close();
    }
}
