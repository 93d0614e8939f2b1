package io.vigil.rules;

import io.vigil.model.RawRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads control lines (rule updates, silences) and passes on the valid ones. A bad line is
 * reported in the log and counted ({@code vigil.control.rejected}), and changes nothing: the rules
 * in force stay in force.
 */
public class ControlFunction extends RichFlatMapFunction<RawRecord, Control> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ControlFunction.class);

    /** The pattern rules the job started with: their CEP operators are fixed until a restart. */
    private final java.util.Map<String, byte[]> patterns = new java.util.TreeMap<>();

    private transient Counter accepted;
    private transient Counter rejected;

    public ControlFunction() {}

    public ControlFunction(RuleSet initial) {
        for (Rule r : initial.rules) {
            if (r.kind == RuleKind.PATTERN) {
                patterns.put(r.id, form(r.pattern));
            }
        }
    }

    @Override
    public void open(Configuration parameters) {
        accepted = io.vigil.metrics.VigilMetrics.root(getRuntimeContext().getMetricGroup()).addGroup("control").counter("accepted");
        rejected = io.vigil.metrics.VigilMetrics.root(getRuntimeContext().getMetricGroup()).addGroup("control").counter("rejected");
    }

    @Override
    public void flatMap(RawRecord raw, Collector<Control> out) {
        String line = new String(raw.payload, StandardCharsets.UTF_8).trim();
        if (line.isEmpty()) {
            return;
        }
        try {
            Control c = ControlLines.parse(line);
            if (c.ruleSet != null) {
                samePatterns(c.ruleSet);
            }
            accepted.inc();
            LOG.info("control {}: applying {}", raw.origin,
                    c.ruleSet != null ? "rule set " + c.ruleSet.version + " (" + c.ruleSet.rules.length + " rules)"
                            : "silence " + c.silence.id);
            out.collect(c);
        } catch (RuleSetException e) {
            rejected.inc();
            LOG.warn("control {}: ignored, the rules in force stay: {}", raw.origin, e.getMessage());
        }
    }

    /** A rule update may change everything but the pattern rules, whose CEP operators start with the job. */
    private void samePatterns(RuleSet update) throws RuleSetException {
        java.util.Map<String, byte[]> now = new java.util.TreeMap<>();
        for (Rule r : update.rules) {
            if (r.kind == RuleKind.PATTERN) {
                now.put(r.id, form(r.pattern));
            }
        }
        boolean same = now.keySet().equals(patterns.keySet());
        for (java.util.Map.Entry<String, byte[]> e : now.entrySet()) {
            same &= java.util.Arrays.equals(e.getValue(), patterns.get(e.getKey()));
        }
        if (!same) {
            throw new RuleSetException("control", java.util.List.of("pattern rules (kind: pattern) change only with a "
                    + "restart; this update adds, removes or changes " + changed(now) + " and is ignored"));
        }
    }

    private String changed(java.util.Map<String, byte[]> now) {
        java.util.Set<String> ids = new java.util.TreeSet<>(now.keySet());
        ids.addAll(patterns.keySet());
        ids.removeIf(id -> java.util.Arrays.equals(now.get(id), patterns.get(id)));
        return String.join(", ", ids);
    }

    /** The spec's serialized form: equal forms, equal patterns. */
    private static byte[] form(io.vigil.cep.PatternSpec spec) {
        try (java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(spec);
            out.flush();
            return bytes.toByteArray();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
