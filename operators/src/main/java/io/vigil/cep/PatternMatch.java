package io.vigil.cep;

/** One detected sequence, as the alert lifecycle consumes it: which rule, what entity, when, why. */
public class PatternMatch {
    public String ruleId;
    /**
     * What the alert is about: the key field (with {@code _} as a space) and value, plus
     * {@code from} and the distinct values of the rule's {@code entity} fields, e.g.
     * {@code destination user U666@DOM1 from C17,C42}.
     */
    public String entity;
    /** The key value alone ({@code U666@DOM1}), for matching {@code resolve.when} events. */
    public String key;
    /**
     * When the sequence was complete: the last matched event's time, or for a pattern ending in
     * an absent step, the first event's time plus {@code within} (when the absence became certain).
     */
    public long eventTime;
    public long firstEventTime;
    /** Number of matched events. */
    public int events;
    /** One sentence: the rule's summary template filled in, or a generated one. */
    public String summary;

    public PatternMatch() {}

    @Override
    public String toString() {
        return ruleId + " @" + eventTime + " " + entity + ": " + summary;
    }
}
