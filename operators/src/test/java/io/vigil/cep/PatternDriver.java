package io.vigil.cep;

import io.vigil.rules.RuleSetException;
import io.vigil.rules.RulesFile;
import java.nio.file.Paths;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.model.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The operator {@link PatternStreams} runs one pattern rule on (the {@link RunMatchOperator} for a
 * {@link RunShape}, else Flink CEP), or CEP on demand, in a keyed harness, fed the way PatternStreams
 * feeds it: the rule's event filter and projection first, the key field as key, event time from the envelope.
 */
final class PatternDriver implements AutoCloseable {
    final PatternSpec spec;
    final KeyedOneInputStreamOperatorTestHarness<String, PatternEvent, PatternMatch> h;
    /** True on CEP, false on the run operator. */
    final boolean cep;
    private final PatternEvents admitted;
    private final PatternFields fields;
    private long maxSeen = Long.MIN_VALUE;

    /** On the operator PatternStreams picks for the rule. */
    PatternDriver(String ruleId, PatternSpec spec) throws Exception {
        this(ruleId, spec, RunShape.of(spec) == null);
    }

    private PatternDriver(String ruleId, PatternSpec spec, boolean cep) throws Exception {
        this(ruleId, spec, cep, null);
    }

    private PatternDriver(String ruleId, PatternSpec spec, boolean cep, OperatorSubtaskState restored) throws Exception {
        this.spec = spec;
        this.cep = cep;
        this.admitted = new PatternEvents(spec);
        this.fields = spec.fields();
        OneInputStreamOperator<PatternEvent, PatternMatch> op;
        if (cep) {
            Pattern<PatternEvent, PatternEvent> pattern = PatternCompiler.compile(spec);
            op = new CepOperator<>(
                    PatternEventSerializer.INSTANCE,
                    false, // event time
                    NFACompiler.compileFactory(pattern, false),
                    null,
                    pattern.getAfterMatchSkipStrategy(),
                    new PatternMatchFunction(ruleId, spec),
                    null);
        } else {
            op = new RunMatchOperator(ruleId, spec, RunShape.of(spec));
        }
        this.h = new KeyedOneInputStreamOperatorTestHarness<>(op, new PatternKey(spec), Types.STRING);
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
    }

    /**
     * A new operator of the same kind restored from a snapshot of this one's state and timers (as
     * after a failure), this one closed; the new harness's output starts empty.
     */
    PatternDriver restarted(String ruleId) throws Exception {
        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        close();
        return new PatternDriver(ruleId, spec, cep, snapshot);
    }

    /** On Flink CEP whatever the rule's shape. */
    static PatternDriver onCep(String ruleId, PatternSpec spec) throws Exception {
        return new PatternDriver(ruleId, spec, true);
    }

    /** On the run operator; the rule must have its shape. */
    static PatternDriver onRun(String ruleId, PatternSpec spec) throws Exception {
        if (RunShape.of(spec) == null) {
            throw new IllegalArgumentException(ruleId + " is not of the run shape");
        }
        return new PatternDriver(ruleId, spec, false);
    }

    /** A default rule from {@code conf/rules.yaml}, through the rules file parser. */
    static PatternDriver forDefault(String ruleId) throws Exception {
        return new PatternDriver(ruleId, defaultSpec(ruleId));
    }

    static PatternSpec defaultSpec(String ruleId) {
        try {
            return RulesFile.load(Paths.get("../conf/rules.yaml")).rule(ruleId).pattern;
        } catch (IOException | RuleSetException e) {
            throw new IllegalStateException(e);
        }
    }

    void send(Envelope e) throws Exception {
        process(e);
        maxSeen = Math.max(maxSeen, e.eventTime);
    }

    /** The event into the operator if the rule looks at it, projected as PatternStreams does. */
    void process(Envelope e) throws Exception {
        if (admitted.admits(e)) {
            PatternEvent p = fields.project(e);
            if (fields.key(p) != null) {
                h.processElement(p, e.eventTime);
            }
        }
    }

    void watermark(long t) throws Exception {
        h.processWatermark(t);
    }

    /** Elements in the given order, each followed by the watermark {@code max seen - bound}. */
    void replay(List<Envelope> events, long boundMs) throws Exception {
        for (Envelope e : events) {
            send(e);
            watermark(maxSeen - boundMs);
        }
    }

    List<PatternMatch> matches() {
        return h.extractOutputValues();
    }

    /** {@code @<seconds after t0>s ENTITY: SUMMARY (N events)} per match, in emission order. */
    List<String> described(long t0) {
        return matches().stream()
                .map(m -> "@" + (m.eventTime - t0) / 1000 + "s " + m.entity + ": " + m.summary + " (" + m.events + " events)")
                .collect(Collectors.toList());
    }

    /**
     * CepOperator's keyed states in flink-cep 1.20: the NFA of a key, its queue of elements
     * waiting for the watermark, and the shared buffer's nodes, events and per-timestamp counts.
     */
    static final String[] CEP_STATES = {
        "nfaStateName", "eventQueuesStateName", "sharedBuffer-entries-with-lockable-edges", "sharedBuffer-events",
        "sharedBuffer-events-count"
    };

    /** Keys holding each of the operator's keyed states, leaving out the empty ones. */
    Map<String, Long> keysPerState() {
        HeapKeyedStateBackend<?> backend = (HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend();
        String[] states = cep ? CEP_STATES : new String[] {RunMatchOperator.STATE};
        Map<String, Long> out = new LinkedHashMap<>();
        long sum = 0;
        for (String state : states) {
            long n = backend.getKeys(state, VoidNamespace.INSTANCE).count();
            sum += n;
            if (n > 0) {
                out.put(state, n);
            }
        }
        if (sum != keyedStateEntries()) {
            throw new IllegalStateException("the operator keeps state beyond " + String.join(", ", states)
                    + ": " + sum + " keys found, " + keyedStateEntries() + " entries");
        }
        return out;
    }

    int keyedStateEntries() {
        return h.numKeyedStateEntries();
    }

    int eventTimeTimers() {
        return h.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        h.close();
    }
}
