package io.vigil.rules;

import io.vigil.config.Durations;
import io.vigil.model.Envelope;
import io.vigil.model.RunEventType;
import io.vigil.model.Severity;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.api.common.state.MapState;

/**
 * Kinds that judge a share of bad among all over a window: {@code failure_rate} (FAIL among a
 * job's finished runs) and {@code invalid_rate} (dead letters among a source's records). Per
 * entity: two counts per evaluation interval; the window is judged at every interval end.
 */
final class WindowShareJudge implements KindJudge {
    /** What is counted, and what is bad. */
    enum Share {
        FAILED_RUNS(KeyFamily.JOB, " failed runs "),
        INVALID_RECORDS(KeyFamily.SOURCE, " invalid records ");

        final KeyFamily family;
        final String what;

        Share(KeyFamily family, String what) {
            this.family = family;
            this.what = what;
        }
    }

    private static final Set<String> FIELDS = RuleReader.thresholdFieldsAnd("window", "evaluation_interval");

    private final Share share;
    private MapState<Long, long[]> counts;

    WindowShareJudge(Share share) {
        this.share = share;
    }

    @Override
    public KeyFamily keyFamily() {
        return share.family;
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }

    @Override
    public void read(RuleReader in, Rule r) {
        in.thresholdRule(r);
        in.window(r);
        if (share == Share.INVALID_RECORDS) {
            in.wholeSeconds("evaluation_interval", (double) r.windowSlideMs);
        }
    }

    @Override
    public void route(Rule rule, Envelope e, List<RuleInput> out) {
        if (share == Share.INVALID_RECORDS) {
            // every record, valid or not, counts in its source's rate
            // a second's records of the source, valid or not, and its dead letters
            out.add(RuleInput.of(rule.id, KeyFamily.SOURCE.entity(e.source), e.counts.last, e.counts.bad,
                    (int) Math.min(Integer.MAX_VALUE, e.counts.total), null));
        } else if (e.isValid() && !e.late && e.run != null && finished(e.run.eventType)
                && RuleSelector.anyMatches(rule.selector.jobs, e.run.jobKey())) {
            out.add(RuleInput.of(rule.id, KeyFamily.JOB.entity(e.run.jobKey()), e.eventTime,
                    e.run.eventType == RunEventType.FAIL ? 1 : 0, 0, null));
        }
    }

    /** The runs a failure rate counts: those that finished, well or not (an ABORT is neither). */
    private static boolean finished(RunEventType type) {
        return type == RunEventType.COMPLETE || type == RunEventType.FAIL;
    }

    @Override
    public KindJudge open(KeyedStateStore ctx) {
        WindowShareJudge j = new WindowShareJudge(share);
        j.counts = ctx.getMapState(RuleStates.COUNTS);
        return j;
    }

    @Override
    public void onElement(Evaluation ev, RuleInput in) throws Exception {
        long t = in.eventTime;
        if (share == Share.FAILED_RUNS) {
            add(ev, t, 1, (long) in.value);
        } else if (t >= ev.watermark()) {
            add(ev, t, in.code, (long) in.value);
        }
    }

    private void add(Evaluation ev, long t, long total, long bad) throws Exception {
        long slot = WindowSlots.slotOf(ev.rule, t);
        long[] c = counts.get(slot);
        if (c == null) {
            c = new long[2];
        }
        c[0] += total;
        c[1] += bad;
        counts.put(slot, c);
        ev.timers().registerEventTimeTimer(slot + ev.rule.windowSlideMs);
    }

    /** End of a window [ts - size, ts): judge the share of bad, drop slots no later window needs. */
    @Override
    public void onTimer(Evaluation ev, long ts) throws Exception {
        Rule rule = ev.rule;
        long total = 0;
        long bad = 0;
        for (long[] c : WindowSlots.inWindow(counts, rule, ts, ev.timers())) {
            total += c[0];
            bad += c[1];
        }
        double ratio = total == 0 ? 0 : (double) bad / total;
        Severity s = total == 0 ? null : rule.severityOf(ratio);
        ev.observe(ratio, s, ts, ev.entity + ":" + share.what + bad + " of " + total + " (" + RuleText.pct(ratio)
                + ") in the last " + Durations.format(rule.windowSizeMs) + RuleText.describe(rule, s));
    }

    @Override
    public boolean needsTimerAt(Rule rule, long ts) throws Exception {
        return WindowSlots.needs(rule, counts.keys(), ts);
    }

    @Override
    public boolean holdsState() throws Exception {
        return !counts.isEmpty();
    }

    @Override
    public void clear(Rule rule, TimerService timers) throws Exception {
        WindowSlots.deleteTimers(counts, rule, timers);
        counts.clear();
    }
}
