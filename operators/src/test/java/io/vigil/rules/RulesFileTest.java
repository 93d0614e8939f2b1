package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Family;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RulesFileTest {
    private static final String OK = "  - id: r1\n    kind: metric_threshold\n    select: {metric: m}\n    warning: 3\n";

    /** Broken rules files and (part of) the message each must produce. */
    static Stream<Arguments> broken() {
        return Stream.of(
                row("rules:\n  - id: r1\n    kind: metric_threshold\n    select: {metric: m}\n    warning: 3\n    treshold: 4\n",
                        "rule 'r1': field 'treshold': unknown key"),
                row("rules:\n  - id: r1\n    kind: metric_treshold\n    warning: 3\n",
                        "rule 'r1': field 'kind': unknown kind 'metric_treshold'; expected one of dataset_freshness"),
                row("rules:\n  - kind: metric_threshold\n    select: {metric: m}\n    warning: 3\n",
                        "rule #1: field 'id': is required"),
                row("rules:\n" + OK + OK, "rule 'r1': id used twice"),
                row("rules:\n  - id: f\n    kind: dataset_freshness\n    warning: 2 hours\n",
                        "rule 'f': field 'warning': '2 hours' is not a duration; write e.g. 500ms, 30s, 5m, 2h, 1d"),
                row("rules:\n  - id: f\n    kind: dataset_freshness\n    warning: 4h\n    critical: 2h\n",
                        "rule 'f': field 'critical': thresholds in the wrong order: with direction above, critical (2h) must be greater than warning (4h)"),
                row("rules:\n  - id: k\n    kind: metric_threshold\n    select: {metric: m}\n    direction: below\n    warning: 1\n    critical: 1.5\n",
                        "rule 'k': field 'critical': thresholds in the wrong order: with direction below, critical (1.5) must be less than warning (1)"),
                row("rules:\n  - id: k\n    kind: metric_threshold\n    select: {metric: m}\n    direction: sideways\n    warning: 1\n",
                        "rule 'k': field 'direction': 'sideways' is not above or below"),
                row("rules:\n  - id: k\n    kind: metric_threshold\n    warning: 1\n",
                        "rule 'k': field 'select.metric': is required for kind metric_threshold"),
                row("rules:\n  - id: fr\n    kind: failure_rate\n    warning: 5%\n",
                        "rule 'fr': field 'window': is required for kind failure_rate"),
                row("rules:\n  - id: fr\n    kind: failure_rate\n    window: {size: 1h, slide: 7m}\n    warning: 5%\n",
                        "rule 'fr': field 'window.slide': must divide the window size evenly"),
                row("rules:\n  - id: fr\n    kind: failure_rate\n    window: {size: 5m, slide: 10m}\n    warning: 5%\n",
                        "rule 'fr': field 'window.slide': must not be longer than the window size"),
                row("rules:\n  - id: fr\n    kind: failure_rate\n    window: 1h\n    warning: 120%\n",
                        "rule 'fr': field 'warning': a share must be between 0 and 1"),
                row("rules:\n  - id: s\n    kind: source_stale\n    window: 5m\n    warning: 5m\n",
                        "rule 's': field 'window': source_stale rules take no window (failure_rate, latency_quantile, invalid_rate, distinct_count"),
                row("rules:\n  - id: s\n    kind: source_stale\n",
                        "rule 's': field 'warning': a source_stale rule needs an info, warning or critical threshold"),
                row("rules:\n  - id: s\n    kind: source_stale\n    select: {family: [auth, billing]}\n    warning: 5m\n",
                        "rule 's': field 'select.family': unknown family 'billing'"),
                row("rules:\n  - id: s\n    kind: source_stale\n    select: {famly: auth}\n    warning: 5m\n",
                        "rule 's': field 'select.famly': unknown key"),
                row("rules:\n  - id: q\n    kind: latency_quantile\n    window: 5m\n    warning: 600s\n",
                        "rule 'q': field 'quantile': is required for kind latency_quantile"),
                row("rules:\n  - id: q\n    kind: latency_quantile\n    quantile: 95\n    window: 5m\n    warning: 600s\n",
                        "rule 'q': field 'quantile': must be between 0 and 1 exclusive"),
                row("rules:\n  - id: d\n    kind: distinct_count\n    window: 10m\n    warning: 20\n",
                        "rule 'd': field 'select.field': is required for kind distinct_count"),
                row("rules:\n  - id: d\n    kind: distinct_count\n    select: {field: destination_computr, key: source_user}\n"
                        + "    window: 10m\n    warning: 20\n",
                        "rule 'd': field 'select.field': unknown field 'destination_computr'; known fields are source_user"),
                row("rules:\n  - id: r1\n    kind: metric_threshold\n    select: {metric: m}\n    warning: 3\n    for: soon\n",
                        "rule 'r1': field 'for': 'soon' is not a duration"),
                row("rules:\n  - id: r1\n    kind: metric_threshold\n    select: {metric: m}\n    warning: 3\n    severity: critical\n",
                        "rule 'r1': field 'severity': comes from the info, warning and critical thresholds"),
                row("rules:\n  - id: d\n    kind: duration_of_run\n", "unknown kind 'duration_of_run'"),
                row("rules:\n  - id: Bad-Id\n    kind: metric_threshold\n    select: {metric: m}\n    warning: 3\n",
                        "rule 'Bad-Id': field 'id': use lower-case letters"),
                row("rules:\n  - id: p\n    kind: pattern\n    pattern: {key: job, steps: [{name: f}], within: 1h}\n"
                        + "    resolve: {after: 1h}\n", "rule 'p': field 'severity': is required for kind pattern"),
                row("rules:\n  - id: p\n    kind: pattern\n    severity: critical\n    warning: 3\n"
                        + "    pattern: {key: job, steps: [{name: f}], within: 1h}\n    resolve: {after: 1h}\n",
                        "rule 'p': field 'warning': pattern rules take no warning"),
                row("rules:\n  - id: p\n    kind: pattern\n    severity: critical\n    pattern: {key: job, steps: [{name: f}]}\n"
                        + "    resolve: {after: 1h}\n", "rule 'p': field 'pattern.within'"),
                row("rules:\n  - id: p\n    kind: pattern\n    severity: critical\n"
                        + "    pattern: {key: destination_user, steps: [{name: f}], within: 1h, entity: [source_computer]}\n"
                        + "    resolve: {when: {outcome: success}}\n", "rule 'p': field 'resolve.when': cannot be combined with pattern.entity"),
                row("rules:\n" + OK + "    resolve: {after: 1h}\n", "rule 'r1': field 'resolve': metric_threshold rules take no resolve (pattern rules do)"),
                row("rules:\n" + OK + "inhibit:\n  - source: {rule_id: r1}\n    target: {rule_id: r2}\n    equal: [entity]\n",
                        "inhibit #1: field 'target.rule_id': no rule 'r2' in this file"),
                row("rules:\n" + OK + "inhibit:\n  - source: {rule_id: r1}\n    equal: [entity]\n",
                        "inhibit #1: field 'target': is required"),
                row("rules:\n" + OK + "inhibit:\n  - source: {rule_id: r1}\n    target: {rule_id: 'r*'}\n    equals: [entity]\n",
                        "inhibit #1: field 'equals': unknown key; known keys are source, target, equal"),
                row("rules:\n" + OK + "inhibit:\n  - source: {rule_id: r1}\n    target: {severity: warning}\n    equal: entity\n",
                        "inhibit #1: field 'equal': must be a list of label names"),
                row("rules:\n" + OK + "inhibit: {source: {rule_id: r1}}\n", "'inhibit' must be a list"),
                row("rules:\n" + OK + "silences: []\n", "unknown top-level key 'silences'; the file holds 'scope', 'rules', 'inhibit', 'escalations', 'time_intervals' and 'mutes'"),
                row("rule:\n" + OK, "expected a map with a 'rules' list"),
                row("rules: [unclosed\n", "not valid YAML"));
    }

    private static Arguments row(String yaml, String message) {
        return Arguments.of(yaml, message);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("broken")
    void brokenFilesAreRefusedWithAMessageNamingRuleAndField(String yaml, String message) {
        assertThatThrownBy(() -> RulesFile.parse(yaml, "test.yaml"))
                .isInstanceOf(RuleSetException.class)
                .hasMessageContaining(message)
                .hasMessageStartingWith("test.yaml: ");
    }

    @Test
    void everyErrorOfAFileIsReportedInOnePass() {
        String yaml = "rules:\n  - id: a\n    kind: nope\n  - id: b\n    kind: source_stale\n    warning: 5 min\n"
                + "  - id: c\n    kind: metric_threshold\n    warning: 1\n";
        RuleSetException e = org.junit.jupiter.api.Assertions.assertThrows(RuleSetException.class,
                () -> RulesFile.parse(yaml, "f"));
        assertThat(e.errors()).hasSize(3);
        assertThat(e.errors()).anyMatch(m -> m.startsWith("rule 'a'"))
                .anyMatch(m -> m.startsWith("rule 'b'")).anyMatch(m -> m.startsWith("rule 'c'"));
    }

    @Test
    void theShippedDefaultRulesLoadWithTheRunbookThresholds() throws Exception {
        RuleSet set = RulesFile.load(Paths.get("../conf/rules.yaml"));
        assertThat(set.rules).extracting(r -> r.id).containsExactly(
                "dataset_freshness", "source_stale", "job_failure_rate", "job_run_duration", "task_latency_p95",
                "dq_assertion_failed", "auth_invalid_records", "ecommerce_invalid_events", "kpi_par_90",
                "kpi_collection_rate", "kpi_rdr_90", "kpi_portfolio_health", "kinesis_iterator_age", "auth_user_fanout",
                "job_consecutive_failures", "auth_bruteforce", "job_flapping");
        assertThat(set.rule("auth_bruteforce").severity).isEqualTo(Severity.CRITICAL);
        assertThat(set.rule("auth_bruteforce").keepFiringForMs).isEqualTo(3_600_000L); // resolve.after
        assertThat(set.rule("job_consecutive_failures").pattern.resolveWhen).isNotNull();
        assertThat(set.rule("job_flapping").severity).isEqualTo(Severity.WARNING);
        Rule fresh = set.rule("dataset_freshness");
        assertThat(fresh.warning).isEqualTo(2 * 3_600_000.0);
        assertThat(fresh.critical).isEqualTo(4 * 3_600_000.0);
        Rule stale = set.rule("source_stale");
        assertThat(stale.selector.families).containsExactly(Family.AUTH, Family.COMMERCE);
        assertThat(stale.warning).isEqualTo(300_000.0);
        Rule failure = set.rule("job_failure_rate");
        assertThat(failure.warning).isEqualTo(0.05);
        assertThat(failure.windowSizeMs).isEqualTo(3_600_000L);
        assertThat(failure.forMs).isEqualTo(600_000L);
        assertThat(set.rule("task_latency_p95").quantile).isEqualTo(0.95);
        assertThat(set.rule("task_latency_p95").windowSlideMs).isEqualTo(60_000L); // judged every minute
        assertThat(failure.windowSlideMs).isEqualTo(60_000L);
        assertThat(set.rule("auth_invalid_records").warning).isEqualTo(0.001);
        Rule collection = set.rule("kpi_collection_rate");
        assertThat(collection.direction).isEqualTo(Direction.BELOW);
        assertThat(collection.severityOf(1.2)).isEqualTo(Severity.WARNING);
        assertThat(collection.severityOf(0.9)).isEqualTo(Severity.CRITICAL);
        assertThat(collection.severityOf(2.0)).isNull();
        assertThat(set.rule("kpi_par_90").severityOf(5.1)).isEqualTo(Severity.CRITICAL);
        assertThat(set.rule("dq_assertion_failed").severity).isEqualTo(Severity.WARNING);
        assertThat(set.rule("auth_user_fanout").selector.key).isEqualTo("source_user");
        String runbook = java.nio.file.Files.readString(Paths.get("../deploy/rules-runbook.md"));
        assertThat(set.rules).allSatisfy(r -> assertThat(runbook).contains("\n## " + r.id + "\n"));
        assertThat(set.rules).allSatisfy(r -> {
            assertThat(r.runbookUrl).isEqualTo("deploy/rules-runbook.md#" + r.id);
            assertThat(r.repeatIntervalMs).isEqualTo(4 * 3_600_000L);
            assertThat(r.labels).extracting(l -> l.key).contains("team");
        });
        assertThat(set.version).hasSize(12);
        assertThat(set.inhibitions).singleElement().satisfies(i -> {
            assertThat(i.source).containsExactly(new Label("rule_id", "source_stale"));
            assertThat(i.target).containsExactly(new Label("rule_id", "auth_invalid_records"),
                    new Label("rule_id", "ecommerce_invalid_events"));
            assertThat(i.equal).containsExactly("entity");
        });
    }

    @Test
    void rulesTravelAsFlinkPojos() {
        assertThat(TypeInformation.of(RuleSet.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(Rule.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(RuleSelector.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(Label.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void globsMatchWholeNames() {
        assertThat(RuleSelector.globMatches("s3://lake/*", "s3://lake/silver/orders")).isTrue();
        assertThat(RuleSelector.globMatches("etl/*_daily", "etl/loans_daily")).isTrue();
        assertThat(RuleSelector.globMatches("etl/*_daily", "etl/loans_daily_v2")).isFalse();
        assertThat(RuleSelector.anyMatches(new String[0], "anything")).isTrue();
        assertThat(RuleSelector.globMatches("failure", "failure")).isTrue();
        assertThat(RuleSelector.globMatches("failure", "failures")).isFalse();
        assertThat(RuleSelector.globMatches("failure", "fail")).isFalse();
        assertThat(RuleSelector.globMatches("", "")).isTrue();
    }

    @Test
    void scopeValuesStandInForTheirReferences() throws Exception {
        RuleSet set = RulesFile.parse("scope:\n  metric: par_90_pct\n  families: [auth, commerce]\n  team: risk\n"
                + "rules:\n  - id: k\n    kind: metric_threshold\n    select: {metric: '${metric}'}\n    warning: 3\n"
                + "    labels: {team: 'x-${team}'}\n"
                + "  - id: s\n    kind: source_stale\n    select: {family: '${families}'}\n    warning: 5m\n", "t");
        assertThat(set.rule("k").selector.metric).isEqualTo("par_90_pct");
        assertThat(set.rule("k").labels).contains(new Label("team", "x-risk"));
        assertThat(set.rule("s").selector.families).containsExactly(Family.AUTH, Family.COMMERCE);
    }

    @Test
    void anUnknownScopeReferenceIsAnError() {
        assertThatThrownBy(() -> RulesFile.parse("scope: {a: b}\nrules:\n  - id: k\n    kind: metric_threshold\n"
                + "    select: {metric: '${metrc}'}\n    warning: 3\n", "t"))
                .hasMessageContaining("'${metrc}': no 'metrc' in 'scope'");
    }

    @Test
    void severalFilesMakeOneSetAndAnIdInTwoIsAnErrorNamingBoth(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path a = java.nio.file.Files.writeString(dir.resolve("a.yaml"), "rules:\n" + OK);
        java.nio.file.Path b = java.nio.file.Files.writeString(dir.resolve("b.yaml"),
                "rules:\n  - id: r2\n    kind: source_stale\n    warning: 5m\n"
                + "inhibit:\n  - source: {rule_id: r2}\n    target: {rule_id: r2}\n    equal: [entity]\n");
        RuleSet both = RulesFile.loadAll(java.util.List.of(a, b));
        assertThat(both.rules).extracting(r -> r.id).containsExactly("r1", "r2");
        assertThat(both.inhibitions).hasSize(1);
        java.nio.file.Path c = java.nio.file.Files.writeString(dir.resolve("c.yaml"), "rules:\n" + OK);
        assertThatThrownBy(() -> RulesFile.loadAll(java.util.List.of(a, b, c)))
                .hasMessageContaining("rule 'r1': defined in both " + a + " and " + c);
    }
}
