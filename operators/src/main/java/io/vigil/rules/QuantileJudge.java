package io.vigil.rules;

import io.vigil.config.Durations;
import io.vigil.model.Envelope;
import io.vigil.model.RunEventType;
import io.vigil.model.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.api.common.state.MapState;

/**
 * {@code latency_quantile}: a quantile of a job's run durations over a window. Per job: the start
 * times of its open runs, and the durations of runs that ended, per evaluation interval.
 */
final class QuantileJudge implements KindJudge {
    private static final Set<String> FIELDS = RuleReader.thresholdFieldsAnd("window", "evaluation_interval", "quantile");

    private MapState<Long, double[]> durations;
    private MapState<String, Long> runStarts;

    @Override
    public KeyFamily keyFamily() {
        return KeyFamily.JOB;
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }

    @Override
    public void read(RuleReader in, Rule r) {
        in.thresholdRule(r);
        in.window(r);
        in.quantile(r);
    }

    @Override
    public void route(Rule rule, Envelope e, List<RuleInput> out) {
        if (e.isValid() && !e.late && e.run != null && RuleSelector.anyMatches(rule.selector.jobs, e.run.jobKey())) {
            out.add(RuleInput.of(rule.id, KeyFamily.JOB.entity(e.run.jobKey()), e.eventTime, 0, e.run.eventType.ordinal(),
                    e.run.runId));
        }
    }

    @Override
    public KindJudge open(KeyedStateStore ctx) {
        QuantileJudge j = new QuantileJudge();
        j.durations = ctx.getMapState(RuleStates.DURATIONS);
        j.runStarts = ctx.getMapState(RuleStates.RUN_STARTS);
        return j;
    }

    @Override
    public void onElement(Evaluation ev, RuleInput in) throws Exception {
        String runId = in.text;
        long t = in.eventTime;
        switch (RunEventType.values()[in.code]) {
            case START:
            case RUNNING:
                if (!runStarts.contains(runId)) {
                    runStarts.put(runId, t);
                }
                return;
            case COMPLETE:
            case FAIL:
            case ABORT:
                Long start = runStarts.get(runId);
                runStarts.remove(runId);
                if (start == null || t < ev.watermark()) {
                    return;
                }
                long slot = WindowSlots.slotOf(ev.rule, t);
                double[] d = durations.get(slot);
                boolean opened = d == null;
                d = opened ? new double[1] : Arrays.copyOf(d, d.length + 1);
                d[d.length - 1] = t - start;
                durations.put(slot, d);
                if (opened) {
                    // behind the watermark nothing is added: an open slot's window end is still to come
                    ev.timers().registerEventTimeTimer(slot + ev.rule.windowSlideMs);
                }
                return;
            default:
        }
    }

    @Override
    public void onTimer(Evaluation ev, long ts) throws Exception {
        Rule rule = ev.rule;
        List<Double> all = new ArrayList<>();
        for (double[] d : WindowSlots.inWindow(durations, rule, ts, ev.timers())) {
            for (double x : d) {
                all.add(x);
            }
        }
        if (all.isEmpty()) {
            ev.observe(0, null, ts, ev.entity + ": no finished runs in the last " + Durations.format(rule.windowSizeMs));
            return;
        }
        all.sort(Double::compare);
        // nearest-rank quantile: the smallest duration with at least q of the runs at or below it
        double q = all.get((int) Math.max(0, Math.ceil(rule.quantile * all.size()) - 1));
        Severity s = rule.severityOf(q);
        ev.observe(q, s, ts, ev.entity + ": p" + Math.round(rule.quantile * 100) + " run duration "
                + Durations.format((long) q) + " over " + all.size() + " runs in the last "
                + Durations.format(rule.windowSizeMs) + RuleText.describe(rule, s));
    }

    @Override
    public boolean needsTimerAt(Rule rule, long ts) throws Exception {
        return WindowSlots.needs(rule, durations.keys(), ts);
    }

    @Override
    public boolean holdsState() throws Exception {
        return !durations.isEmpty() || !runStarts.isEmpty();
    }

    @Override
    public void clear(Rule rule, TimerService timers) throws Exception {
        WindowSlots.deleteTimers(durations, rule, timers);
        durations.clear();
        runStarts.clear();
    }
}
