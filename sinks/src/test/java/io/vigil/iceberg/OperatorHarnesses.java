package io.vigil.iceberg;

import io.vigil.model.Envelope;
import java.util.Collections;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;

/**
 * Test harnesses around the keyed operators exactly as the production code wires them: the
 * operator, key selector and key type are taken from the stream the wiring method returns.
 */
final class OperatorHarnesses {
    /** Builds a keyed operator from envelopes, as a wiring method such as AuthUserFeatures.of does. */
    interface Wiring {
        SingleOutputStreamOperator<RowData> wire(DataStream<Envelope> envelopes);
    }

    private OperatorHarnesses() {}

    /** An opened harness with empty state. */
    static KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> of(Wiring wiring) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> h = unopened(wiring);
        h.open();
        return h;
    }

    /** An opened harness restored from a snapshot of another, as after a restart. */
    static KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> restored(
            Wiring wiring, OperatorSubtaskState snapshot) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> h = unopened(wiring);
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> unopened(Wiring wiring)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Envelope> in = env.fromData(Collections.emptyList(), TypeInformation.of(Envelope.class));
        OneInputTransformation<Envelope, RowData> t =
                (OneInputTransformation<Envelope, RowData>) wiring.wire(in).getTransformation();
        StreamOperatorFactory<RowData> operator = t.getOperatorFactory();
        KeySelector<Envelope, String> key = (KeySelector<Envelope, String>) t.getStateKeySelector();
        KeyedOneInputStreamOperatorTestHarness<String, Envelope, RowData> h =
                new KeyedOneInputStreamOperatorTestHarness<>(operator, key, (TypeInformation<String>) t.getStateKeyType());
        return h;
    }
}
