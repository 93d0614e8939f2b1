package io.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import io.vigil.rules.Direction;
import io.vigil.rules.Rule;
import io.vigil.rules.RuleKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertTextTest {
    private static final int MIB = 1 << 20;

    @Test
    void shortTextIsKeptAsItIs() {
        assertThat(AlertText.entity("dataset s3://lake/orders")).isEqualTo("dataset s3://lake/orders");
        assertThat(AlertText.cap("x".repeat(512), 512)).isEqualTo("x".repeat(512));
        assertThat(AlertText.cap(null, 512)).isNull();
        assertThat(AlertText.isCapped("dataset s3://lake/orders")).isFalse();
    }

    @Test
    void longTextIsCutToTheCapWithAMarkerNamingItsLengthAndHash() {
        String entity = "dataset s3://lake/" + "a".repeat(MIB);
        String capped = AlertText.entity(entity);
        assertThat(capped).hasSize(AlertText.ENTITY_MAX).startsWith("dataset s3://lake/aaaa")
                .matches("(?s).*… \\[truncated from " + entity.length() + " chars, sha256 [0-9a-f]{12}]");
        assertThat(AlertText.isCapped(capped)).isTrue();
        assertThat(AlertText.summary("s".repeat(MIB))).hasSize(AlertText.SUMMARY_MAX);
        assertThat(AlertText.entity(entity.replace("lake/a", "lake/b").substring(0, 600) + "z"))
                .as("texts that share their start stay distinct").isNotEqualTo(AlertText.entity(entity.substring(0, 601)));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "🚨".repeat(MIB / 2);
        String capped = AlertText.cap(emoji, 100);
        String kept = capped.substring(0, capped.indexOf(AlertText.MARKER));
        assertThat(kept.length() % 2).isZero();
        assertThat(kept.codePoints()).containsOnly("🚨".codePointAt(0));
        assertThat(capped.length()).isLessThanOrEqualTo(100);
    }

    @Test
    void anAlertMadeFromAMebibyteEntityAndSummaryCarriesCappedTextUnderTheIdOfTheWholeEntity() {
        Rule r = new Rule();
        r.id = "dataset_freshness";
        r.kind = RuleKind.METRIC_THRESHOLD;
        r.direction = Direction.ABOVE;
        r.critical = 5.0;
        r.repeatIntervalMs = 3_600_000;
        r.labels = new Label[0];
        String entity = "dataset " + "e".repeat(MIB);
        String summary = "late by " + "s".repeat(MIB);
        List<AlertEvent> out = new ArrayList<>();
        AlertLifecycle.observe(r, new AlertTrack(), new Observation(r.id, entity, 9, 5, Severity.CRITICAL, 1000, summary),
                1000, out);
        assertThat(out).hasSize(1);
        AlertEvent a = out.get(0);
        assertThat(a.entity).hasSize(AlertText.ENTITY_MAX).startsWith("dataset eee");
        assertThat(a.summary).hasSize(AlertText.SUMMARY_MAX).startsWith("late by sss");
        assertThat(a.alertId).isEqualTo(AlertIds.of(r.id, entity));
    }
}
