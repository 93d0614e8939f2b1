package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alert.AlertLifecycle;
import io.vigil.alert.AlertTrack;
import io.vigil.alert.Observation;
import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import io.vigil.rules.Direction;
import io.vigil.rules.Rule;
import io.vigil.rules.RuleKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Any input fits a message: an alert made from a 1 MiB entity and summary, of the characters that
 * grow most when escaped (JSON control escapes, Slack's &amp;lt;, 4-byte UTF-8), publishes under
 * SNS's 256 KB limit (message, subject and attributes) and posts as a Slack body of the same size.
 */
class AlertSizeTest {
    private static final int MIB = 1 << 20;
    private static final int SNS_LIMIT = 256 * 1024;
    private static final String WORST = "\u0001<&\"🚨";

    private static AlertEvent alertFrom(String entity, String summary) {
        Rule r = new Rule();
        r.id = "dataset_freshness";
        r.kind = RuleKind.METRIC_THRESHOLD;
        r.direction = Direction.ABOVE;
        r.critical = 5.0;
        r.repeatIntervalMs = 3_600_000;
        r.labels = new Label[] {new Label("team", "data")};
        r.runbookUrl = "https://runbooks.example.com/dataset_freshness";
        List<AlertEvent> out = new ArrayList<>();
        AlertLifecycle.observe(r, new AlertTrack(),
                new Observation(r.id, entity, 9, 5, Severity.CRITICAL, SampleAlerts.T0, summary), SampleAlerts.T0, out);
        return out.get(0);
    }

    private static int snsBytes(PublishRequest p) {
        int n = p.message().getBytes(StandardCharsets.UTF_8).length + p.subject().getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, MessageAttributeValue> e : p.messageAttributes().entrySet()) {
            n += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().dataType().length()
                    + e.getValue().stringValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }

    @Test
    void anAlertFromAMebibyteEntityAndSummaryFitsAnSnsMessageAndASlackBody() {
        String huge = WORST.repeat(MIB / WORST.length());
        assertThat(huge.getBytes(StandardCharsets.UTF_8).length).as("the input alone is over the limit").isGreaterThan(4 * SNS_LIMIT);
        AlertEvent a = alertFrom("dataset " + huge, "late by " + huge);

        PublishRequest p = SnsMessage.publish("arn:aws:sns:eu-west-1:123456789012:vigil-critical", a);
        assertThat(snsBytes(p)).isLessThan(SNS_LIMIT);
        assertThat(p.message()).contains("truncated from " + ("late by " + huge).length() + " chars");

        String slack = SlackMessage.body(a, null);
        assertThat(slack.getBytes(StandardCharsets.UTF_8).length).isLessThan(SNS_LIMIT);
        assertThat(slack).contains("truncated from " + ("dataset " + huge).length() + " chars");
    }
}
