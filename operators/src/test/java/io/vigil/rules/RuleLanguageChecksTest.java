package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@code rules check} says of info thresholds, {@code count} and {@code schema_change} rules. */
class RuleLanguageChecksTest {
    private static final String COUNT = "  - id: c\n    kind: count\n    window: 1h\n";
    private static final String SCHEMA = "  - id: s\n    kind: schema_change\n";

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("  - id: k\n    kind: metric_threshold\n    select: {metric: m}\n    info: 5\n    warning: 3\n",
                        "rule 'k': field 'warning': thresholds in the wrong order: with direction above, warning (3) must be greater than info (5)"),
                Arguments.of("  - id: k\n    kind: metric_threshold\n    select: {metric: m}\n    direction: below\n    info: 1\n    critical: 2\n",
                        "rule 'k': field 'critical': thresholds in the wrong order: with direction below, critical (2) must be less than info (1)"),
                Arguments.of("  - id: f\n    kind: dataset_freshness\n    info: 3h\n    warning: 2h\n",
                        "rule 'f': field 'warning': thresholds in the wrong order: with direction above, warning (2h) must be greater than info (3h)"),
                Arguments.of("  - id: k\n    kind: metric_threshold\n    select: {metric: m}\n    info: lots\n",
                        "rule 'k': field 'info': 'lots' is not a number"),
                Arguments.of(COUNT.replace("    window: 1h\n", "") + "    warning: 5\n",
                        "rule 'c': field 'window': is required for kind count"),
                Arguments.of(COUNT, "rule 'c': field 'warning': a count rule needs an info, warning or critical threshold"),
                Arguments.of(COUNT + "    warning: 5\n    where: {event_typ: FAIL}\n",
                        "rule 'c': field 'where.event_typ': unknown field 'event_typ'"),
                Arguments.of(COUNT + "    warning: 5\n    where: [FAIL]\n",
                        "rule 'c': field 'where': must be a map of event fields to a value or a list of values"),
                Arguments.of(COUNT + "    warning: 5\n    select: {key: usr}\n", "rule 'c': field 'select.key': unknown field 'usr'"),
                Arguments.of(COUNT + "    warning: 5\n    select: {key: labels.}\n", "rule 'c': field 'select.key': unknown field 'labels.'; "
                        + "known fields are " + EventFields.described()),
                Arguments.of(COUNT + "    warning: 5\n    where: {labels.version: [\"!\", \"1.3.0\"]}\n",
                        "rule 'c': field 'where.labels.version': '!' needs a value after it (!v: any value but v)"),
                Arguments.of(COUNT + "    warning: 5\n    select: {field: job}\n", "rule 'c': field 'select.field': count rules do not select by field"),
                Arguments.of(SCHEMA + "    warning: 1\n", "rule 's': field 'warning': schema_change rules take no warning (a schema change has no threshold"),
                Arguments.of(SCHEMA + "    changes: {dropped: critical}\n",
                        "rule 's': field 'changes.dropped': unknown change; known changes are added, removed, retyped"),
                Arguments.of(SCHEMA + "    changes: {removed: urgent}\n",
                        "rule 's': field 'changes.removed': 'urgent' is not info, warning, critical or none"),
                Arguments.of(SCHEMA + "    changes: {removed: none, retyped: none, added: none}\n",
                        "rule 's': field 'changes': every change is none: the rule could never fire"),
                Arguments.of(SCHEMA + "    for: 10m\n",
                        "rule 's': field 'for': a schema change is an event, not a condition that holds: it fires at once"),
                Arguments.of(SCHEMA + "    resolve_after: soon\n", "rule 's': field 'resolve_after': 'soon' is not a duration"),
                Arguments.of(SCHEMA + "    select: {metric: m}\n", "rule 's': field 'select.metric': schema_change rules do not select by metric"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("broken")
    void brokenRulesAreRefusedNamingRuleAndField(String yaml, String message) {
        assertThatThrownBy(() -> RulesFile.parse("rules:\n" + yaml, "test.yaml"))
                .isInstanceOf(RuleSetException.class).hasMessageContaining(message);
    }

    @Test
    void threeLevelsOnAnyThresholdKind() throws Exception {
        Rule r = RulesFile.parse("rules:\n  - id: k\n    kind: metric_threshold\n    select: {metric: m}\n"
                + "    info: 1\n    warning: 5\n    critical: 10\n", "t").rule("k");
        assertThat(r.severityOf(0.5)).isNull();
        assertThat(r.severityOf(2)).isEqualTo(Severity.INFO);
        assertThat(r.severityOf(6)).isEqualTo(Severity.WARNING);
        assertThat(r.severityOf(11)).isEqualTo(Severity.CRITICAL);
        assertThat(r.threshold(Severity.INFO)).isEqualTo(1);
        Rule below = RulesFile.parse("rules:\n  - id: k\n    kind: failure_rate\n    window: 1h\n    direction: below\n"
                + "    info: 50%\n    critical: 10%\n", "t").rule("k");
        assertThat(below.severityOf(0.3)).isEqualTo(Severity.INFO);
        assertThat(below.severityOf(0.05)).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void schemaChangeDefaultsAndRetention() throws Exception {
        Rule r = RulesFile.parse("rules:\n" + SCHEMA, "t").rule("s");
        assertThat(r.schemaRemoved).isEqualTo(Severity.CRITICAL);
        assertThat(r.schemaRetyped).isEqualTo(Severity.CRITICAL);
        assertThat(r.schemaAdded).isEqualTo(Severity.INFO);
        assertThat(r.keepFiringForMs).isEqualTo(24 * 3_600_000L);
        assertThat(r.retentionMs).isEqualTo(7 * 24 * 3_600_000L);
        Rule month = RulesFile.parse("rules:\n" + SCHEMA + "    resolve_after: 30d\n    changes: {added: none}\n", "t").rule("s");
        assertThat(month.retentionMs).isEqualTo(60 * 24 * 3_600_000L);
        assertThat(month.schemaAdded).isNull();
        assertThat(month.schemaRemoved).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void metricLabelsAreFieldsAndAValueCanBeExcluded() throws Exception {
        Rule r = RulesFile.parse("rules:\n" + COUNT + "    warning: 0\n    select: {metric: app_info, key: labels.cluster_id}\n"
                + "    where: {labels.version: \"!1.3.0\", metric: app_*}\n", "t").rule("c");
        assertThat(r.selector.key).isEqualTo("labels.cluster_id");
        assertThat(r.where).containsExactly(new Label("labels.version", "!1.3.0"), new Label("metric", "app_*"));
    }

    @Test
    void countWhereKeepsEveryValueOfAField() throws Exception {
        Rule r = RulesFile.parse("rules:\n" + COUNT + "    critical: 3\n    where: {event_type: [FAIL, ABORT], job: \"etl/*\"}\n",
                "t").rule("c");
        assertThat(r.where).containsExactly(new Label("event_type", "FAIL"), new Label("event_type", "ABORT"),
                new Label("job", "etl/*"));
        assertThat(r.windowSlideMs).isEqualTo(60_000L);
    }
}
