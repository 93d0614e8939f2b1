package io.vigil.rules;

import io.vigil.cep.PatternMatch;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What one rule needs of one event for one entity: the event time and the few fields its kind
 * reads, projected by the kind's {@link KindJudge#route}, not the whole envelope, so the exchange
 * to the evaluator carries tens of bytes. The inputs of one entity travel together in an
 * {@link EntityInputs}. Serialized by
 * {@link RuleInputSerializer}: a field added here must be added there too.
 */
@TypeInfo(RuleInputTypeInfo.Factory.class)
public class RuleInput {
    public String ruleId;
    /** What the rule judges, readable: {@code source auth}, {@code dataset s3://lake/x}. */
    public String entity;
    /** Event time this input counts at (a run's output time, a dead letter's counting time). */
    public long eventTime;
    /** The number the kind judges: a metric's value, 1 for a bad record, an assertion's outcome. */
    public double value;
    /** A small code the kind defines: a run's event type, what an assertion input is. */
    public int code;
    /** A text the kind needs: a run id, a counted field's value, a summary. */
    public String text;
    /** kind pattern: the sequence that matched; null on an input that resolves the alert. */
    public PatternMatch match;

    public RuleInput() {}

    public RuleInput(String ruleId, String entity, long eventTime) {
        this.ruleId = ruleId;
        this.entity = entity;
        this.eventTime = eventTime;
    }

    /** An input with the kind's projected fields. */
    public static RuleInput of(String ruleId, String entity, long eventTime, double value, int code, String text) {
        RuleInput in = new RuleInput(ruleId, entity, eventTime);
        in.value = value;
        in.code = code;
        in.text = text;
        return in;
    }

    /** A pattern match as the evaluator's input for its rule and entity. */
    public static RuleInput of(PatternMatch m) {
        RuleInput in = new RuleInput(m.ruleId, m.entity, m.eventTime);
        in.match = m;
        return in;
    }
}
