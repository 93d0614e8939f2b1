package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlackChannelTest {
    private static final SecretRef ONCALL = SecretRef.literal("https://hooks.slack.com/services/T/B1/oncall");
    private static final SecretRef RISK = SecretRef.literal("https://hooks.slack.com/services/T/B2/risk");
    private static final SecretRef ALL = SecretRef.literal("https://hooks.slack.com/services/T/B3/all");

    private static SlackChannel channel() {
        return SlackChannel.routes(
                SlackRoute.named("critical", ONCALL).severities(Severity.CRITICAL).continueMatching(),
                SlackRoute.named("risk", RISK).label("team", "risk").severities(Severity.WARNING, Severity.CRITICAL),
                SlackRoute.named("everything", ALL),
                SlackRoute.named("risk-copy", RISK));
    }

    @Test
    void theFirstMatchingRouteWinsUnlessItContinues() {
        SlackChannel c = channel();
        AlertEvent criticalRisk = SampleAlerts.firing("r", Severity.CRITICAL, "e", new Label("team", "risk"));
        AlertEvent criticalOther = SampleAlerts.firing("r", Severity.CRITICAL, "e", new Label("team", "ops"));
        AlertEvent warningRisk = SampleAlerts.firing("r", Severity.WARNING, "e", new Label("team", "risk"));
        AlertEvent infoRisk = SampleAlerts.firing("r", Severity.INFO, "e", new Label("team", "risk"));
        assertThat(c.routes(criticalRisk)).containsExactly("critical", "risk");
        assertThat(c.routes(criticalOther)).containsExactly("critical", "everything");
        assertThat(c.routes(warningRisk)).containsExactly("risk");
        assertThat(c.routes(infoRisk)).as("severity narrows the risk route").containsExactly("everything");
        AlertEvent noLabels = SampleAlerts.firing("r", Severity.WARNING, "e");
        noLabels.labels = null;
        assertThat(c.routes(noLabels)).containsExactly("everything");
        assertThat(SlackChannel.routes(SlackRoute.named("only-critical", ONCALL).severities(Severity.CRITICAL))
                .routes(warningRisk)).isEmpty();
    }

    @Test
    void routesSharingAWebhookShareItsRateLimitLane() {
        try (Channel.Connection live = channel().open()) {
            assertThat(live.lane("risk")).isEqualTo(live.lane("risk-copy"));
            assertThat(live.lane("critical")).isNotEqualTo(live.lane("risk")).isNotEqualTo(live.lane("everything"));
            assertThat(live.lane("risk")).doesNotContain("hooks.slack.com");
            assertThat(live.minIntervalMillis()).isEqualTo(1000);
        }
    }

    @Test
    void configurationIsCheckedAndNeverShowsAWebhook() {
        assertThatThrownBy(() -> SlackChannel.routes(SlackRoute.named("a", ONCALL), SlackRoute.named("a", RISK)))
                .hasMessage("Slack route name used twice: a");
        assertThatThrownBy(() -> SlackRoute.named("no spaces", ONCALL)).hasMessageContaining("route name");
        assertThat(channel().toString()).doesNotContain("hooks.slack.com").contains("literal:****");
    }

    @Test
    void retryAfterIsReadInSecondsOrAsADate() {
        assertThat(SlackChannel.retryAfterMillis(Optional.of("2"))).isEqualTo(2000);
        assertThat(SlackChannel.retryAfterMillis(Optional.of("soon"))).isEqualTo(Outcome.NO_RETRY_AFTER);
        assertThat(SlackChannel.retryAfterMillis(Optional.empty())).isEqualTo(Outcome.NO_RETRY_AFTER);
        String inTenSeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(10));
        assertThat(SlackChannel.retryAfterMillis(Optional.of(inTenSeconds))).isBetween(8_000L, 10_000L);
    }
}
