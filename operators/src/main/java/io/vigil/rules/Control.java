package io.vigil.rules;

/**
 * An element of the broadcast control stream: a new rule set, a silence, or a clock tick carrying
 * the greatest event time seen across all inputs (what deadlines such as staleness are judged
 * against).
 */
public class Control {
    /** Set on a rule update. */
    public RuleSet ruleSet;
    /** Set on a silence (added, or replaced by id). */
    public Silence silence;
    /** Set on a clock tick; {@link Long#MIN_VALUE} otherwise. */
    public long clock = Long.MIN_VALUE;

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
}
