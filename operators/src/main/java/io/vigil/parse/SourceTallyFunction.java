package io.vigil.parse;

import io.vigil.model.Envelope;
import io.vigil.model.SourceTally;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per source (the key), counts records read, valid, invalid by reason and late, and emits the
 * tally once the input is complete (the final watermark), then clears its state. Used by replay;
 * as keyed state the counts are exact across restarts, unlike metrics or accumulators.
 */
public class SourceTallyFunction extends KeyedProcessFunction<String, Envelope, SourceTally> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<SourceTally> tally;

    @Override
    public void open(Configuration parameters) {
        tally = getRuntimeContext().getState(new ValueStateDescriptor<>("tally", SourceTally.class));
    }

    @Override
    public void processElement(Envelope e, Context ctx, Collector<SourceTally> out) throws Exception {
        SourceTally t = tally.value();
        if (t == null) {
            t = new SourceTally(e.source);
            // fires only on the final watermark of a bounded input
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        t.add(e);
        tally.update(t);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SourceTally> out) throws Exception {
        SourceTally t = tally.value();
        if (t != null) {
            out.collect(t);
        }
        tally.clear();
    }
}
