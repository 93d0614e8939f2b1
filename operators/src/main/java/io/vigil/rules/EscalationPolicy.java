package io.vigil.rules;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;

/**
 * An escalation policy: alerts matching {@code match} that are still firing after a level's
 * {@code after} (counted from when they started firing) are notified again at that level, same
 * alert id, so routes can send each level to other people. Kept apart from warning → critical,
 * which is a change of the condition, not of who is told.
 */
public class EscalationPolicy implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The label the level travels in, for route matchers. */
    public static final String LEVEL_LABEL = "escalation_level";

    public String id;
    public Label[] match = new Label[0];
    public AlertMatcher[] conditions = new AlertMatcher[0];
    /** Level names, in order. */
    public String[] levels = new String[0];
    /** When each level starts, after the alert started firing; strictly increasing. */
    public long[] afterMs = new long[0];

    public EscalationPolicy() {}

    public boolean matches(AlertEvent a) {
        return AlertMatchers.matches(match, conditions, a);
    }

    /** The index of the level reached {@code elapsedMs} after firing started, or -1 before the first. */
    public int levelAt(long elapsedMs) {
        int at = -1;
        for (int i = 0; i < afterMs.length && afterMs[i] <= elapsedMs; i++) {
            at = i;
        }
        return at;
    }
}
