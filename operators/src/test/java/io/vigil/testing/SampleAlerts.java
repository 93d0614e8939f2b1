package io.vigil.testing;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Label;
import io.vigil.model.Severity;

/** A real-shaped alert event with every field of the contract set, for the tests of its encodings. */
public final class SampleAlerts {
    private SampleAlerts() {}

    /** A critical dataset_freshness alert: firing, or resolved at its event time. A fresh copy each call. */
    public static AlertEvent datasetFreshness(AlertState state) {
        AlertEvent a = new AlertEvent();
        a.alertId = "0f3c";
        a.ruleId = "dataset_freshness";
        a.severity = Severity.CRITICAL;
        a.state = state;
        a.entity = "dataset s3://lake/silver/orders";
        a.summary = "dataset s3://lake/silver/orders not updated for 4h01m (critical above 4h)";
        a.value = 14_460_000;
        a.threshold = 14_400_000;
        a.eventTime = 1_793_613_600_000L;
        a.startsAt = 1_793_606_400_000L;
        a.endsAt = state == AlertState.RESOLVED ? a.eventTime : 0;
        a.labels = new Label[] {new Label("team", "data-platform")};
        a.runbookUrl = "deploy/rules-runbook.md#dataset_freshness";
        a.emittedAt = 1_793_613_600_123L;
        return a;
    }
}
