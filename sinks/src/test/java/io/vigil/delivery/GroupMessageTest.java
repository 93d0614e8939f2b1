package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Severity;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/** What a group's Slack message and SNS notification say: counts, counts per rule, the first entities. */
class GroupMessageTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** 12 firing (10 of kpi_par_90, 2 critical of kpi_par_30) and 3 resolved kpi_par_90 alerts. */
    private static Notification incident() {
        List<AlertEvent> alerts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            alerts.add(SampleAlerts.firing("kpi_par_90", Severity.WARNING, "portfolio=p" + i));
        }
        for (int i = 0; i < 2; i++) {
            alerts.add(SampleAlerts.firing("kpi_par_30", Severity.CRITICAL, "portfolio=q" + i));
        }
        for (int i = 0; i < 3; i++) {
            // the resolved ones come first in the notification: the message still lists firing first
            alerts.add(0, SampleAlerts.resolved(SampleAlerts.firing("kpi_par_90", Severity.WARNING, "portfolio=r" + i)));
        }
        Notification n = new Notification();
        n.key = "group-0a1b";
        n.group = "team=risk";
        n.alerts = alerts.toArray(new AlertEvent[0]);
        n.madeAt = SampleAlerts.T0 + 30_000;
        return n;
    }

    @Test
    void aSlackGroupMessageHasCountsPerRuleAndTheFirstFiveEntities() throws Exception {
        JsonNode body = MAPPER.readTree(SlackMessage.body(incident(), null, PARIS));
        assertThat(body.get("text").asText()).isEqualTo("[FIRING 12, RESOLVED 3] team=risk");
        assertThat(body.at("/blocks/0/text/text").asText())
                .as("the highest severity of the group")
                .isEqualTo(":red_circle: *CRITICAL · FIRING 12 · RESOLVED 3* · team=risk");
        assertThat(body.at("/blocks/1/text/text").asText())
                .isEqualTo("• *kpi_par_30*: firing 2\n• *kpi_par_90*: firing 10, resolved 3");
        assertThat(body.at("/blocks/2/text/text").asText()).isEqualTo(
                "• portfolio=p0 — 5 (threshold 3)\n• portfolio=p1 — 5 (threshold 3)\n• portfolio=p2 — 5 (threshold 3)\n"
                        + "• portfolio=p3 — 5 (threshold 3)\n• portfolio=p4 — 5 (threshold 3)\nand 10 more");
        assertThat(body.at("/blocks/3/elements/0/text").asText())
                .as("two rules: no single runbook; times in the route's zone")
                .isEqualTo("since 2026-11-02 11:00 CET · group-0a1b");
    }

    @Test
    void aGroupOfOneRuleLinksItsRunbookAndAResolvedGroupSaysSo() throws Exception {
        AlertEvent a = SampleAlerts.resolved(SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset <!channel>"));
        Notification n = new Notification();
        n.key = "group-1";
        n.group = "rule_id=freshness";
        n.alerts = new AlertEvent[] {a};
        n.madeAt = a.emittedAt;
        JsonNode body = MAPPER.readTree(SlackMessage.body(n, null, ZoneId.of("UTC")));
        assertThat(body.at("/blocks/0/text/text").asText()).isEqualTo(":white_check_mark: *RESOLVED 1* · rule_id=freshness");
        assertThat(body.at("/blocks/2/text/text").asText()).as("entities escaped")
                .isEqualTo("• dataset &lt;!channel&gt; — resolved, 1 (threshold 3)");
        assertThat(body.at("/blocks/3/elements/0/text").asText())
                .startsWith("<https://runbooks.example.com/freshness|Runbook> · since 2026-11-02 10:00 UTC");
    }

    @Test
    void aSingleAlertNotificationIsTheAlertsOwnMessage() {
        AlertEvent a = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");
        assertThat(SlackMessage.body(Notification.of(a), null, ZoneId.of("UTC"))).isEqualTo(SlackMessage.body(a, null));
    }

    @Test
    void anSnsGroupNotificationCarriesEveryAlertAsJsonAndReadableText() throws Exception {
        Notification n = incident();
        PublishRequest p = SnsMessage.publish("arn:aws:sns:eu-west-1:123456789012:risk.fifo", n, PARIS);
        assertThat(p.subject()).isEqualTo("[CRITICAL] FIRING 12, RESOLVED 3: team=risk");
        assertThat(p.messageAttributes().get("rule_id").stringValue()).isEqualTo("kpi_par_30,kpi_par_90");
        assertThat(p.messageAttributes().get("state").stringValue()).isEqualTo("firing");
        assertThat(p.messageAttributes().get("severity").stringValue()).isEqualTo("critical");
        assertThat(p.messageGroupId()).isEqualTo("group-0a1b");
        assertThat(p.messageDeduplicationId()).isEqualTo("group-0a1b-" + n.madeAt);
        JsonNode structure = MAPPER.readTree(p.message());
        JsonNode json = MAPPER.readTree(structure.get("default").asText());
        assertThat(json.get("group_id").asText()).isEqualTo("group-0a1b");
        assertThat(json.get("firing").asInt()).isEqualTo(12);
        assertThat(json.get("resolved").asInt()).isEqualTo(3);
        List<String> ids = new ArrayList<>();
        json.get("alerts").forEach(a -> ids.add(a.get("alert_id").asText()));
        assertThat(ids).containsExactly(n.alertIds());
        String email = structure.get("email").asText();
        assertThat(email).startsWith("CRITICAL FIRING 12, RESOLVED 3: team=risk\n\nkpi_par_30: firing 2\nkpi_par_90: firing 10, resolved 3\n\n"
                + "- portfolio=p0: 5 (threshold 3), since 2026-11-02 11:00 CET\n");
        assertThat(email).contains("and 10 more\n").endsWith("Group: group-0a1b\n");
    }

    @Test
    void anSnsSubjectStaysWithinItsLimit() {
        Notification n = incident();
        n.group = "entity=" + new String(new char[200]).replace('\0', 'x');
        assertThat(SnsMessage.publish("arn:aws:sns:eu-west-1:123456789012:risk", n, PARIS).subject())
                .hasSize(SnsMessage.SUBJECT_MAX).endsWith("...");
        assertThat(GroupSummary.of(n).counts()).isEqualTo("FIRING 12, RESOLVED 3");
        n.alerts = new AlertEvent[] {n.alerts[0]};
        assertThat(n.alerts[0].state).isEqualTo(AlertState.RESOLVED);
        assertThat(GroupSummary.of(n).counts()).isEqualTo("RESOLVED 1");
    }
}
