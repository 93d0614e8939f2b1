package io.vigil.rules;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;

/**
 * A time-bounded mute, as in Alertmanager: alert events whose labels match every matcher and whose
 * event time falls in [startsAt, endsAt) are not notified; the alert's lifecycle goes on. Matchers
 * are {@link AlertMatchers}.
 */
public class Silence implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public String id;
    /** Equality matchers (glob values). */
    public Label[] matchers = new Label[0];
    /** Matchers with the other operators (!=, =~, !~); a field of its own so older savepoints restore. */
    public AlertMatcher[] conditions = new AlertMatcher[0];
    public long startsAt;
    public long endsAt;
    public String comment;
    public String author;

    public Silence() {}

    public boolean mutes(AlertEvent a) {
        return mutes(a, a.eventTime);
    }

    /** Whether this silence mutes {@code a} at event time {@code at}. */
    public boolean mutes(AlertEvent a, long at) {
        if (at < startsAt || at >= endsAt) {
            return false;
        }
        return AlertMatchers.matches(matchers, conditions, a);
    }
}
