package io.vigil.rules;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;

/**
 * A time-bounded mute, as in Alertmanager: alert events whose labels match every matcher and whose
 * event time falls in [startsAt, endsAt) are not notified; the alert's lifecycle goes on. Matchers
 * see the rule's labels plus {@code rule_id}, {@code entity} and {@code severity}; values may use
 * {@code *} as a wildcard.
 */
public class Silence implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public String id;
    public Label[] matchers = new Label[0];
    public long startsAt;
    public long endsAt;
    public String comment;

    public Silence() {}

    public boolean mutes(AlertEvent a) {
        if (a.eventTime < startsAt || a.eventTime >= endsAt) {
            return false;
        }
        for (Label m : matchers) {
            if (!RuleSelector.globMatches(m.value, labelOf(a, m.key))) {
                return false;
            }
        }
        return true;
    }

    private static String labelOf(AlertEvent a, String key) {
        switch (key) {
            case "rule_id":
                return a.ruleId;
            case "entity":
                return a.entity;
            case "severity":
                return a.severity.wire();
            default:
                for (Label l : a.labels) {
                    if (l.key.equals(key)) {
                        return l.value;
                    }
                }
                return null;
        }
    }
}
