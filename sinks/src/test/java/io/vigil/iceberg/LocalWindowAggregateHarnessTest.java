package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Pre-aggregating where the events are gives the merging window exactly the results the window
 * gives on the events themselves, late events and checkpoints included, and leaves nothing behind.
 */
class LocalWindowAggregateHarnessTest {
    private static final long SIZE = 100;

    /** Counts and sums values. */
    static final class Sum implements AggregateFunction<Long, long[], long[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(Long v, long[] acc) {
            acc[0]++;
            acc[1] += v;
            return acc;
        }

        @Override
        public long[] getResult(long[] acc) {
            return acc;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            return new long[] {a[0] + b[0], a[1] + b[1]};
        }
    }

    /** key, window start, count, sum. */
    static final class Row extends ProcessWindowFunction<long[], String, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String key, Context ctx, Iterable<long[]> in, Collector<String> out) {
            long[] a = in.iterator().next();
            out.collect(key + "@" + ctx.window().getStart() + " n=" + a[0] + " sum=" + a[1]);
        }
    }

    private static final KeySelector<Long, String> KEY = v -> "k" + (v % 5);
    private static final TypeInformation<long[]> ACC = TypeInformation.of(long[].class);

    /** A stream of values at shuffled times, watermarks trailing, some events late. */
    private static List<Object> stream(long seed) {
        Random r = new Random(seed);
        List<Object> out = new ArrayList<>();
        long maxSeen = 0;
        for (long i = 0; i < 3_000; i++) {
            long t = i * 2 + r.nextInt(120) - 60; // out of order by up to 60 ms, a few past the watermark
            out.add(new StreamRecord<>(i, Math.max(0, t)));
            maxSeen = Math.max(maxSeen, t);
            if (r.nextInt(10) == 0) {
                out.add(new Watermark(maxSeen - 40));
            }
            if (r.nextInt(200) == 0) {
                out.add("checkpoint");
            }
        }
        out.add(new Watermark(Long.MAX_VALUE));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, Object, String> window(DataStream<?> wired)
            throws Exception {
        OneInputTransformation<Object, String> t = (OneInputTransformation<Object, String>) wired.getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(t.getOperatorFactory(),
                (KeySelector<Object, String>) t.getStateKeySelector(), (TypeInformation<String>) t.getStateKeyType());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void theMergedWindowsEqualTheWindowsOfTheEvents() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Long> in = env.fromData(Collections.emptyList(), Types.LONG);
        KeyedOneInputStreamOperatorTestHarness direct = window(in.keyBy(KEY)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(SIZE)))
                .aggregate(new Sum(), new Row(), ACC, ACC, Types.STRING));
        KeyedOneInputStreamOperatorTestHarness merged = window(in.keyBy(KEY).getExecutionEnvironment()
                .fromData(Collections.emptyList(), WindowPartial.typeInfo(ACC))
                .keyBy(p -> p.key, Types.STRING)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(SIZE)))
                .aggregate(new LocalWindowAggregate.Merge<>(new Sum()), new Row(), ACC, ACC, Types.STRING));
        LocalWindowAggregate<Long, long[]> localOp = new LocalWindowAggregate<>(SIZE, KEY, new Sum());
        OneInputStreamOperatorTestHarness<Long, WindowPartial<long[]>> local = new OneInputStreamOperatorTestHarness<>(localOp);
        direct.open();
        merged.open();
        local.open();

        long events = 0;
        long shipped = 0;
        long checkpoint = 0;
        for (Object o : stream(7)) {
            if (o instanceof StreamRecord) {
                direct.processElement((StreamRecord) o);
                local.processElement((StreamRecord<Long>) o);
                events++;
            } else if (o instanceof Watermark) {
                direct.processWatermark((Watermark) o);
                local.processWatermark((Watermark) o);
            } else {
                local.prepareSnapshotPreBarrier(++checkpoint);
                assertThat(localOp.openWindows()).as("nothing held over a checkpoint").isZero();
            }
            for (Object out : new ArrayList<>(local.getOutput())) {
                if (out instanceof StreamRecord) {
                    merged.processElement((StreamRecord) out);
                    shipped++;
                } else {
                    merged.processWatermark((Watermark) out);
                }
            }
            local.getOutput().clear();
        }
        List<String> expected = new ArrayList<>(direct.extractOutputValues());
        List<String> actual = new ArrayList<>(merged.extractOutputValues());
        Collections.sort(expected);
        Collections.sort(actual);
        assertThat(direct.getSideOutput(null)).isNull();
        assertThat(actual).isEqualTo(expected);
        assertThat(expected).hasSizeGreaterThan(200);
        assertThat(shipped).as("partials sent instead of %d events", events).isLessThan(events / 3);
        assertThat(localOp.openWindows()).isZero();
        assertThat(merged.numKeyedStateEntries()).isZero();
        assertThat(merged.numEventTimeTimers()).isZero();
        direct.close();
        merged.close();
        local.close();
    }

    @Test
    void anEventBehindTheWatermarkLeavesAtOnceStampedWithItsWindow() throws Exception {
        LocalWindowAggregate<Long, long[]> op = new LocalWindowAggregate<>(SIZE, KEY, new Sum());
        OneInputStreamOperatorTestHarness<Long, WindowPartial<long[]>> h = new OneInputStreamOperatorTestHarness<>(op);
        h.open();
        h.processElement(new StreamRecord<>(5L, 150L));
        h.processWatermark(new Watermark(250));
        h.getOutput().clear();
        h.processElement(new StreamRecord<>(10L, 120L)); // window [100, 200) closed here
        List<StreamRecord<? extends WindowPartial<long[]>>> out = h.extractOutputStreamRecords();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getTimestamp()).isEqualTo(199L);
        assertThat(out.get(0).getValue().windowStart).isEqualTo(100L);
        assertThat(out.get(0).getValue().acc).containsExactly(1L, 10L);
        assertThat(op.openWindows()).isZero();
        h.close();
    }
}
