package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import io.vigil.rules.AlertMatcher;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Slack and Alertmanager routes take alerts by Alertmanager matchers, besides severities and labels. */
class RouteMatchersTest {
    private static final SecretRef WEBHOOK = SecretRef.parse("env:W");

    private static AlertEvent alert(Severity s, String level) {
        return SampleAlerts.firing("shop_errors", s, "source web", level == null
                ? new Label[] {new Label("team", "commerce")}
                : new Label[] {new Label("escalation_level", level), new Label("team", "commerce")});
    }

    @Test
    void everyMatcherMustHold() {
        SlackRoute l2 = SlackRoute.named("l2", WEBHOOK).match(AlertMatcher.parse("severity=~\"warning|critical\""))
                .match(AlertMatcher.parse("escalation_level=\"L2\"")).match(AlertMatcher.parse("team!=loans"));
        assertThat(l2.matches(alert(Severity.CRITICAL, "L2"))).isTrue();
        assertThat(l2.matches(alert(Severity.WARNING, "L2"))).isTrue();
        assertThat(l2.matches(alert(Severity.INFO, "L2"))).isFalse();
        assertThat(l2.matches(alert(Severity.CRITICAL, "L1"))).isFalse();
        assertThat(l2.matches(alert(Severity.CRITICAL, null))).isFalse();
    }

    @Test
    void negativeMatchersTakeAlertsWithoutTheLabelAndRoutesCombineThemWithLabels() {
        AlertmanagerRoute notEscalated = AlertmanagerRoute.named("am", URI.create("http://am:9093"))
                .label("team", "commerce").match(AlertMatcher.parse("escalation_level!~\"L[2-4]\""));
        assertThat(notEscalated.matches(alert(Severity.WARNING, null))).isTrue();
        assertThat(notEscalated.matches(alert(Severity.WARNING, "L1"))).isTrue();
        assertThat(notEscalated.matches(alert(Severity.WARNING, "L3"))).isFalse();
        assertThat(notEscalated.label("team", "loans").matches(alert(Severity.WARNING, null))).isFalse();
    }
}
