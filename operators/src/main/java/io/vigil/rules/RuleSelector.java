package io.vigil.rules;

import io.vigil.model.Family;
import io.vigil.model.Label;

/**
 * Which events a rule applies to. Empty arrays match everything; names may use {@code *} as a
 * wildcard. Arrays, not collections, keep the rule a Flink POJO for the broadcast stream.
 */
public class RuleSelector implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public Family[] families = new Family[0];
    public String[] sources = new String[0];
    /** Job keys {@code namespace/name}. */
    public String[] jobs = new String[0];
    /** Dataset keys {@code namespace/name}. */
    public String[] datasets = new String[0];
    /** Metric name (metric_threshold). */
    public String metric;
    /** Exact label matches (metric_threshold). */
    public Label[] labels = new Label[0];
    /** distinct_count: the field whose distinct values are counted. */
    public String field;
    /** distinct_count and pattern: the field that keys the count or sequence. */
    public String key;

    public RuleSelector() {}

    /** {@code *} matches any run of characters; everything else literally. */
    public static boolean globMatches(String glob, String value) {
        if (value == null) {
            return false;
        }
        if (glob.indexOf('*') < 0) {
            return glob.equals(value); // most options are plain values, matched per event
        }
        return globAt(glob, 0, value, 0);
    }

    private static boolean globAt(String g, int gi, String v, int vi) {
        while (gi < g.length()) {
            char c = g.charAt(gi);
            if (c == '*') {
                for (int k = vi; k <= v.length(); k++) {
                    if (globAt(g, gi + 1, v, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (vi >= v.length() || v.charAt(vi) != c) {
                return false;
            }
            gi++;
            vi++;
        }
        return vi == v.length();
    }

    /** Before a value of an event-field condition ({@code where}, pattern {@code events}): any value but this. */
    public static final String NOT = "!";

    /**
     * An event field's condition: {@code value} matches one of the plain options ({@code *}
     * wildcards) when there are any, and none of the negated ones ({@code !v}); an event without
     * the field (null) matches none, so {@code !1.2.3} needs a value that is not 1.2.3.
     */
    public static boolean valueMatches(String[] options, String value) {
        if (value == null) {
            return false;
        }
        boolean plain = false;
        boolean hit = false;
        for (String o : options) {
            if (o.startsWith(NOT)) {
                if (globMatches(o.substring(NOT.length()), value)) {
                    return false;
                }
            } else {
                plain = true;
                hit = hit || globMatches(o, value);
            }
        }
        return hit || !plain;
    }

    /** True when {@code patterns} is empty or one of them matches {@code value}. */
    public static boolean anyMatches(String[] patterns, String value) {
        if (patterns.length == 0) {
            return true;
        }
        for (String p : patterns) {
            if (globMatches(p, value)) {
                return true;
            }
        }
        return false;
    }
}
