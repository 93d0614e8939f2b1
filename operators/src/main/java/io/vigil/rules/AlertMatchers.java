package io.vigil.rules;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;

/**
 * Label matchers over alert events, shared by silences and inhibit rules. A matcher sees the rule's
 * labels plus {@code rule_id}, {@code entity} and {@code severity}. Equality matchers ({@link Label},
 * the value a glob with {@code *}) with the same key are alternatives; different keys must all match.
 * The other operators of Alertmanager's syntax ({@code !=}, {@code =~}, {@code !~}) are
 * {@link AlertMatcher}s, each of which must match as well.
 */
public final class AlertMatchers {
    private AlertMatchers() {}

    /** The names matchers can use besides the rule's own labels. */
    public static final String[] BUILT_IN = {"rule_id", "entity", "severity"};

    /** Equality matchers and the other conditions together. */
    public static boolean matches(Label[] equal, AlertMatcher[] others, AlertEvent a) {
        if (!matches(equal, a)) {
            return false;
        }
        for (AlertMatcher m : others == null ? new AlertMatcher[0] : others) {
            if (!m.matches(a)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads matchers written as a map ({@code {key: value-or-list}}: equality, the existing form) or
     * as a list of Alertmanager matchers ({@code ["rule_id=x", "entity=~dest.*"]}): equality ones go
     * to {@code equal}, the others to {@code others}; problems are added to {@code errors}, prefixed
     * with {@code where}.
     */
    public static void read(com.fasterxml.jackson.databind.JsonNode m, String where, java.util.List<Label> equal,
            java.util.List<AlertMatcher> others, java.util.List<String> errors) {
        if (m.isArray()) {
            for (com.fasterxml.jackson.databind.JsonNode x : m) {
                if (!x.isTextual()) {
                    errors.add(where + ": a matcher must be a string such as 'rule_id=x' or 'entity=~dest.*'");
                    continue;
                }
                try {
                    AlertMatcher am = AlertMatcher.parse(x.textValue());
                    if (AlertMatcher.EQUAL.equals(am.op)) {
                        equal.add(new Label(am.name, am.value));
                    } else {
                        others.add(am);
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(where + ": " + e.getMessage());
                }
            }
            return;
        }
        for (java.util.Iterator<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = m.fields();
                it.hasNext(); ) {
            java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
            java.util.List<com.fasterxml.jackson.databind.JsonNode> values = new java.util.ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(values::add);
            } else {
                values.add(e.getValue());
            }
            for (com.fasterxml.jackson.databind.JsonNode v : values) {
                if (!v.isValueNode() || v.isNull()) {
                    errors.add(where + "." + e.getKey() + ": must be a value or a list of values");
                    continue;
                }
                equal.add(new Label(e.getKey(), v.asText()));
            }
        }
    }

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
