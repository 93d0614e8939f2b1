package io.vigil.rules;

import io.vigil.cep.PatternMatch;
import io.vigil.model.Envelope;

/** An envelope routed to one rule and one entity of that rule; keyed by {@link #key()}. */
public class RuleInput {
    public String ruleId;
    /** What the rule judges, readable: {@code source auth}, {@code dataset s3://lake/x}. */
    public String entity;
    public Envelope envelope;
    /** Event time this input counts at (a run's output time, a dead letter's counting time). */
    public long eventTime;
    /** kind pattern: the sequence that matched; null on an input that resolves the alert. */
    public PatternMatch match;

    public RuleInput() {}

    public RuleInput(String ruleId, String entity, Envelope envelope, long eventTime) {
        this.ruleId = ruleId;
        this.entity = entity;
        this.envelope = envelope;
        this.eventTime = eventTime;
    }

    /** A pattern match as the evaluator's input for its rule and entity. */
    public static RuleInput of(PatternMatch m) {
        RuleInput in = new RuleInput(m.ruleId, m.entity, null, m.eventTime);
        in.match = m;
        return in;
    }

    public String key() {
        return ruleId + "\u0000" + entity;
    }
}
