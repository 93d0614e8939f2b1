package io.vigil.rules;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;

/**
 * Label matchers over alert events, shared by silences and inhibit rules. A matcher sees the rule's
 * labels plus {@code rule_id}, {@code entity} and {@code severity}; its value is a glob ({@code *}).
 * Matchers with the same key are alternatives; different keys must all match.
 */
public final class AlertMatchers {
    private AlertMatchers() {}

    /** The names matchers can use besides the rule's own labels. */
    public static final String[] BUILT_IN = {"rule_id", "entity", "severity"};

    public static boolean matches(Label[] matchers, AlertEvent a) {
        for (int i = 0; i < matchers.length; i++) {
            String key = matchers[i].key;
            if (firstOfKey(matchers, i)) {
                boolean any = false;
                String value = valueOf(a, key);
                for (int j = i; j < matchers.length && !any; j++) {
                    any = matchers[j].key.equals(key) && RuleSelector.globMatches(matchers[j].value, value);
                }
                if (!any) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The value an alert has for a matcher key, or null. */
    public static String valueOf(AlertEvent a, String key) {
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

    private static boolean firstOfKey(Label[] m, int i) {
        for (int j = 0; j < i; j++) {
            if (m[j].key.equals(m[i].key)) {
                return false;
            }
        }
        return true;
    }
}
