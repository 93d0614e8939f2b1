package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import io.vigil.rules.AlertMatcher;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which alerts a route takes: one of its severities, every label it names with that value, and
 * every matcher in Alertmanager's syntax ({@code =}, {@code !=}, {@code =~}, {@code !~}).
 */
final class RouteFilter {
    private RouteFilter() {}

    static boolean takes(Set<Severity> severities, Map<String, String> labels, List<AlertMatcher> matchers,
            AlertEvent a) {
        if (!severities.contains(a.severity)) {
            return false;
        }
        for (AlertMatcher m : matchers) {
            if (!m.matches(a)) {
                return false;
            }
        }
        for (Map.Entry<String, String> want : labels.entrySet()) {
            if (!carries(a, want.getKey(), want.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean carries(AlertEvent a, String key, String value) {
        if (a.labels != null) {
            for (Label l : a.labels) {
                if (key.equals(l.key) && value.equals(l.value)) {
                    return true;
                }
            }
        }
        return false;
    }
}
