package io.vigil.cep;

import io.vigil.model.Envelope;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/** A step condition that looks at the event alone: the step's {@code where}. */
public class WhereCondition extends SimpleCondition<Envelope> {
    private static final long serialVersionUID = 1L;

    private final EventCondition where;

    public WhereCondition(EventCondition where) {
        this.where = where;
    }

    @Override
    public boolean filter(Envelope e) {
        return where.matches(e);
    }
}
