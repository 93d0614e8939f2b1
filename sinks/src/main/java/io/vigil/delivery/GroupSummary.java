package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a group notification says, whatever the channel: firing and resolved counts per rule, and
 * the first few alerts (firing first) with their entities and values, then how many more.
 */
final class GroupSummary {
    /** How many alerts a message lists by entity. */
    static final int SHOWN = 5;

    final int firing;
    final int resolved;
    /** Rule id to {firing, resolved}, by rule id. */
    final Map<String, int[]> perRule;
    /** The alerts listed, firing ones first, in the order they joined. */
    final List<AlertEvent> shown;
    /** Alerts not listed. */
    final int more;

    private GroupSummary(int firing, int resolved, Map<String, int[]> perRule, List<AlertEvent> shown, int more) {
        this.firing = firing;
        this.resolved = resolved;
        this.perRule = Collections.unmodifiableMap(perRule);
        this.shown = Collections.unmodifiableList(shown);
        this.more = more;
    }

    static GroupSummary of(Notification n) {
        Map<String, int[]> perRule = new TreeMap<>();
        List<AlertEvent> ordered = new ArrayList<>();
        for (AlertEvent a : n.alerts) {
            if (a.state == AlertState.FIRING) {
                ordered.add(a);
            }
        }
        for (AlertEvent a : n.alerts) {
            if (a.state != AlertState.FIRING) {
                ordered.add(a);
            }
        }
        for (AlertEvent a : ordered) {
            perRule.computeIfAbsent(a.ruleId, r -> new int[2])[a.state == AlertState.FIRING ? 0 : 1]++;
        }
        int shownCount = Math.min(SHOWN, ordered.size());
        return new GroupSummary(n.count(AlertState.FIRING), n.count(AlertState.RESOLVED), perRule,
                new ArrayList<>(ordered.subList(0, shownCount)), ordered.size() - shownCount);
    }

    /** {@code FIRING 12, RESOLVED 3}, leaving out a zero count. */
    String counts() {
        if (resolved == 0) {
            return "FIRING " + firing;
        }
        return firing == 0 ? "RESOLVED " + resolved : "FIRING " + firing + ", RESOLVED " + resolved;
    }

    /** A rule's counts: {@code firing 10, resolved 2}. */
    static String ruleCounts(int[] counts) {
        StringBuilder sb = new StringBuilder();
        if (counts[0] > 0) {
            sb.append("firing ").append(counts[0]);
        }
        if (counts[1] > 0) {
            sb.append(counts[0] > 0 ? ", " : "").append("resolved ").append(counts[1]);
        }
        return sb.toString();
    }

    /** {@code entity = 5 (threshold 3)}, or {@code resolved} for a resolved one. */
    static String valueOf(AlertEvent a) {
        String v = SlackMessage.number(a.value);
        if (Double.isFinite(a.threshold)) {
            v += " (threshold " + SlackMessage.number(a.threshold) + ")";
        }
        return a.state == AlertState.RESOLVED ? "resolved, " + v : v;
    }

    /** {@code and 195 more}, or null when every alert is listed. */
    String moreLine() {
        return more == 0 ? null : "and " + more + " more";
    }
}
