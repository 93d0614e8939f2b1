package io.vigil.rules;

import io.vigil.config.Durations;
import io.vigil.model.Envelope;
import io.vigil.model.Severity;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.TimerService;

/**
 * {@code count}: events the selector and {@code where} admit, per entity (a {@code select.key}
 * field's value, else the source), over a window: failed runs of a pipeline, error samples,
 * failed logons per user. Per entity: one count per evaluation interval, judged at every interval
 * end like the other windows.
 */
final class CountJudge implements KindJudge {
    private static final Set<String> FIELDS = RuleReader.thresholdFieldsAnd("window", "evaluation_interval", "where");

    private MapState<Long, long[]> counts;

    @Override
    public KeyFamily keyFamily() {
        return KeyFamily.FIELD;
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }

    @Override
    public void read(RuleReader in, Rule r) {
        in.thresholdRule(r, "metric", "labels", "key");
        if (r.selector.key != null) {
            in.knownField(r.kind, "select.key", r.selector.key);
        }
        in.where(r);
        in.window(r);
    }

    @Override
    public void route(Rule rule, Envelope e, List<RuleInput> out) {
        RuleSelector s = rule.selector;
        if (!e.isValid() || e.late || !admits(rule, e)) {
            return;
        }
        String entity;
        if (s.key != null) {
            String key = EventFields.get(e, s.key);
            if (key == null) {
                return;
            }
            entity = EventFields.entityName(s.key) + " " + key;
        } else {
            entity = KeyFamily.SOURCE.entity(e.source);
        }
        out.add(RuleInput.of(rule.id, entity, e.eventTime, 1, 0, null));
    }

    /** The selector's jobs, datasets and metric, then every {@code where} field. */
    static boolean admits(Rule rule, Envelope e) {
        RuleSelector s = rule.selector;
        if (s.jobs.length > 0 && (e.run == null || !RuleSelector.anyMatches(s.jobs, e.run.jobKey()))) {
            return false;
        }
        if (s.metric != null && (e.metric == null || !e.metric.name.equals(s.metric)
                || !ThresholdJudge.labelsMatch(s.labels, e.metric.labels))) {
            return false;
        }
        for (int i = 0; i < rule.where.length; ) {
            String field = rule.where[i].key;
            int end = i;
            while (end < rule.where.length && rule.where[end].key.equals(field)) {
                end++;
            }
            String[] options = new String[end - i];
            for (int j = i; j < end; j++) {
                options[j - i] = rule.where[j].value;
            }
            if (!RuleSelector.valueMatches(options, EventFields.get(e, field))) {
                return false;
            }
            i = end;
        }
        return true;
    }

    @Override
    public KindJudge open(KeyedStateStore ctx) {
        CountJudge j = new CountJudge();
        j.counts = ctx.getMapState(RuleStates.COUNTS);
        return j;
    }

    @Override
    public void onElement(Evaluation ev, RuleInput in) throws Exception {
        long t = in.eventTime;
        if (t < ev.watermark()) {
            return; // its windows have been judged already
        }
        long slot = WindowSlots.slotOf(ev.rule, t);
        long[] c = counts.get(slot);
        boolean opened = c == null;
        if (opened) {
            c = new long[1];
        }
        c[0] += (long) in.value;
        counts.put(slot, c);
        if (opened) {
            // behind the watermark nothing is added: an open slot's window end is still to come
            ev.timers().registerEventTimeTimer(slot + ev.rule.windowSlideMs);
        }
    }

    /** End of a window [ts - size, ts): the events counted in its slots. */
    @Override
    public void onTimer(Evaluation ev, long ts) throws Exception {
        Rule rule = ev.rule;
        long n = 0;
        for (long[] c : WindowSlots.inWindow(counts, rule, ts, ev.timers())) {
            n += c[0];
        }
        Severity s = rule.severityOf(n);
        ev.observe(n, s, ts, ev.entity + ": " + n + (n == 1 ? " event" : " events") + what(rule) + " in the last "
                + Durations.format(rule.windowSizeMs) + RuleText.describe(rule, s));
    }

    /** {@code " (event_type FAIL)"}: what was counted, from the where fields; "" when none. */
    private static String what(Rule rule) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rule.where.length; i++) {
            boolean sameKey = i > 0 && rule.where[i - 1].key.equals(rule.where[i].key);
            sb.append(i == 0 ? " (" : sameKey ? "|" : ", ");
            sb.append(sameKey ? "" : rule.where[i].key + " ").append(rule.where[i].value);
        }
        return sb.length() == 0 ? "" : sb.append(')').toString();
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
