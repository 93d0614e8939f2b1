package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.cep.PatternCompiler;
import io.vigil.cep.PatternEvent;
import io.vigil.cep.PatternEventSerializer;
import io.vigil.cep.PatternEvents;
import io.vigil.cep.PatternFields;
import io.vigil.cep.PatternKey;
import io.vigil.cep.PatternMatch;
import io.vigil.cep.PatternMatchFunction;
import io.vigil.cep.PatternSpec;
import io.vigil.cep.PatternSpecs;
import io.vigil.cep.RunMatchOperator;
import io.vigil.cep.RunShape;
import io.vigil.cep.SyntheticLogons;
import io.vigil.model.Envelope;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * auth_bruteforce through the real CEP operator ({@code operator=cep}) and through the run
 * operator the job now runs it on ({@code operator=run}), each in a keyed harness (heap state,
 * event time) on one thread: events per second per core. The input is pre-generated LANL-shaped LogOns of 100,000
 * users (3 % failures, a brute-force incident every 10,000 events, one event per 20 ms of event
 * time), already past the rule's event filter; the watermark follows 30 s behind every 1,000
 * events, as the job's bounded out-of-orderness does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class BruteforceBenchmark {
    private static final String RULE = "auth_bruteforce";
    private static final int GENERATED = 1 << 20;
    private static final int USERS = 100_000;
    private static final long STEP_MS = 20;
    private static final int WATERMARK_EVERY = 1_000;
    private static final long BOUND_MS = 30_000;

    /** Which operator: Flink CEP, or the {@link RunMatchOperator} that PatternStreams picks for the rule. */
    @Param({"cep", "run"})
    public String operator;

    private PatternEvent[] events;
    private long[] times;
    /** Event time covered by one pass over the events; later passes are shifted by it. */
    private long passMs;
    private KeyedOneInputStreamOperatorTestHarness<String, PatternEvent, PatternMatch> harness;
    private int next;
    private long pass;
    private long matches;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        PatternSpec spec = defaultRule();
        PatternEvents admitted = new PatternEvents(spec);
        PatternFields fields = spec.fields();
        SyntheticLogons logons = new SyntheticLogons(USERS, STEP_MS, 10_000, 1);
        List<PatternEvent> in = new ArrayList<>();
        for (long i = 0; i < GENERATED; i++) {
            Envelope e = logons.event(i);
            if (admitted.admits(e)) {
                in.add(fields.project(e)); // as PatternStreams feeds CEP
            }
        }
        events = in.toArray(new PatternEvent[0]);
        times = new long[events.length];
        for (int i = 0; i < events.length; i++) {
            times[i] = events[i].eventTime;
        }
        passMs = logons.timeOf(GENERATED) - logons.timeOf(0);

        OneInputStreamOperator<PatternEvent, PatternMatch> op;
        if (operator.equals("run")) {
            op = new RunMatchOperator(RULE, spec, RunShape.of(spec));
        } else {
            Pattern<PatternEvent, PatternEvent> pattern = PatternCompiler.compile(spec);
            op = new CepOperator<>(
                    PatternEventSerializer.INSTANCE,
                    false,
                    NFACompiler.compileFactory(pattern, false),
                    null,
                    pattern.getAfterMatchSkipStrategy(),
                    new PatternMatchFunction(RULE, spec),
                    null);
        }
        harness = new KeyedOneInputStreamOperatorTestHarness<>(op, new PatternKey(spec), Types.STRING);
        harness.open();
    }

    private static PatternSpec defaultRule() throws Exception {
        return Pipelines.rules().rule(RULE).pattern; // the bench's pinned rules
    }

    /** A thousand events into the operator, then the watermark: the unit is one event. */
    @Benchmark
    @OperationsPerInvocation(WATERMARK_EVERY)
    public void events() throws Exception {
        long last = 0;
        for (int i = 0; i < WATERMARK_EVERY; i++) {
            PatternEvent e = events[next];
            // later passes re-send the same objects later in event time; the previous use of an
            // object is hours of event time back, long pruned from the operator's state
            last = times[next] + pass * passMs;
            e.eventTime = last;
            harness.processElement(new StreamRecord<>(e, last));
            if (++next == events.length) {
                next = 0;
                pass++;
            }
        }
        sent += WATERMARK_EVERY;
        harness.processWatermark(new Watermark(last - BOUND_MS));
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord) {
                matches++;
            }
        }
        harness.getOutput().clear(); // the harness would otherwise keep every watermark and match
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        // about one incident per 10,000 generated events: a figure far off means the rule stopped working
        System.out.printf("%n%s: %,d events sent, %,d brute-force matches%n", operator, sent, matches);
        harness.close();
    }
}
