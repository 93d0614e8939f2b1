package io.vigil.cep;

import io.vigil.model.Envelope;
import io.vigil.rules.EventFields;
import org.apache.flink.api.common.functions.FilterFunction;

/**
 * The events a pattern rule looks at, before keying: valid, not late, admitted by the rule's
 * {@code events} condition, and carrying the key field (an event without it has no sequence).
 */
public class PatternEventFilter implements FilterFunction<Envelope> {
    private static final long serialVersionUID = 1L;

    private final EventCondition events;
    private final String key;

    public PatternEventFilter(PatternSpec spec) {
        this.events = spec.events;
        this.key = spec.key;
    }

    @Override
    public boolean filter(Envelope e) {
        // late events are behind their source's watermark: the other rule kinds skip them too
        return e.isValid() && !e.late && events.matches(e) && EventFields.get(e, key) != null;
    }
}
