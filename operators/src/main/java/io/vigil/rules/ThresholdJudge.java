package io.vigil.rules;

import io.vigil.model.Envelope;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.api.TimerService;

/**
 * {@code metric_threshold}: each sample of a metric series, matched by name and labels, against a
 * threshold. Keeps no state beyond the alert's lifecycle.
 */
final class ThresholdJudge implements KindJudge {
    private static final Set<String> FIELDS = Set.of("select", "direction", "warning", "critical", "severity", "keep_firing_for");

    @Override
    public KeyFamily keyFamily() {
        return KeyFamily.METRIC_SERIES;
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }

    @Override
    public void read(RuleReader in, Rule r) {
        r.selector = in.selector(r.kind, "metric", "labels");
        if (r.selector.metric == null) {
            in.error("select.metric", "is required for kind " + r.kind.id());
        }
        in.thresholds(r, false);
        r.keepFiringForMs = in.duration("keep_firing_for", 0);
    }

    @Override
    public void route(Rule rule, Envelope e, List<RuleInput> out) {
        RuleSelector s = rule.selector;
        if (e.isValid() && !e.late && e.metric != null && e.metric.name.equals(s.metric) && labelsMatch(s.labels, e.metric.labels)) {
            out.add(RuleInput.of(rule.id, KeyFamily.METRIC_SERIES.entity(series(e)), e.eventTime, e.metric.value, 0, null));
        }
    }

    @Override
    public KindJudge open(RuntimeContext ctx) {
        return this; // stateless
    }

    @Override
    public void onElement(Evaluation ev, RuleInput in) throws Exception {
        double v = in.value;
        Severity s = ev.rule.severityOf(v);
        ev.observe(v, s, in.eventTime, in.entity + " is " + RuleText.fmt(v) + RuleText.describe(ev.rule, s));
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

    /** {@code name{k=v,...}}, labels in key order. */
    static String series(Envelope e) {
        StringBuilder sb = new StringBuilder(e.metric.name).append('{');
        for (int i = 0; i < e.metric.labels.length; i++) {
            Label l = e.metric.labels[i];
            sb.append(i == 0 ? "" : ",").append(l.key).append('=').append(l.value);
        }
        return sb.append('}').toString();
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
