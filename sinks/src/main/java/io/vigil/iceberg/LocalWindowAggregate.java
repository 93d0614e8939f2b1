package io.vigil.iceberg;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Pre-aggregates a tumbling event-time window per key in the subtask where the events are (chained
 * after parsing), and sends the window that merges them one {@link WindowPartial} per key, window
 * and subtask instead of every event. A partial leaves when the watermark closes its window and at
 * every checkpoint barrier, so the operator holds no state of its own. The merging window takes
 * and drops what it would have of the events themselves: a partial is stamped with its window's
 * last millisecond and leaves before this subtask's watermark passes it, and an event already
 * behind that watermark leaves at once, alone.
 */
public final class LocalWindowAggregate<IN, ACC> extends AbstractStreamOperator<WindowPartial<ACC>>
        implements OneInputStreamOperator<IN, WindowPartial<ACC>> {
    private static final long serialVersionUID = 1L;

    private final long sizeMs;
    private final KeySelector<IN, String> key;
    private final AggregateFunction<IN, ACC, ?> aggregate;
    /** Open windows by start, then by key. */
    private transient TreeMap<Long, Map<String, ACC>> open;
    private transient long watermark;

    LocalWindowAggregate(long sizeMs, KeySelector<IN, String> key, AggregateFunction<IN, ACC, ?> aggregate) {
        this.sizeMs = sizeMs;
        this.key = key;
        this.aggregate = aggregate;
        // AbstractStreamOperator defaults to HEAD: unchained, every input would be serialized to it
        this.chainingStrategy = ChainingStrategy.ALWAYS;
    }

    /**
     * {@code events} pre-aggregated in their own chain, keyed and windowed for the merge: the
     * caller adds {@code .aggregate(new LocalWindowAggregate.Merge<>(aggregate), ...)}.
     */
    public static <IN, ACC> WindowedStream<WindowPartial<ACC>, String, TimeWindow> of(DataStream<IN> events,
            KeySelector<IN, String> key, java.time.Duration size, AggregateFunction<IN, ACC, ?> aggregate,
            TypeInformation<ACC> acc, String uid, String name) {
        return events
                .transform(name, WindowPartial.typeInfo(acc), new LocalWindowAggregate<>(size.toMillis(), key, aggregate))
                .uid(uid)
                .setParallelism(events.getParallelism()) // chained to its input
                .keyBy(p -> p.key, Types.STRING)
                .window(TumblingEventTimeWindows.of(size));
    }

    @Override
    public void open() throws Exception {
        super.open();
        open = new TreeMap<>();
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<IN> element) throws Exception {
        long ts = element.getTimestamp();
        long start = TimeWindow.getWindowStartWithOffset(ts, 0, sizeMs);
        IN in = element.getValue();
        if (start + sizeMs - 1 <= watermark) {
            // behind this subtask's watermark: passed on at once, alone, so the merging window
            // judges it by its own watermark (the slowest input's) as it would the event
            ACC acc = aggregate.add(in, aggregate.createAccumulator());
            output.collect(new StreamRecord<>(new WindowPartial<>(key.getKey(in), start, acc), start + sizeMs - 1));
            return;
        }
        Map<String, ACC> window = open.computeIfAbsent(start, s -> new HashMap<>());
        String k = key.getKey(in);
        ACC acc = window.get(k);
        ACC added = aggregate.add(in, acc == null ? aggregate.createAccumulator() : acc);
        if (added != acc) {
            window.put(k, added); // a second lookup only for a new key or an aggregate that copies
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        Iterator<Map.Entry<Long, Map<String, ACC>>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Map<String, ACC>> w = it.next();
            if (w.getKey() + sizeMs - 1 > watermark) {
                break;
            }
            emit(w.getKey(), w.getValue());
            it.remove();
        }
        super.processWatermark(mark);
    }

    /** Everything open leaves before the barrier: nothing to checkpoint, nothing lost on restore. */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flushAll();
    }

    @Override
    public void finish() throws Exception {
        flushAll();
        super.finish();
    }

    private void flushAll() {
        for (Map.Entry<Long, Map<String, ACC>> w : open.entrySet()) {
            emit(w.getKey(), w.getValue());
        }
        open.clear();
    }

    private void emit(long start, Map<String, ACC> window) {
        StreamRecord<WindowPartial<ACC>> out = new StreamRecord<>(null, start + sizeMs - 1);
        for (Map.Entry<String, ACC> e : window.entrySet()) {
            output.collect(out.replace(new WindowPartial<>(e.getKey(), start, e.getValue())));
        }
    }

    /** Windows open here now (for tests). */
    int openWindows() {
        return open.size();
    }

    /** The merging side: each partial's accumulator merged into the window's, by the aggregate's own merge. */
    public static final class Merge<ACC> implements AggregateFunction<WindowPartial<ACC>, ACC, ACC> {
        private static final long serialVersionUID = 1L;
        private final AggregateFunction<?, ACC, ?> aggregate;

        public Merge(AggregateFunction<?, ACC, ?> aggregate) {
            this.aggregate = aggregate;
        }

        @Override
        public ACC createAccumulator() {
            return aggregate.createAccumulator();
        }

        @Override
        public ACC add(WindowPartial<ACC> partial, ACC acc) {
            return aggregate.merge(acc, partial.acc);
        }

        @Override
        public ACC getResult(ACC acc) {
            return acc;
        }

        @Override
        public ACC merge(ACC a, ACC b) {
            return aggregate.merge(a, b);
        }
    }
}
