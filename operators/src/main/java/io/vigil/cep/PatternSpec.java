package io.vigil.cep;

import io.vigil.model.Envelope;
import io.vigil.rules.EventFields;

/**
 * A validated sequence rule ({@code kind: pattern}): which events enter, the key that partitions
 * them, the steps, the time bound, and how a fired alert resolves. Built by {@link PatternSpecs},
 * compiled by {@link PatternCompiler}; arrays and public fields keep it a Flink POJO.
 */
public class PatternSpec implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Filter applied before keying; empty admits every valid event that has the key field. */
    public EventCondition events = new EventCondition();
    /** The {@link io.vigil.rules.EventFields} name that partitions the events (one sequence per value). */
    public String key;
    public PatternStep[] steps = new PatternStep[0];
    /** First to last event of a match less than this apart (CEP's within); always set, so CEP state stays bounded. */
    public long withinMs;
    /** Fields whose distinct values over the matched events are appended to the entity. */
    public String[] entityFields = new String[0];
    /** A {@link SummaryTemplate}; null for the generated summary. */
    public String summary;
    /** Resolve this long after the match's event time; 0 when not set. */
    public long resolveAfterMs;
    /** Resolve on the next event with the same key value that matches this; null when not set. */
    public EventCondition resolveWhen;

    /** Derived from the fields above on first use; not part of the POJO. */
    private transient PatternFields fields;

    public PatternSpec() {}

    /**
     * True when {@code e} resolves a match whose key value is {@code key}: {@code resolve.when}
     * is set, the event has the same key value and matches it.
     */
    public boolean resolvedBy(Envelope e, String key) {
        return resolveWhen != null && key != null && key.equals(EventFields.get(e, this.key)) && resolveWhen.matches(e);
    }

    /** The entity a key value names before any {@code entity} fields: {@code destination user U666@DOM1}. */
    public String keyEntity(String keyValue) {
        return EventFields.entityName(key) + " " + keyValue;
    }

    /** True when the last step is an absent one: the match completes when {@code within} runs out. */
    /** The fields this rule reads, key first: what its {@link PatternEvent}s carry. */
    public PatternFields fields() {
        if (fields == null) {
            fields = PatternFields.of(this);
        }
        return fields;
    }

    public boolean endsWithAbsence() {
        return steps.length > 0 && steps[steps.length - 1].absent;
    }
}
