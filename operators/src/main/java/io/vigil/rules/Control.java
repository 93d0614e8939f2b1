package io.vigil.rules;

/**
 * An element of the broadcast control stream: a new rule set, a silence, a clock tick carrying
 * the greatest event time seen across all inputs (what deadlines such as staleness are judged
 * against), or, in replay, a gap in event time in which no input had any valid data.
 */
public class Control {
    /** Set on a rule update. */
    public RuleSet ruleSet;
    /** Set on a silence (added, or replaced by id). */
    public Silence silence;
    /** Set on a clock tick; {@link Long#MIN_VALUE} otherwise. */
    public long clock = Long.MIN_VALUE;
    /** Set on a gap: its first event time without data; {@link Long#MIN_VALUE} otherwise. */
    public long gapFrom = Long.MIN_VALUE;
    /** Set on a gap: the first event time after it that may have data again (exclusive end). */
    public long gapTo = Long.MIN_VALUE;

    public Control() {}

    public static Control rules(RuleSet set) {
        Control c = new Control();
        c.ruleSet = set;
        return c;
    }

    public static Control silence(Silence s) {
        Control c = new Control();
        c.silence = s;
        return c;
    }

    public static Control tick(long maxEventTime) {
        Control c = new Control();
        c.clock = maxEventTime;
        return c;
    }

    /**
     * No valid data in any input in [{@code from}, {@code to}). Internal: only the event-time clock
     * emits gaps, from the data it saw; a control file cannot (see {@link ControlLines}).
     */
    public static Control gap(long from, long to) {
        Control c = new Control();
        c.gapFrom = from;
        c.gapTo = to;
        return c;
    }
}
