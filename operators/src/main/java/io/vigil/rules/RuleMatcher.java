package io.vigil.rules;

import io.vigil.cep.PatternSpec;
import io.vigil.model.ColumnMetric;
import io.vigil.model.DataQualityAssertion;
import io.vigil.model.Dataset;
import io.vigil.model.Envelope;
import io.vigil.model.Family;
import io.vigil.model.Label;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RunEventType;
import java.util.List;

/** Decides which entities of a rule an envelope concerns; the router emits one input per entity. */
public final class RuleMatcher {
    private RuleMatcher() {}

    /** Adds the inputs of {@code e} for {@code rule} to {@code out}. */
    public static void route(Rule rule, Envelope e, List<RuleInput> out) {
        RuleSelector s = rule.selector;
        if (!familyMatches(s, e.family) || !RuleSelector.anyMatches(s.sources, e.source)) {
            return;
        }
        switch (rule.kind) {
            case SOURCE_STALE:
            case INVALID_RATE:
                // every record, valid or not, shows the source alive and counts in its rate
                out.add(new RuleInput(rule.id, "source " + e.source, e, e.eventTime));
                return;
            default:
                break;
        }
        if (!e.isValid() || e.late) {
            return; // the other kinds judge valid events; late ones arrive after their windows closed
        }
        switch (rule.kind) {
            case METRIC_THRESHOLD:
                if (e.metric != null && e.metric.name.equals(s.metric) && labelsMatch(s.labels, e.metric.labels)) {
                    out.add(new RuleInput(rule.id, "metric " + series(e), e, e.eventTime));
                }
                return;
            case DATASET_FRESHNESS:
                if (e.run != null && e.run.eventType == RunEventType.COMPLETE) {
                    for (Dataset d : e.run.outputs) {
                        if (RuleSelector.anyMatches(s.datasets, d.qualifiedName())) {
                            out.add(new RuleInput(rule.id, "dataset " + d.qualifiedName(), e, e.eventTime));
                        }
                    }
                }
                return;
            case FAILURE_RATE:
            case LATENCY_QUANTILE:
                if (e.run != null && RuleSelector.anyMatches(s.jobs, e.run.jobKey())) {
                    out.add(new RuleInput(rule.id, "job " + e.run.jobKey(), e, e.eventTime));
                }
                return;
            case RUN_DURATION:
                if (e.run != null && RuleSelector.anyMatches(s.jobs, e.run.jobKey())) {
                    out.add(new RuleInput(rule.id, "job " + e.run.jobKey() + " run " + e.run.runId, e, e.eventTime));
                }
                return;
            case DQ_ASSERTION:
                routeAssertions(rule, e, out);
                return;
            case PATTERN:
                // matches come from the rule's CEP operator; here only the events that resolve one
                PatternSpec p = rule.pattern;
                if (p != null && p.resolveWhen != null) {
                    String value = EventFields.get(e, p.key);
                    if (value != null && p.resolvedBy(e, value)) {
                        out.add(new RuleInput(rule.id, p.keyEntity(value), e, e.eventTime));
                    }
                }
                return;
            case DISTINCT_COUNT:
                String key = EventFields.get(e, s.key);
                if (key != null && EventFields.get(e, s.field) != null) {
                    out.add(new RuleInput(rule.id, s.key.replace('_', ' ') + " " + key, e, e.eventTime));
                }
                return;
            default:
                return;
        }
    }

    private static void routeAssertions(Rule rule, Envelope e, List<RuleInput> out) {
        PipelineRunEvent run = e.run;
        if (run == null) {
            return;
        }
        for (Dataset d : run.inputs) {
            if (!RuleSelector.anyMatches(rule.selector.datasets, d.qualifiedName())) {
                continue;
            }
            for (DataQualityAssertion a : d.assertions) {
                out.add(new RuleInput(rule.id, assertionEntity(d, a), e, e.eventTime));
            }
            if (judgesNullRates(rule) && d.rowCount != null && d.rowCount > 0) {
                for (ColumnMetric c : d.columnMetrics) {
                    if (c.nullCount != null) {
                        out.add(new RuleInput(rule.id, nullRateEntity(d, c), e, e.eventTime));
                    }
                }
            }
        }
    }

    /** A dq_assertion rule with thresholds also judges the null rates of dataQualityMetrics. */
    public static boolean judgesNullRates(Rule rule) {
        return rule.warning != null || rule.critical != null;
    }

    /** {@code dataset NS/NAME column C null rate}: one alert per column. */
    public static String nullRateEntity(Dataset d, ColumnMetric c) {
        return "dataset " + d.qualifiedName() + " column " + c.column + " null rate";
    }

    /** {@code dataset NS/NAME assertion A column C}: one alert per failing check. */
    public static String assertionEntity(Dataset d, DataQualityAssertion a) {
        return "dataset " + d.qualifiedName() + " assertion " + a.assertion + (a.column == null ? "" : " column " + a.column);
    }

    /** {@code name{k=v,...}}, labels in key order. */
    public static String series(Envelope e) {
        StringBuilder sb = new StringBuilder(e.metric.name).append('{');
        for (int i = 0; i < e.metric.labels.length; i++) {
            Label l = e.metric.labels[i];
            sb.append(i == 0 ? "" : ",").append(l.key).append('=').append(l.value);
        }
        return sb.append('}').toString();
    }

    private static boolean familyMatches(RuleSelector s, Family f) {
        if (s.families.length == 0) {
            return true;
        }
        for (Family x : s.families) {
            if (x == f) {
                return true;
            }
        }
        return false;
    }

    private static boolean labelsMatch(Label[] wanted, Label[] have) {
        for (Label w : wanted) {
            boolean found = false;
            for (Label h : have) {
                if (h.key.equals(w.key) && h.value.equals(w.value)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
