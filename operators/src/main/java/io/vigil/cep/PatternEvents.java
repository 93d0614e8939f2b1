package io.vigil.cep;

import io.vigil.model.Envelope;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The events a pattern rule looks at, before keying: valid, not late, admitted by the rule's
 * {@code events} condition, and carrying the key field (an event without it has no sequence);
 * each projected to the fields the rule reads, so the envelope never reaches CEP.
 */
public class PatternEvents implements FlatMapFunction<Envelope, PatternEvent> {
    private static final long serialVersionUID = 1L;

    private final EventCondition events;
    private final PatternFields fields;

    public PatternEvents(PatternSpec spec) {
        this.events = spec.events;
        this.fields = spec.fields();
    }

    /** True when the rule looks at this event. */
    public boolean admits(Envelope e) {
        // late events are behind their source's watermark: the other rule kinds skip them too
        return e.isValid() && !e.late && events.matches(e);
    }

    @Override
    public void flatMap(Envelope e, Collector<PatternEvent> out) {
        if (admits(e)) {
            PatternEvent p = fields.project(e);
            if (fields.key(p) != null) {
                out.collect(p);
            }
        }
    }
}
