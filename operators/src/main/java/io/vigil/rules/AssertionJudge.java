package io.vigil.rules;

import io.vigil.model.ColumnMetric;
import io.vigil.model.DataQualityAssertion;
import io.vigil.model.Dataset;
import io.vigil.model.Envelope;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.Severity;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.TimerService;

/**
 * {@code dq_assertion}: OpenLineage data-quality assertions of a run's datasets (one alert per
 * failing check), and with thresholds the null rates of their dataQualityMetrics. dbt and Great
 * Expectations report them on inputs; a producer that reports them on outputs is read the same.
 * Keeps no state beyond the alert's lifecycle.
 */
final class AssertionJudge implements KindJudge {
    private static final Set<String> FIELDS = RuleReader.THRESHOLD_FIELDS;

    @Override
    public KeyFamily keyFamily() {
        return KeyFamily.DATASET;
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }

    @Override
    public void read(RuleReader in, Rule r) {
        r.selector = in.selector(r.kind);
        in.thresholds(r, true);
        r.severity = in.severity();
        if (r.severity == null) {
            r.severity = Severity.WARNING; // failed assertions, when no null-rate threshold is given
        }
        r.keepFiringForMs = in.duration("keep_firing_for", 0);
    }

    /** {@link RuleInput#code} of an assertion's outcome (value 1 passed, 0 failed). */
    private static final int ASSERTION = 0;
    /** {@link RuleInput#code} of a column's null rate (value the rate). */
    private static final int NULL_RATE = 1;

    @Override
    public void route(Rule rule, Envelope e, List<RuleInput> out) {
        PipelineRunEvent run = e.run;
        if (!e.isValid() || e.late || run == null) {
            return;
        }
        Set<String> entities = new java.util.HashSet<>();
        String where = " in run " + run.runId + " of job " + run.jobKey();
        for (Dataset d : datasets(run)) {
            if (!RuleSelector.anyMatches(rule.selector.datasets, d.qualifiedName())) {
                continue;
            }
            for (DataQualityAssertion a : d.assertions) {
                String entity = assertionEntity(d, a);
                if (entities.add(entity)) { // a dataset both read and written: judged once
                    out.add(RuleInput.of(rule.id, entity, e.eventTime, a.success ? 1 : 0, ASSERTION,
                            entity + (a.success ? " passed" : " failed") + where));
                }
            }
            if (judgesNullRates(rule) && d.rowCount != null && d.rowCount > 0) {
                for (ColumnMetric c : d.columnMetrics) {
                    if (c.nullCount != null && entities.add(nullRateEntity(d, c))) {
                        double rate = (double) c.nullCount / d.rowCount;
                        out.add(RuleInput.of(rule.id, nullRateEntity(d, c), e.eventTime, rate, NULL_RATE,
                                KeyFamily.DATASET.entity(d.qualifiedName()) + " column " + c.column + ": " + c.nullCount
                                        + " nulls in " + d.rowCount + " rows (" + RuleText.pct(rate) + ")" + where));
                    }
                }
            }
        }
    }

    @Override
    public KindJudge open(KeyedStateStore ctx) {
        return this; // stateless
    }

    @Override
    public void onElement(Evaluation ev, RuleInput in) throws Exception {
        if (in.code == ASSERTION) {
            ev.observe(in.value, in.value > 0 ? null : ev.rule.severity, in.eventTime, in.text);
        } else {
            Severity s = ev.rule.severityOf(in.value);
            ev.observe(in.value, s, in.eventTime, in.text + RuleText.describe(ev.rule, s));
        }
    }

    @Override
    public void onTimer(Evaluation ev, long ts) {}

    @Override
    public boolean needsTimerAt(Rule rule, long ts) {
        return false;
    }

    @Override
    public boolean holdsState() {
        return false;
    }

    @Override
    public void clear(Rule rule, TimerService timers) {}

    /** Inputs, then outputs. */
    private static List<Dataset> datasets(PipelineRunEvent run) {
        if (run.outputs.length == 0) {
            return java.util.Arrays.asList(run.inputs);
        }
        List<Dataset> all = new java.util.ArrayList<>(java.util.Arrays.asList(run.inputs));
        all.addAll(java.util.Arrays.asList(run.outputs));
        return all;
    }

    /** A dq_assertion rule with thresholds also judges the null rates of dataQualityMetrics. */
    static boolean judgesNullRates(Rule rule) {
        return rule.info != null || rule.warning != null || rule.critical != null;
    }

    /** {@code dataset NS/NAME column C null rate}: one alert per column. */
    static String nullRateEntity(Dataset d, ColumnMetric c) {
        return KeyFamily.DATASET.entity(d.qualifiedName()) + " column " + c.column + " null rate";
    }

    /** {@code dataset NS/NAME assertion A column C}: one alert per failing check. */
    static String assertionEntity(Dataset d, DataQualityAssertion a) {
        return KeyFamily.DATASET.entity(d.qualifiedName()) + " assertion " + a.assertion
                + (a.column == null ? "" : " column " + a.column);
    }
}
