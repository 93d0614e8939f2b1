package io.vigil.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertJsonTest {
    private static AlertEvent alert(AlertState state) {
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

    @Test
    void firingAndResolvedEventsFollowTheContract() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode f = m.readTree(new AlertJson().encode(alert(AlertState.FIRING)));
        List<String> keys = new ArrayList<>();
        f.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("alert_id", "rule_id", "severity", "state", "entity", "summary", "value",
                "threshold", "event_time", "starts_at", "labels", "runbook_url", "emitted_at");
        assertThat(f.get("severity").asText()).isEqualTo("critical");
        assertThat(f.get("state").asText()).isEqualTo("firing");
        assertThat(f.get("event_time").asText()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(f.get("labels").get("team").asText()).isEqualTo("data-platform");
        JsonNode r = m.readTree(new AlertJson().encode(alert(AlertState.RESOLVED)));
        assertThat(r.get("ends_at").asText()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(r.get("state").asText()).isEqualTo("resolved");
        AlertEvent noValue = alert(AlertState.FIRING);
        noValue.threshold = Double.NaN;
        assertThat(m.readTree(new AlertJson().encode(noValue)).get("threshold").isNull()).isTrue();
    }
}
