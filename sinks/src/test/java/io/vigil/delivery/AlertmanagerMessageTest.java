package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertmanagerMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AlertmanagerRoute ROUTE =
            AlertmanagerRoute.named("am", URI.create("http://alertmanager:9093/")).resend(Duration.ofMinutes(1));
    private static final long NOW = SampleAlerts.T0 + 3_600_000;

    @Test
    void aFiringAlertEndsFourResendsAheadWithItsLabelsAndAnnotations() throws Exception {
        AlertEvent a = SampleAlerts.firing("kpi_par_90", Severity.WARNING, "metric par_90_pct{portfolio=abaco,region=eu-1}",
                new Label("team", "risk"), new Label("page-to", "risk oncall"));
        JsonNode body = JSON.readTree(AlertmanagerMessage.body(a, ROUTE, NOW));
        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(1);
        JsonNode alert = body.get(0);
        assertThat(JSON.convertValue(alert.get("labels"), Map.class)).containsExactly(
                Map.entry("alertname", "kpi_par_90"), Map.entry("severity", "warning"), Map.entry("rule_id", "kpi_par_90"),
                Map.entry("entity", "metric par_90_pct{portfolio=abaco,region=eu-1}"), Map.entry("team", "risk"),
                Map.entry("page_to", "risk oncall"), Map.entry("metric", "par_90_pct"), Map.entry("portfolio", "abaco"),
                Map.entry("region", "eu-1"));
        assertThat(JSON.convertValue(alert.get("annotations"), Map.class)).containsExactly(
                Map.entry("summary", a.summary), Map.entry("runbook_url", "https://runbooks.example.com/kpi_par_90"),
                Map.entry("value", "5"), Map.entry("threshold", "3"), Map.entry("alert_id", a.alertId));
        assertThat(alert.get("startsAt").asText()).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(alert.get("endsAt").asText()).isEqualTo("2026-11-02T11:04:00Z");
        assertThat(alert.get("generatorURL").asText()).isEqualTo("https://runbooks.example.com/kpi_par_90");
        assertThat(ROUTE.alertsEndpoint()).isEqualTo(URI.create("http://alertmanager:9093/api/v2/alerts"));
    }

    @Test
    void aResolvedAlertEndsAtItsResolutionWithTheSameLabels() throws Exception {
        AlertEvent firing = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");
        AlertEvent resolved = SampleAlerts.resolved(firing);
        JsonNode alert = JSON.readTree(AlertmanagerMessage.body(resolved, ROUTE, NOW)).get(0);
        assertThat(alert.get("endsAt").asText()).isEqualTo("2026-11-02T10:10:00Z");
        assertThat(alert.get("labels")).isEqualTo(JSON.readTree(AlertmanagerMessage.body(firing, ROUTE, NOW)).get(0).get("labels"));
        assertThat(alert.get("labels").get("dataset").asText()).isEqualTo("s3://lake/orders");
    }

    @Test
    void anEventTimeAheadOfTheClockStartsNowSoAlertmanagerTakesIt() throws Exception {
        AlertEvent a = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");
        JsonNode alert = JSON.readTree(AlertmanagerMessage.body(a, ROUTE, SampleAlerts.T0 - 120_000)).get(0);
        assertThat(alert.get("startsAt").asText()).isEqualTo("2026-11-02T09:58:00Z");
        assertThat(alert.get("endsAt").asText()).isEqualTo("2026-11-02T10:02:00Z");
    }

    @Test
    void theGeneratorUrlIsTheRoutesTemplateOrAnAbsoluteRunbookOrNone() {
        AlertEvent a = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");
        assertThat(AlertmanagerMessage.generatorUrl(a, "https://vigil.example.com/alerts?rule={rule}&id={alert_id}"))
                .isEqualTo("https://vigil.example.com/alerts?rule=freshness&id=" + a.alertId);
        a.runbookUrl = "docs/runbook.md#freshness";
        assertThat(AlertmanagerMessage.generatorUrl(a, null)).isNull();
        a.runbookUrl = "https://wiki.example.com/run book";
        assertThat(AlertmanagerMessage.generatorUrl(a, null)).isNull();
    }

    @Test
    void labelNamesAreMadeValidAndVigilsOwnAreNeverReplaced() {
        assertThat(AlertmanagerMessage.labelName("page-to")).isEqualTo("page_to");
        assertThat(AlertmanagerMessage.labelName("9lives")).isEqualTo("_9lives");
        assertThat(AlertmanagerMessage.labelName("ok_1")).isEqualTo("ok_1");
        AlertEvent a = SampleAlerts.firing("freshness", Severity.CRITICAL, "job etl.daily_orders",
                new Label("severity", "low"), new Label("alertname", "spoofed"));
        Map<String, String> labels = AlertmanagerMessage.labels(a);
        assertThat(labels).containsEntry("severity", "critical").containsEntry("alertname", "freshness")
                .containsEntry("job", "etl.daily_orders");
        assertThat(AlertmanagerMessage.dimensions("free text entity")).isEmpty();
    }
}
