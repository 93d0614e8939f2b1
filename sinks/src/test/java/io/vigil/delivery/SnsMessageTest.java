package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import io.vigil.sink.AlertJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.PublishRequest;

class SnsMessageTest {
    private static final String FIFO = "arn:aws:sns:eu-west-1:123456789012:vigil-critical.fifo";
    private static final String STANDARD = "arn:aws:sns:eu-west-1:123456789012:vigil-warning";

    @Test
    void aPublishCarriesTheAlertJsonSubjectAndFilterAttributes() throws Exception {
        AlertEvent a = SampleAlerts.firing("kpi_par_90", Severity.WARNING, "metric par_90_pct{portfolio=abaco}",
                new Label("team", "risk"));
        PublishRequest p = SnsMessage.publish(STANDARD, a);
        assertThat(p.topicArn()).isEqualTo(STANDARD);
        assertThat(p.messageStructure()).isEqualTo("json");
        com.fasterxml.jackson.databind.JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.message());
        assertThat(m.get("default").asText()).isEqualTo(new AlertJson().encode(a));
        assertThat(p.subject()).isEqualTo("[WARNING] FIRING kpi_par_90: metric par_90_pct{portfolio=abaco}");
        assertThat(p.messageAttributes()).containsOnlyKeys("severity", "rule_id", "state");
        assertThat(p.messageAttributes().get("severity").dataType()).isEqualTo("String");
        assertThat(p.messageAttributes().get("severity").stringValue()).isEqualTo("warning");
        assertThat(p.messageAttributes().get("rule_id").stringValue()).isEqualTo("kpi_par_90");
        assertThat(p.messageAttributes().get("state").stringValue()).isEqualTo("firing");
        assertThat(p.messageGroupId()).as("standard topic").isNull();
        assertThat(p.messageDeduplicationId()).isNull();
        assertThat(SnsMessage.subject(SampleAlerts.resolved(a))).startsWith("[RESOLVED] kpi_par_90: ");
    }

    @Test
    void eMailSubscribersGetReadableTextWithZonedTimesAndQueuesKeepTheJson() throws Exception {
        AlertEvent firing = SampleAlerts.firing("kpi_par_90", Severity.WARNING, "metric par_90_pct{portfolio=abaco}",
                new Label("team", "risk"));
        AlertEvent resolved = SampleAlerts.resolved(firing);
        PublishRequest p = SnsMessage.publish(STANDARD, resolved, java.time.ZoneId.of("Europe/Paris"));
        com.fasterxml.jackson.databind.JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.message());
        assertThat(m.fieldNames()).toIterable().containsExactly("default", "email", "email-json");
        assertThat(m.get("email-json").asText()).isEqualTo(m.get("default").asText()).isEqualTo(new AlertJson().encode(resolved));
        assertThat(m.get("email").asText()).isEqualTo("RESOLVED (was warning): kpi_par_90\n\n"
                + "metric par_90_pct{portfolio=abaco} is 1 (back below 3)\n\n"
                + "Entity: metric par_90_pct{portfolio=abaco}\n"
                + "Value: 1\n"
                + "Threshold: 3\n"
                + "Since: 2026-11-02 11:00 CET\n"
                + "Resolved at: 2026-11-02 11:10 CET\n"
                + "Runbook: https://runbooks.example.com/kpi_par_90\n"
                + "Labels: team=risk\n"
                + "Rule: kpi_par_90\n"
                + "Alert id: " + firing.alertId + "\n");
        assertThat(SnsMessage.text(firing, java.time.ZoneId.of("UTC"))).startsWith("WARNING FIRING: kpi_par_90\n\n")
                .contains("Since: 2026-11-02 10:00 UTC\n").doesNotContain("Resolved at").doesNotContain("{\"");
    }

    @Test
    void aFifoTopicGetsTheRuleAsGroupAndTheStateChangeAsDeduplicationId() {
        AlertEvent firing = SampleAlerts.firing("dataset_freshness", Severity.CRITICAL, "dataset s3://lake/orders");
        PublishRequest p = SnsMessage.publish(FIFO, firing);
        assertThat(p.messageGroupId()).isEqualTo("dataset_freshness");
        assertThat(p.messageDeduplicationId()).isEqualTo(firing.alertId + "-firing-" + firing.emittedAt);
        PublishRequest r = SnsMessage.publish(FIFO, SampleAlerts.resolved(firing));
        assertThat(r.messageDeduplicationId()).isNotEqualTo(p.messageDeduplicationId());
        assertThat(r.messageGroupId()).isEqualTo(p.messageGroupId());
    }

    @Test
    void idsSnsWouldRefuseAreHashedToAllowedOnes() {
        assertThat(SnsMessage.id("r".repeat(128))).isEqualTo("r".repeat(128));
        assertThat(SnsMessage.id("r".repeat(129))).matches("[0-9a-f]{64}");
        assertThat(SnsMessage.id("règle")).matches("[0-9a-f]{64}");
        assertThat(SnsMessage.id("rule with space")).matches("[0-9a-f]{64}");
        assertThat(SnsMessage.id("a")).isNotEqualTo(SnsMessage.id("b"));
    }

    @Test
    void theSubjectIsPrintableAsciiOnOneLineAndShort() {
        AlertEvent a = SampleAlerts.firing("freshness", Severity.CRITICAL,
                "dataset\ns3://lake/ünïcødé/\t" + "x".repeat(200) + " 🚨");
        String s = SnsMessage.subject(a);
        assertThat(s.length()).isLessThanOrEqualTo(99);
        assertThat(s).matches("[\\x20-\\x7e]+").doesNotContain("  ").endsWith("...");
        assertThat(s).startsWith("[CRITICAL] FIRING freshness: dataset s3://lake/?n?c?d?/ xxx");
    }
}
