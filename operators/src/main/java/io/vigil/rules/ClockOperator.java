package io.vigil.rules;

import io.vigil.model.Envelope;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Emits the greatest valid event time seen across all inputs as clock ticks for the broadcast
 * control stream (run with parallelism 1). Ticks are thinned to one per second of event time, but
 * the exact maximum is always emitted before a watermark is forwarded, so an evaluator that has
 * seen watermark W has seen every event time up to the ticks before W: deadlines past the last
 * tick lie beyond the input, and are not fired when a bounded input ends.
 */
public class ClockOperator extends AbstractStreamOperator<Control> implements OneInputStreamOperator<Envelope, Control> {
    private static final long serialVersionUID = 1L;
    private static final long GRANULARITY_MS = 1000;

    private transient long max;
    private transient long emitted;
    private transient ListState<Long> state;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("clock", Types.LONG));
        max = Long.MIN_VALUE;
        for (Long v : state.get()) {
            max = Math.max(max, v);
        }
        emitted = max;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(java.util.Collections.singletonList(max));
    }

    @Override
    public void processElement(StreamRecord<Envelope> element) {
        Envelope e = element.getValue();
        if (!e.isValid() || e.eventTime <= max) {
            return;
        }
        max = e.eventTime;
        if (emitted == Long.MIN_VALUE || max - emitted >= GRANULARITY_MS) {
            emit();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (max > emitted) {
            emit();
        }
        super.processWatermark(mark);
    }

    private void emit() {
        emitted = max;
        output.collect(new StreamRecord<>(Control.tick(max)));
    }
}
