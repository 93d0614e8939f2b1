package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@code rules check} says of baseline rules, and what a valid one reads as. */
class BaselineRuleCheckTest {
    private static final String HEAD = "rules:\n  - id: b\n    kind: baseline\n";
    private static final String RUNS = HEAD + "    value: run_duration\n";

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of(HEAD + "    above: 2x\n", "field 'value': is required for kind baseline"),
                Arguments.of(HEAD + "    value: latency\n    above: 2x\n", "field 'value': unknown value 'latency'"),
                Arguments.of(HEAD + "    value: metric\n    above: 2x\n", "field 'select.metric': is required for value metric"),
                Arguments.of(HEAD + "    value: event_count\n    select: {job: etl/x}\n    above: 2x\n", "field 'select.job': value event_count does not select by job"),
                Arguments.of(RUNS + "    select: {dataset: s3://x}\n    above: 2x\n", "field 'select.dataset': value run_duration does not select by dataset"),
                Arguments.of(RUNS + "    history: last week\n    above: 2x\n", "field 'history': unknown history 'last week'; write 'trailing 7d'"),
                Arguments.of(RUNS + "    history: trailing a week\n    above: 2x\n", "field 'history': 'a week' is not a span"),
                Arguments.of(RUNS + "    history: trailing 7d\n    weeks: 4\n    above: 2x\n", "field 'weeks': only history same_hour_of_week takes weeks"),
                Arguments.of(RUNS + "    history: same_hour_of_week\n    weeks: 40\n    above: 2x\n", "field 'weeks': must be a whole number of weeks from 1 to 12"),
                Arguments.of(RUNS + "    history: same_hour_of_week\n    window: 5m\n    above: 2x\n", "field 'window': same_hour_of_week compares whole hours"),
                Arguments.of(RUNS + "    history: trailing 90d\n    window: 1m\n    above: 2x\n", "field 'history': the trailing span holds 129600 windows"),
                Arguments.of(RUNS + "    history: trailing 7d\n    window: 5h\n    above: 2x\n", "must be a whole number of windows"),
                Arguments.of(RUNS, "field 'above': a baseline rule needs a comparison: above: 2x, below: 0.5x, zscore: 3"),
                Arguments.of(RUNS + "    above: 2x\n    below: 0.5x\n", "field 'above': give one of above, below or zscore"),
                Arguments.of(RUNS + "    above: 2x\n    critical: 3x\n", "not both"),
                Arguments.of(RUNS + "    above: 0.8x\n", "field 'above': above 0.8x would fire on normal values"),
                Arguments.of(RUNS + "    below: 1.5x\n", "field 'below': below 1.5x would fire on normal values"),
                Arguments.of(RUNS + "    above: -30s\n", "field 'above': above the baseline takes a positive (+) difference"),
                Arguments.of(RUNS + "    above: +thirty\n", "a run_duration difference is a duration"),
                Arguments.of(RUNS + "    above: double\n", "'double' is not a baseline level"),
                Arguments.of(RUNS + "    zscore: high\n", "field 'zscore': 'high' is not a number"),
                Arguments.of(RUNS + "    warning: 2x\n    critical: 1.5x\n", "field 'critical': levels in the wrong order"),
                Arguments.of(RUNS + "    warning: 2x\n    critical: +60s\n", "field 'critical': compares differently from the other level"),
                Arguments.of(RUNS + "    warning: 2x\n    severity: critical\n", "field 'severity': comes from the warning and critical levels"),
                Arguments.of(RUNS + "    above: 2x\n    direction: below\n", "field 'direction': is said by above already"),
                Arguments.of(RUNS + "    above: 2x\n    history: same_hour_of_week\n    weeks: 2\n    min_history: 3w\n",
                        "field 'min_history': (3w) is longer than the history (2w): the rule could never fire"),
                Arguments.of(RUNS + "    above: 2x\n    history: same_hour_of_week\n    min_history: 9\n",
                        "field 'min_history': 9 values: the history holds 1 to 4 (one per week)"),
                Arguments.of(RUNS + "    above: 2x\n    quantile: 0.5\n", "field 'quantile': baseline rules take no quantile"),
                Arguments.of(RUNS + "    above: 2x\n    history: trailing 7d\n    retention: 5d\n",
                        "field 'retention': must be longer than the longest span the rule waits for (168h)"));
    }

    @ParameterizedTest
    @MethodSource("broken")
    void rulesCheckSaysWhatIsWrong(String yaml, String message) {
        assertThatThrownBy(() -> RulesFile.parse(yaml, "test")).isInstanceOf(RuleSetException.class)
                .hasMessageContaining("rule 'b': ").hasMessageContaining(message);
    }

    @Test
    void readsShorthandAndLevels() throws Exception {
        Rule r = RulesFile.parse(RUNS + "    select: {job: \"etl/*\"}\n    history: same_hour_of_week\n    weeks: 4\n"
                + "    min_history: 3w\n    above: 2x\n    severity: critical\n", "test").rules[0];
        assertThat(r.baseline.value).isEqualTo(BaselineSpec.Value.RUN_DURATION);
        assertThat(r.baseline.history).isEqualTo(BaselineSpec.History.SAME_HOUR_OF_WEEK);
        assertThat(r.baseline.historyMs).isEqualTo(4 * BaselineSpec.WEEK_MS);
        assertThat(r.baseline.minHistoryMs).isEqualTo(3 * BaselineSpec.WEEK_MS);
        assertThat(r.baseline.compare).isEqualTo(BaselineSpec.Compare.RATIO);
        assertThat(r.critical).isEqualTo(2.0);
        assertThat(r.warning).isNull();
        assertThat(r.retentionMs).as("twice the history").isEqualTo(8 * BaselineSpec.WEEK_MS);

        Rule below = RulesFile.parse(HEAD + "    value: event_count\n    history: trailing 7d\n    window: 1h\n"
                + "    min_history: 24 points\n    direction: below\n    warning: 3z\n    critical: 5z\n", "test").rules[0];
        assertThat(below.direction).isEqualTo(Direction.BELOW);
        assertThat(below.warning).isEqualTo(-3.0);
        assertThat(below.critical).isEqualTo(-5.0);
        assertThat(below.baseline.minHistoryPoints).isEqualTo(24);
        assertThat(below.baseline.minHistoryMs).isZero();

        Rule diff = RulesFile.parse(RUNS + "    warning: +30s\n    critical: +60s\n    min_history: 3d\n", "test").rules[0];
        assertThat(diff.baseline.compare).isEqualTo(BaselineSpec.Compare.DIFFERENCE);
        assertThat(diff.warning).isEqualTo(30_000.0);
        assertThat(diff.critical).isEqualTo(60_000.0);
        assertThat(diff.baseline.historyMs).as("default history: trailing 7d").isEqualTo(BaselineSpec.WEEK_MS);
    }
}
