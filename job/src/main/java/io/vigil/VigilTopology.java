package io.vigil;

import io.vigil.model.Envelope;
import io.vigil.model.RawRecord;
import io.vigil.model.SourceTally;
import io.vigil.parse.ParseOperator;
import io.vigil.parse.SourceTallyFunction;
import io.vigil.source.InputSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Wires Vigil's dataflow from injected inputs and sinks, so replay, the local run, the cloud and
 * tests all run the same pipeline: per input source → parse/validate → event time; then the
 * union of all inputs feeds the outputs. Every operator has a stable uid for savepoints.
 */
public final class VigilTopology {
    private final StreamExecutionEnvironment env;
    private final List<InputSpec> inputs = new ArrayList<>();
    private Sink<Envelope> deadLetters;
    private Sink<SourceTally> summary;
    private Sink<Envelope> events;

    private VigilTopology(StreamExecutionEnvironment env) {
        this.env = env;
    }

    public static VigilTopology on(StreamExecutionEnvironment env) {
        return new VigilTopology(env);
    }

    public VigilTopology input(InputSpec input) {
        inputs.add(input);
        return this;
    }

    /** Every dead letter; the sink runs with parallelism 1. */
    public VigilTopology deadLetters(Sink<Envelope> sink) {
        this.deadLetters = sink;
        return this;
    }

    /** Per-source counts at end of a bounded input (replay); parallelism 1. */
    public VigilTopology summary(Sink<SourceTally> sink) {
        this.summary = sink;
        return this;
    }

    /** Every valid event (tests, and the curated tables later). */
    public VigilTopology events(Sink<Envelope> sink) {
        this.events = sink;
        return this;
    }

    /** Builds the dataflow and returns its streams for further wiring. */
    public Streams build() {
        if (inputs.isEmpty()) {
            throw new IllegalStateException("no inputs");
        }
        Set<String> names = new HashSet<>();
        DataStream<Envelope> all = null;
        DataStream<Envelope> valid = null;
        DataStream<Envelope> invalid = null;
        for (InputSpec in : inputs) {
            if (!names.add(in.name())) {
                throw new IllegalArgumentException("input name used twice: " + in.name());
            }
            SingleOutputStreamOperator<Envelope> parsed = parse(in);
            // Split per input, chained at the input's parallelism: a source's records then reach
            // each sink in their original order (one channel per upstream subtask).
            SingleOutputStreamOperator<Envelope> ok = parsed.filter(Envelope::isValid)
                    .name("valid " + in.name()).uid("valid-" + in.name());
            SingleOutputStreamOperator<Envelope> bad = parsed.filter(e -> !e.isValid())
                    .name("dead letters " + in.name()).uid("dead-letters-" + in.name());
            if (in.parallelism() > 0) {
                ok.setParallelism(in.parallelism());
                bad.setParallelism(in.parallelism());
            }
            all = all == null ? parsed : all.union(parsed);
            valid = valid == null ? ok : valid.union(ok);
            invalid = invalid == null ? bad : invalid.union(bad);
        }
        if (deadLetters != null) {
            invalid.sinkTo(deadLetters).name("dead-letter sink").uid("dead-letter-sink").setParallelism(1);
        }
        if (events != null) {
            valid.sinkTo(events).name("event sink").uid("event-sink");
        }
        if (summary != null) {
            all.keyBy(e -> e.source)
                    .process(new SourceTallyFunction())
                    .name("source tally")
                    .uid("source-tally")
                    .sinkTo(summary)
                    .name("summary sink")
                    .uid("summary-sink")
                    .setParallelism(1);
        }
        return new Streams(all, valid, invalid);
    }

    private SingleOutputStreamOperator<Envelope> parse(InputSpec in) {
        DataStreamSource<RawRecord> raw = env.fromSource(
                in.source(), WatermarkStrategy.noWatermarks(), "source " + in.name(),
                TypeInformation.of(RawRecord.class));
        raw.uid("source-" + in.name());
        if (in.parallelism() > 0) {
            raw.setParallelism(in.parallelism());
        }
        SingleOutputStreamOperator<Envelope> parsed = raw
                .transform("parse " + in.name(), TypeInformation.of(Envelope.class),
                        new ParseOperator(in.eventTime().outOfOrderness().toMillis()))
                .uid("parse-" + in.name());
        SingleOutputStreamOperator<Envelope> timed = parsed
                .assignTimestampsAndWatermarks(in.eventTime().watermarkStrategy())
                .name("event time " + in.name())
                .uid("event-time-" + in.name());
        if (in.parallelism() > 0) {
            parsed.setParallelism(in.parallelism());
            timed.setParallelism(in.parallelism());
        }
        return timed;
    }

    /** The streams of a built topology. */
    public static final class Streams {
        /** Valid events and dead letters of every input, with event time and watermarks. */
        public final DataStream<Envelope> envelopes;
        public final DataStream<Envelope> events;
        public final DataStream<Envelope> deadLetters;

        Streams(DataStream<Envelope> envelopes, DataStream<Envelope> events, DataStream<Envelope> deadLetters) {
            this.envelopes = envelopes;
            this.events = events;
            this.deadLetters = deadLetters;
        }
    }
}
