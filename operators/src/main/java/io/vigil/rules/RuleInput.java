package io.vigil.rules;

import io.vigil.model.Envelope;

/** An envelope routed to one rule and one entity of that rule; keyed by {@link #key()}. */
public class RuleInput {
    public String ruleId;
    /** What the rule judges, readable: {@code source auth}, {@code dataset s3://lake/x}. */
    public String entity;
    public Envelope envelope;
    /** Event time this input counts at (a run's output time, a dead letter's counting time). */
    public long eventTime;

    public RuleInput() {}

    public RuleInput(String ruleId, String entity, Envelope envelope, long eventTime) {
        this.ruleId = ruleId;
        this.entity = entity;
        this.envelope = envelope;
        this.eventTime = eventTime;
    }

    public String key() {
        return ruleId + "\u0000" + entity;
    }
}
