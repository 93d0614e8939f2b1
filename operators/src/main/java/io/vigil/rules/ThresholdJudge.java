package io.vigil.rules;

import io.vigil.model.Envelope;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.TimerService;

/**
 * {@code metric_threshold}: each sample of a metric series, matched by name and labels, against a
 * threshold. Each sample moves the lifecycle, so samples are judged in event-time order: one ahead
 * of the watermark waits for it (a series spread over parallel readers arrives interleaved
 * differently on every run); beyond that the kind keeps no state but the alert's lifecycle.
 */
final class ThresholdJudge implements KindJudge {
    private static final Set<String> FIELDS = RuleReader.THRESHOLD_FIELDS;
    /** Samples of one series at one event time: the higher value last, so its verdict stands. */
    private static final Comparator<RuleInput> SAME_TIME = Comparator.comparingDouble(in -> in.value);

    private HeldInputs held;

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
        in.thresholdRule(r, "metric", "labels");
        if (r.selector.metric == null) {
            in.error("select.metric", "is required for kind " + r.kind.id());
        }
    }

    @Override
    public void route(Rule rule, Envelope e, List<RuleInput> out) {
        RuleSelector s = rule.selector;
        if (e.isValid() && !e.late && e.metric != null && e.metric.name.equals(s.metric) && labelsMatch(s.labels, e.metric.labels)) {
            out.add(RuleInput.of(rule.id, KeyFamily.METRIC_SERIES.entity(series(e)), e.eventTime, e.metric.value, 0, null));
        }
    }

    @Override
    public KindJudge open(KeyedStateStore ctx) {
        ThresholdJudge j = new ThresholdJudge();
        j.held = new HeldInputs(ctx, SAME_TIME);
        return j;
    }

    @Override
    public boolean hold(RuleInput in, TimerService timers) throws Exception {
        return held.hold(in, timers);
    }

    @Override
    public List<RuleInput> release(long ts) throws Exception {
        return held.release(ts);
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
    public boolean needsTimerAt(Rule rule, long ts) throws Exception {
        return held.contains(ts);
    }

    @Override
    public boolean holdsState() throws Exception {
        return !held.isEmpty();
    }

    @Override
    public void clear(Rule rule, TimerService timers) throws Exception {
        if (rule != null) {
            return; // retired: samples held are later than the retirement and judged as a new entity's
        }
        held.clear(timers);
    }

    /** {@code name{k=v,...}}, labels in key order. */
    static String series(Envelope e) {
        StringBuilder sb = new StringBuilder(e.metric.name).append('{');
        for (int i = 0; i < e.metric.labels.length; i++) {
            Label l = e.metric.labels[i];
            sb.append(i == 0 ? "" : ",").append(l.key).append('=').append(l.value);
        }
        return sb.append('}').toString();
    }

    static boolean labelsMatch(Label[] wanted, Label[] have) {
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
