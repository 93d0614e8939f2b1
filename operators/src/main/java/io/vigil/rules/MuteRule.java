package io.vigil.rules;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;

/**
 * A recurring mute, as a route's {@code mute_time_intervals} in Alertmanager: alerts matching
 * {@code match} are held back while any of its time intervals holds, as a silence would hold them.
 */
public class MuteRule implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public Label[] match = new Label[0];
    public AlertMatcher[] conditions = new AlertMatcher[0];
    public TimeInterval[] intervals = new TimeInterval[0];

    public MuteRule() {}

    /** Whether {@code a} is muted at {@code at} (event time in replay, the wall clock live). */
    public boolean mutes(AlertEvent a, long at) {
        return AlertMatchers.matches(match, conditions, a) && releaseAt(at) > at;
    }

    /** The first instant at or after {@code at} at which none of the intervals holds. */
    public long releaseAt(long at) {
        long t = at;
        for (int i = 0; i < 100; i++) {
            long next = t;
            for (TimeInterval ti : intervals) {
                next = Math.max(next, ti.releaseAt(t));
            }
            if (next == t || next == Long.MAX_VALUE) {
                return next; // none holds at t, or one never ends
            }
            t = next; // another interval may hold where this one ends
        }
        return t;
    }
}
