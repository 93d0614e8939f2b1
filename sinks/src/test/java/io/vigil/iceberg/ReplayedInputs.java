package io.vigil.iceberg;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.ParseOperator;
import io.vigil.parse.ValidEventWatermarks;
import io.vigil.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Bounded inputs replayed through Vigil's own parse step, each with its own event-time watermark
 * (as the job's per-input chains have), unioned into the envelope stream the tables are made from.
 */
final class ReplayedInputs {
    static final long OUT_OF_ORDERNESS_MS = 30_000;

    private final List<String> names = new ArrayList<>();
    private final List<List<RawRecord>> records = new ArrayList<>();

    /** An input of lines in a format; the REES46 header is skipped by the parser as in a file. */
    ReplayedInputs add(String name, InputFormat format, List<String> lines) {
        List<RawRecord> raw = new ArrayList<>();
        for (String line : lines) {
            raw.add(Samples.replayed(name, format, line));
        }
        names.add(name);
        records.add(raw);
        return this;
    }

    DataStream<Envelope> envelopes(StreamExecutionEnvironment env) {
        DataStream<Envelope> all = null;
        for (IcebergTables.EnvelopeInput in : inputs(env)) {
            all = all == null ? in.envelopes : all.union(in.envelopes);
        }
        return all;
    }

    /** Each input's envelopes, named: as the job's topology gives them. */
    List<IcebergTables.EnvelopeInput> inputs(StreamExecutionEnvironment env) {
        List<IcebergTables.EnvelopeInput> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            DataStream<Envelope> in = env.fromData(records.get(i), TypeInformation.of(RawRecord.class))
                    .name("source " + name).uid("source-" + name).setParallelism(1)
                    .transform("parse " + name, TypeInformation.of(Envelope.class), new ParseOperator(OUT_OF_ORDERNESS_MS))
                    .uid("parse-" + name).setParallelism(1)
                    .assignTimestampsAndWatermarks(WatermarkStrategy
                            .<Envelope>forGenerator(ctx -> new ValidEventWatermarks(OUT_OF_ORDERNESS_MS))
                            .withTimestampAssigner((e, t) -> e.eventTime))
                    .name("event time " + name).uid("event-time-" + name).setParallelism(1);
            out.add(IcebergTables.EnvelopeInput.of(name, in));
        }
        return out;
    }
}
