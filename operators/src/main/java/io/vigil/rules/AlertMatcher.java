package io.vigil.rules;

import io.vigil.model.AlertEvent;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher in Alertmanager's syntax: {@code name=value}, {@code name!=value},
 * {@code name=~regex}, {@code name!~regex}. {@code =} and {@code !=} compare with a glob
 * ({@code *}), as Vigil's matchers always have; a regex is anchored at both ends, as in
 * Alertmanager. A label the alert does not carry has the empty value.
 */
public class AlertMatcher implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public static final String EQUAL = "=";
    public static final String NOT_EQUAL = "!=";
    public static final String REGEX = "=~";
    public static final String NOT_REGEX = "!~";

    public String name;
    public String op;
    public String value;

    private transient Pattern regex;

    public AlertMatcher() {}

    public AlertMatcher(String name, String op, String value) {
        this.name = name;
        this.op = op;
        this.value = value;
    }

    /**
     * Parses {@code name OP value}; the value may be double-quoted (Alertmanager's
     * {@code name="value"}). Throws with the reason on a bad matcher or regex.
     */
    public static AlertMatcher parse(String text) {
        String s = text.trim();
        int i = 0;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.'
                || s.charAt(i) == '-')) {
            i++;
        }
        String name = s.substring(0, i).trim();
        String rest = s.substring(i).trim();
        String op;
        if (rest.startsWith(REGEX)) {
            op = REGEX;
        } else if (rest.startsWith(NOT_REGEX)) {
            op = NOT_REGEX;
        } else if (rest.startsWith(NOT_EQUAL)) {
            op = NOT_EQUAL;
        } else if (rest.startsWith(EQUAL)) {
            op = EQUAL;
        } else {
            throw new IllegalArgumentException("matcher '" + text + "': expected name=value, name!=value, "
                    + "name=~regex or name!~regex");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("matcher '" + text + "': no label name before " + op);
        }
        String value = rest.substring(op.length()).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        AlertMatcher m = new AlertMatcher(name, op, value);
        m.check();
        return m;
    }

    /** Throws when the op is unknown or the regex does not compile. */
    public void check() {
        if (!EQUAL.equals(op) && !NOT_EQUAL.equals(op) && !REGEX.equals(op) && !NOT_REGEX.equals(op)) {
            throw new IllegalArgumentException("matcher on '" + name + "': unknown operator '" + op
                    + "'; use =, !=, =~ or !~");
        }
        if (isRegex()) {
            try {
                pattern();
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("matcher '" + this + "': not a regular expression: "
                        + e.getDescription());
            }
        }
    }

    public boolean isRegex() {
        return REGEX.equals(op) || NOT_REGEX.equals(op);
    }

    public boolean isNegative() {
        return NOT_EQUAL.equals(op) || NOT_REGEX.equals(op);
    }

    /** Whether {@code a} satisfies this matcher. */
    public boolean matches(AlertEvent a) {
        String v = AlertMatchers.valueOf(a, name);
        return matchesValue(v == null ? "" : v);
    }

    boolean matchesValue(String v) {
        boolean hit = isRegex() ? pattern().matcher(v).matches() : RuleSelector.globMatches(value, v);
        return hit != isNegative();
    }

    private Pattern pattern() {
        if (regex == null) {
            regex = Pattern.compile(value);
        }
        return regex;
    }

    @Override
    public String toString() {
        return name + op + value;
    }
}
