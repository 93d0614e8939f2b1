package io.vigil.iceberg;

import io.vigil.model.CommerceEvent;
import io.vigil.model.Envelope;
import io.vigil.model.Family;
import java.time.Duration;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * The commerce_metrics rows: per commerce source and 1-minute event-time window, over valid and
 * invalid records (a dead letter counts at its counting time), emitted when the watermark passes
 * the window's end; the window's state goes with it.
 */
public final class CommerceMetrics {
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private static final Count COUNT = new Count();

    private CommerceMetrics() {}

    /** Rows from the commerce envelopes, valid and invalid, of a stream with event time. */
    public static SingleOutputStreamOperator<RowData> of(DataStream<Envelope> envelopes) {
        TypeInformation<CommerceWindow> acc = TypeInformation.of(CommerceWindow.class);
        DataStream<Envelope> commerce = envelopes
                .filter(e -> e.family == Family.COMMERCE)
                .name("commerce records")
                .uid("iceberg-commerce-metrics-input")
                .setParallelism(envelopes.getParallelism()); // chained to its input
        return LocalWindowAggregate.of(commerce, e -> e.source, WINDOW, COUNT, acc,
                        "iceberg-commerce-metrics-partials", "commerce metrics partials")
                .aggregate(new LocalWindowAggregate.Merge<>(COUNT), new Emit(), acc, acc,
                        VigilTables.COMMERCE_METRICS.typeInfo())
                .name("commerce metrics")
                .uid("iceberg-commerce-metrics");
    }

    /** Adds one commerce record to its source's window. */
    static final class Count implements AggregateFunction<Envelope, CommerceWindow, CommerceWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public CommerceWindow createAccumulator() {
            return new CommerceWindow();
        }

        @Override
        public CommerceWindow add(Envelope e, CommerceWindow w) {
            if (!e.isValid()) {
                w.invalid++;
                return w;
            }
            w.valid++;
            CommerceEvent c = e.commerce;
            switch (c.eventType) {
                case VIEW:
                    w.views++;
                    break;
                case CART:
                    w.carts++;
                    break;
                case REMOVE_FROM_CART:
                    w.removals++;
                    break;
                case PURCHASE:
                    w.purchases++;
                    w.revenue += c.price;
                    break;
                default:
                    throw new IllegalStateException("unknown commerce event type " + c.eventType);
            }
            return w;
        }

        @Override
        public CommerceWindow getResult(CommerceWindow w) {
            return w;
        }

        @Override
        public CommerceWindow merge(CommerceWindow a, CommerceWindow b) {
            CommerceWindow m = new CommerceWindow();
            m.views = a.views + b.views;
            m.carts = a.carts + b.carts;
            m.removals = a.removals + b.removals;
            m.purchases = a.purchases + b.purchases;
            m.revenue = a.revenue + b.revenue;
            m.valid = a.valid + b.valid;
            m.invalid = a.invalid + b.invalid;
            return m;
        }
    }

    /** Turns a closed window into its row. */
    static final class Emit extends ProcessWindowFunction<CommerceWindow, RowData, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String source, Context ctx, Iterable<CommerceWindow> windows, Collector<RowData> out) {
            out.collect(TableRows.commerceMetrics(source, ctx.window().getStart(), ctx.window().getEnd(),
                    windows.iterator().next()));
        }
    }
}
