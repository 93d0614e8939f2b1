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

    private transient Counter accepted;
    private transient Counter rejected;

    @Override
    public void open(Configuration parameters) {
        accepted = getRuntimeContext().getMetricGroup().addGroup("vigil").addGroup("control").counter("accepted");
        rejected = getRuntimeContext().getMetricGroup().addGroup("vigil").addGroup("control").counter("rejected");
    }

    @Override
    public void flatMap(RawRecord raw, Collector<Control> out) {
        String line = new String(raw.payload, StandardCharsets.UTF_8).trim();
        if (line.isEmpty()) {
            return;
        }
        try {
            Control c = ControlLines.parse(line);
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
}
