package io.vigil.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import java.util.ArrayList;
import java.util.List;
import io.vigil.testing.SampleAlerts;
import org.junit.jupiter.api.Test;

class AlertJsonTest {
    @Test
    void firingAndResolvedEventsFollowTheContract() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode f = m.readTree(new AlertJson().encode(SampleAlerts.datasetFreshness(AlertState.FIRING)));
        List<String> keys = new ArrayList<>();
        f.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("alert_id", "rule_id", "severity", "state", "entity", "summary", "value",
                "threshold", "event_time", "starts_at", "labels", "runbook_url", "emitted_at");
        assertThat(f.get("severity").asText()).isEqualTo("critical");
        assertThat(f.get("state").asText()).isEqualTo("firing");
        assertThat(f.get("event_time").asText()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(f.get("labels").get("team").asText()).isEqualTo("data-platform");
        JsonNode r = m.readTree(new AlertJson().encode(SampleAlerts.datasetFreshness(AlertState.RESOLVED)));
        assertThat(r.get("ends_at").asText()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(r.get("state").asText()).isEqualTo("resolved");
        AlertEvent noValue = SampleAlerts.datasetFreshness(AlertState.FIRING);
        noValue.threshold = Double.NaN;
        assertThat(m.readTree(new AlertJson().encode(noValue)).get("threshold").isNull()).isTrue();
    }
}
