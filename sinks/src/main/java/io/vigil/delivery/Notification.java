package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Severity;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * What one delivery carries: one alert state change, or a group of alerts (a route's
 * {@link Grouping}): the unit Slack messages, SNS notifications and alert_deliveries rows are
 * made of. A Flink POJO.
 */
public class Notification {
    /**
     * What a newer notification on the same route replaces: the alert id of a single alert, the
     * group's id ({@code group-…}) of a group.
     */
    public String key;
    /** A group's label values, e.g. {@code rule_id=kpi_par_90, severity=critical}; null for one alert. */
    public String group;
    /** The state changes carried: a group's firing members, then those resolved since its last notification. */
    public AlertEvent[] alerts;
    /** When it was made (epoch ms): a single alert's emission time; a group's flush time (event time in replay). */
    public long madeAt;
    /** A route's digest, when this notification is one (it carries no alerts); null otherwise. */
    public AlertDigest digest;

    public Notification() {}

    /** One alert state change, as every route without grouping delivers it. */
    public static Notification of(AlertEvent alert) {
        Notification n = new Notification();
        n.key = alert.alertId;
        n.alerts = new AlertEvent[] {alert};
        n.madeAt = alert.emittedAt;
        return n;
    }

    public boolean grouped() {
        return group != null;
    }

    /** The alert of a notification that is not a group; its first alert otherwise. */
    public AlertEvent first() {
        return alerts[0];
    }

    public String[] alertIds() {
        String[] ids = new String[alerts.length];
        for (int i = 0; i < alerts.length; i++) {
            ids[i] = alerts[i].alertId;
        }
        return ids;
    }

    /** Whether any alert it carries fires. */
    public boolean firing() {
        for (AlertEvent a : alerts) {
            if (a.state == AlertState.FIRING) {
                return true;
            }
        }
        return false;
    }

    public int count(AlertState state) {
        int n = 0;
        for (AlertEvent a : alerts) {
            n += a.state == state ? 1 : 0;
        }
        return n;
    }

    /** The highest severity among the alerts carried; info for a digest. */
    public Severity severity() {
        if (alerts.length == 0) {
            return Severity.INFO;
        }
        Severity s = alerts[0].severity;
        for (AlertEvent a : alerts) {
            if (a.severity != null && (s == null || a.severity.compareTo(s) > 0)) {
                s = a.severity;
            }
        }
        return s;
    }

    /** The rule of the alerts carried, or their rules in order joined by ',' when they differ. */
    public String ruleIds() {
        if (digest != null) {
            return "digest";
        }
        TreeSet<String> rules = new TreeSet<>();
        for (AlertEvent a : alerts) {
            rules.add(a.ruleId);
        }
        return String.join(",", rules);
    }

    @Override
    public String toString() {
        if (digest != null) {
            return key + " " + digest;
        }
        if (!grouped()) {
            AlertEvent a = first();
            return a.ruleId + " " + a.alertId + " " + a.state.wire();
        }
        return "group " + key + " {" + group + "} of " + alerts.length + " " + Arrays.toString(alertIds());
    }
}
