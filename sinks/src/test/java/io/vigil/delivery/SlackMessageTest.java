package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Label;
import java.util.ArrayList;
import java.util.List;
import io.vigil.testing.SampleAlerts;
import org.junit.jupiter.api.Test;

class SlackMessageTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BASE = "https://github.com/acme/vigil/blob/main/";

    private static String mrkdwn(String text) {
        return "{\"type\":\"mrkdwn\",\"text\":" + quote(text) + "}";
    }

    private static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFiringAlertIsAHeadlineSummaryFactsAndRunbook() throws Exception {
        String expected = "{\"text\":" + quote("[CRITICAL] FIRING dataset_freshness: dataset s3://lake/silver/orders "
                + "not updated for 4h01m (critical above 4h)") + ",\"blocks\":["
                + "{\"type\":\"section\",\"text\":" + mrkdwn(":red_circle: *CRITICAL · FIRING* · dataset_freshness") + "},"
                + "{\"type\":\"section\",\"text\":" + mrkdwn("dataset s3://lake/silver/orders not updated for 4h01m "
                        + "(critical above 4h)") + "},"
                + "{\"type\":\"section\",\"fields\":[" + mrkdwn("*Entity*\ndataset s3://lake/silver/orders") + ","
                + mrkdwn("*Value*\n14460000") + "," + mrkdwn("*Threshold*\n14400000") + ","
                + mrkdwn("*Since*\n2026-11-02 08:00 UTC") + "]},"
                + "{\"type\":\"context\",\"elements\":[" + mrkdwn("<https://github.com/acme/vigil/blob/main/deploy/"
                        + "rules-runbook.md#dataset_freshness|Runbook> · team=data-platform · alert 0f3c") + "]}]}";
        assertThat(MAPPER.readTree(SlackMessage.body(SampleAlerts.datasetFreshness(AlertState.FIRING), BASE)))
                .isEqualTo(MAPPER.readTree(expected));
    }

    @Test
    void aResolvedAlertSaysSoWithWhatItWasAndWhen() throws Exception {
        JsonNode body = MAPPER.readTree(SlackMessage.body(SampleAlerts.datasetFreshness(AlertState.RESOLVED), null));
        assertThat(body.get("text").asText()).startsWith("[RESOLVED] dataset_freshness: ");
        assertThat(body.at("/blocks/0/text/text").asText())
                .isEqualTo(":white_check_mark: *RESOLVED* (was critical) · dataset_freshness");
        List<String> fields = new ArrayList<>();
        body.at("/blocks/2/fields").forEach(f -> fields.add(f.get("text").asText()));
        assertThat(fields).contains("*Resolved at*\n2026-11-02 10:00 UTC");
        String paris = SlackMessage.body(SampleAlerts.datasetFreshness(AlertState.RESOLVED), null, java.time.ZoneId.of("Europe/Paris"));
        assertThat(paris).contains("*Since*\\n2026-11-02 09:00 CET").contains("*Resolved at*\\n2026-11-02 11:00 CET");
        assertThat(body.at("/blocks/3/elements/0/text").asText())
                .as("no base: a relative runbook stays text").startsWith("Runbook: deploy/rules-runbook.md#dataset_freshness · ");
    }

    @Test
    void everyTextFromTheEventIsEscapedSoMentionsAndLinksAreInert() throws Exception {
        AlertEvent a = SampleAlerts.datasetFreshness(AlertState.FIRING);
        a.ruleId = "rule<!here>";
        a.entity = "<!channel> & <@U123>";
        a.summary = "<https://evil|click> me";
        a.labels = new Label[] {new Label("team", "<!everyone>")};
        a.alertId = "id>";
        String raw = SlackMessage.body(a, null);
        assertThat(raw).doesNotContain("<!").doesNotContain("<https://evil").doesNotContain("<@");
        JsonNode body = MAPPER.readTree(raw);
        assertThat(body.at("/blocks/0/text/text").asText()).endsWith("rule&lt;!here&gt;");
        assertThat(body.at("/blocks/1/text/text").asText()).isEqualTo("&lt;https://evil|click&gt; me");
        assertThat(body.at("/blocks/2/fields/0/text").asText()).isEqualTo("*Entity*\n&lt;!channel&gt; &amp; &lt;@U123&gt;");
        assertThat(body.at("/blocks/3/elements/0/text").asText()).contains("team=&lt;!everyone&gt;").endsWith("alert id&gt;");
    }

    @Test
    void onlyAnHttpRunbookIsALinkAndItsAddressCannotCarryALabel() {
        assertThat(SlackMessage.runbook("https://wiki/x|click>", null)).isEqualTo("<https://wiki/x%7Cclick&gt;|Runbook>");
        assertThat(SlackMessage.runbook("https://wiki/x click", null)).isEqualTo("Runbook: https://wiki/x click");
        assertThat(SlackMessage.runbook("https://wiki/a?b=1&c=2", null)).isEqualTo("<https://wiki/a?b=1&amp;c=2|Runbook>");
        assertThat(SlackMessage.runbook("javascript:alert(1)", BASE)).isEqualTo("Runbook: javascript:alert(1)");
        assertThat(SlackMessage.runbook("docs/run.md", "https://wiki")).isEqualTo("<https://wiki/docs/run.md|Runbook>");
        assertThat(SlackMessage.runbook("", BASE)).isNull();
    }

    @Test
    void numbersAndLimits() {
        assertThat(SlackMessage.number(Double.NaN)).isEqualTo("n/a");
        assertThat(SlackMessage.number(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(SlackMessage.number(4.2)).isEqualTo("4.2");
        assertThat(SlackMessage.number(1234567.0)).isEqualTo("1234570");
        String cut = SlackMessage.fit("abc&amp;def", 6);
        assertThat(cut).as("an entity is not split").isEqualTo("abc…");
        assertThat(SlackMessage.fit("abcdef", 6)).isEqualTo("abcdef");
        AlertEvent huge = SampleAlerts.datasetFreshness(AlertState.FIRING);
        huge.summary = "&".repeat(5000);
        assertThat(SlackMessage.body(huge, null)).doesNotContain("&am…").doesNotContain("&…");
    }
}
