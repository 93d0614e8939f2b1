package io.vigil.cep;

import io.vigil.model.Family;

/**
 * What a pattern rule reads of one event: its time, family, source and the values of the fields
 * the rule names ({@link PatternFields}), instead of the whole envelope. It crosses the network to
 * the CEP operator and waits in CEP's buffer and shared buffer, so it is kept small.
 */
public final class PatternEvent {
    public long eventTime;
    public Family family;
    public String source;
    /** One value per name of the rule's {@link PatternFields}, in that order; null where absent. */
    public String[] values;

    public PatternEvent() {}

    public PatternEvent(long eventTime, Family family, String source, String[] values) {
        this.eventTime = eventTime;
        this.family = family;
        this.source = source;
        this.values = values;
    }

    @Override
    public String toString() {
        return "@" + eventTime + " " + family + " " + source + " " + java.util.Arrays.toString(values);
    }
}
