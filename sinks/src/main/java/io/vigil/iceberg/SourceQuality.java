package io.vigil.iceberg;

import io.vigil.model.Envelope;
import io.vigil.model.Family;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * The source rows of dq_results: each source's invalid-record rate per 5-minute event-time window
 * (dead letters at their counting time), judged against the threshold of the source's family when
 * one is given.
 */
public final class SourceQuality {
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private SourceQuality() {}

    /**
     * Rows from every envelope of a stream with event time.
     *
     * @param invalidRateThresholds highest passing invalid rate per family (0.1% = 0.001); a family
     *     without one gets results without a verdict
     */
    public static SingleOutputStreamOperator<RowData> of(
            DataStream<Envelope> envelopes, Map<Family, Double> invalidRateThresholds) {
        TypeInformation<SourceWindow> acc = TypeInformation.of(SourceWindow.class);
        Count count = new Count();
        return LocalWindowAggregate.of(envelopes, e -> e.source, WINDOW, count, acc,
                        "iceberg-source-quality-partials", "source invalid rate partials")
                .aggregate(new LocalWindowAggregate.Merge<>(count), new Emit(invalidRateThresholds), acc, acc,
                        VigilTables.DQ_RESULTS.typeInfo())
                .name("source invalid rate")
                .uid("iceberg-source-quality");
    }

    /** Adds one record to its source's window. */
    static final class Count implements AggregateFunction<Envelope, SourceWindow, SourceWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public SourceWindow createAccumulator() {
            return new SourceWindow();
        }

        @Override
        public SourceWindow add(Envelope e, SourceWindow w) {
            w.family = e.family;
            if (e.isValid()) {
                w.valid++;
            } else {
                w.invalid++;
            }
            return w;
        }

        @Override
        public SourceWindow getResult(SourceWindow w) {
            return w;
        }

        @Override
        public SourceWindow merge(SourceWindow a, SourceWindow b) {
            SourceWindow m = new SourceWindow();
            m.family = a.family != null ? a.family : b.family;
            m.valid = a.valid + b.valid;
            m.invalid = a.invalid + b.invalid;
            return m;
        }
    }

    /** Turns a closed window into its result. */
    static final class Emit extends ProcessWindowFunction<SourceWindow, RowData, String, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final EnumMap<Family, Double> thresholds;

        Emit(Map<Family, Double> thresholds) {
            this.thresholds = new EnumMap<>(Family.class);
            this.thresholds.putAll(thresholds);
        }

        @Override
        public void process(String source, Context ctx, Iterable<SourceWindow> windows, Collector<RowData> out) {
            SourceWindow w = windows.iterator().next();
            out.collect(TableRows.sourceInvalidRate(source, ctx.window().getStart(), ctx.window().getEnd(),
                    w.valid, w.invalid, thresholds.get(w.family)));
        }
    }
}
