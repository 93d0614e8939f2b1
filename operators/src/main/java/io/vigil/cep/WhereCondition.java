package io.vigil.cep;

import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/** A step condition that looks at the event alone: the step's {@code where}. */
public class WhereCondition extends SimpleCondition<PatternEvent> {
    private static final long serialVersionUID = 1L;

    private final EventCondition where;
    private final PatternFields fields;

    public WhereCondition(EventCondition where, PatternFields fields) {
        this.where = where;
        this.fields = fields;
    }

    @Override
    public boolean filter(PatternEvent e) {
        return where.matches(e, fields);
    }
}
