package io.vigil.bench;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.RecordDecoder;
import io.vigil.source.SyntheticTelemetry;
import java.io.Serializable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + validate throughput per input format, on one thread: records/s per core. The input is
 * the generator's realistic mix for the format with 0.5 % broken records, so the dead-letter path
 * is measured in its real proportion.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ParseBenchmark {
    private static final int RECORDS = 8192;

    @Param({"openlineage", "metrics", "lanl-auth", "auth-json", "rees46", "commerce-json"})
    public String format;

    private RawRecord[] records;
    private RecordDecoder decoder;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        InputFormat f = InputFormat.fromId(format);
        long now = System.currentTimeMillis();
        LongSupplier clock = (LongSupplier & Serializable) () -> now;
        SyntheticTelemetry gen = new SyntheticTelemetry("bench", f, 0.005, 1, clock);
        records = new RawRecord[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            records[i] = gen.map((long) i);
        }
        decoder = new RecordDecoder();
    }

    /** One record decoded into a valid event or a dead letter. */
    @Benchmark
    public Envelope decode() {
        RawRecord r = records[next];
        next = (next + 1) & (RECORDS - 1);
        return decoder.decode(r);
    }
}
