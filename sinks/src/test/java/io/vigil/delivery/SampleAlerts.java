package io.vigil.delivery;

import io.vigil.alert.AlertIds;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Label;
import io.vigil.model.Severity;

/** Alert events for the delivery tests. */
final class SampleAlerts {
    static final long T0 = 1_793_613_600_000L; // 2026-11-02T10:00:00Z

    private SampleAlerts() {}

    /** A firing alert of {@code rule} about {@code entity}, value 5 against threshold 3. */
    static AlertEvent firing(String rule, Severity severity, String entity, Label... labels) {
        AlertEvent a = new AlertEvent();
        a.alertId = AlertIds.of(rule, entity);
        a.ruleId = rule;
        a.severity = severity;
        a.state = AlertState.FIRING;
        a.entity = entity;
        a.summary = entity + " is 5 (" + severity.wire() + " above 3)";
        a.value = 5;
        a.threshold = 3;
        a.eventTime = T0;
        a.startsAt = T0;
        a.labels = labels;
        a.runbookUrl = "https://runbooks.example.com/" + rule;
        a.emittedAt = T0 + 7;
        return a;
    }

    /** The resolution of a firing alert, ten minutes later. */
    static AlertEvent resolved(AlertEvent firing) {
        AlertEvent a = firing(firing.ruleId, firing.severity, firing.entity, firing.labels);
        a.state = AlertState.RESOLVED;
        a.value = 1;
        a.summary = firing.entity + " is 1 (back below 3)";
        a.eventTime = firing.eventTime + 600_000;
        a.endsAt = a.eventTime;
        a.emittedAt = a.eventTime + 7;
        return a;
    }
}
