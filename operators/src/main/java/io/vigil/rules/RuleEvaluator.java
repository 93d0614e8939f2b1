package io.vigil.rules;

import io.vigil.alert.AlertLifecycle;
import io.vigil.alert.AlertTrack;
import io.vigil.metrics.VigilMetrics;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Judges one (rule, entity) — the key — and runs its alert lifecycle; what a kind measures, keeps
 * and times lives in its {@link KindJudge}. Event time is the clock: deadlines (staleness, run
 * budgets, {@code for}, {@code keep_firing_for}, repeats, window ends) are event-time timers, and
 * an element that arrives ahead of the watermark first settles the deadlines it has passed, so the
 * alerts do not depend on how inputs interleave. A deadline later than the greatest event time
 * seen on any input (the broadcast clock) lies beyond the input and does not fire: a replay does
 * not alert merely because its files ended.
 *
 * <p>In replay the clock also reports gaps, spans of event time without data in any input (two
 * inputs from different years, a weekend): a firing alert does not repeat inside one (see
 * {@link AlertLifecycle}). A gap reaches this operator before the watermark that passes its start.
 *
 * <p>State is cleared when an alert resolves and its entity has nothing left in a window; the
 * last-seen time of a source or dataset is kept while it is the subject of a deadline.
 */
public class RuleEvaluator extends KeyedBroadcastProcessFunction<String, RuleInput, Control, AlertEvent> {
    private static final long serialVersionUID = 1L;

    private final RuleSet initial;
    /** Replay stamps emitted_at with event time, so the same input gives the same output. */
    private final boolean replay;

    private transient ValueState<AlertTrack> track;
    /** This operator's judges, with their state handles. */
    private transient Map<RuleKind, KindJudge> judges;
    private transient List<AlertEvent> pending;
    private transient MetricGroup metrics;
    private transient Map<String, Counter> fired;
    /** The watermark at the last element or timer, for the lag gauge. */
    private transient volatile long watermark;

    public RuleEvaluator(RuleSet initial, boolean replay) {
        this.initial = initial;
        this.replay = replay;
    }

    @Override
    public void open(Configuration parameters) {
        track = getRuntimeContext().getState(RuleStates.TRACK);
        judges = new EnumMap<>(RuleKind.class);
        for (RuleKind k : RuleKind.values()) {
            judges.put(k, k.judge().open(getRuntimeContext()));
        }
        pending = new ArrayList<>();
        metrics = VigilMetrics.root(getRuntimeContext().getMetricGroup());
        fired = new HashMap<>();
        watermark = Long.MIN_VALUE;
        // how far the rules' event time is behind the wall clock: a stuck or lagging input shows here
        metrics.gauge(VigilMetrics.RULE_EVALUATION_LAG_MS, (Gauge<Long>) () -> watermark == Long.MIN_VALUE ? 0L
                : Math.max(0L, System.currentTimeMillis() - watermark));
    }

    /** The end of input's final watermark is no lag: the gauge keeps the last real one. */
    private void sawWatermark(long w) {
        if (w != Long.MAX_VALUE) {
            watermark = w;
        }
    }

    @Override
    public void processElement(RuleInput in, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        sawWatermark(ctx.timerService().currentWatermark());
        Rule rule = rules(ctx.getBroadcastState(RuleStates.RULES)).rule(in.ruleId);
        if (rule == null) {
            clearAll(); // the rule was removed by an update
            return;
        }
        KindJudge judge = judges.get(rule.kind);
        Evaluation ev = new Evaluation(rule, in.entity, replay, ctx, track, judge, pending);
        judge.onElement(ev, in);
        finish(ev, out);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        sawWatermark(ctx.timerService().currentWatermark());
        String[] key = ctx.getCurrentKey().split("\u0000", 2);
        Rule rule = rules(ctx.getBroadcastState(RuleStates.RULES)).rule(key[0]);
        if (rule == null) {
            clearAll();
            return;
        }
        KindJudge judge = judges.get(rule.kind);
        Evaluation ev = new Evaluation(rule, key[1], replay, ctx, track, judge, pending);
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            judge.onProcessingTimer(ev, ts);
            finish(ev, out);
            return;
        }
        Long clock = ctx.getBroadcastState(RuleStates.CLOCK).get(RuleStates.CURRENT);
        if (clock == null || ts > clock) {
            return; // beyond the last event time of every input: the input ended, nothing happened
        }
        if (!ev.movedRepeat(ts)) {
            judge.onTimer(ev, ts);
        }
        // A repeat that a gap learnt since has moved only re-arms the lifecycle, as if its timer had
        // been set after the gap was known: observing here (a staleness "silent for") would make
        // the next repeat's summary depend on when the gap came.
        ev.advanceTo(ts);
        finish(ev, out);
    }

    @Override
    public void processBroadcastElement(Control c, Context ctx, Collector<AlertEvent> out) throws Exception {
        RuleStates.apply(c, ctx.getBroadcastState(RuleStates.RULES), null, ctx.getBroadcastState(RuleStates.CLOCK),
                ctx.getBroadcastState(RuleStates.GAPS), initial, ctx.currentWatermark());
    }

    /** Emits the call's alert events (silences and inhibit rules apply downstream) and sets the next timer. */
    private void finish(Evaluation ev, Collector<AlertEvent> out) throws Exception {
        for (AlertEvent a : pending) {
            if (replay) {
                a.emittedAt = a.eventTime;
            }
            count(a);
            out.collect(a);
        }
        pending.clear();
        ev.finish();
    }

    /** Counts an alert that starts firing (not a repeat or an escalation) under its rule. */
    private void count(AlertEvent a) {
        if (a.state == AlertState.FIRING && a.eventTime == a.startsAt) {
            fired.computeIfAbsent(a.ruleId, r -> metrics.addGroup("rule", r).counter(VigilMetrics.ALERTS_FIRED)).inc();
        }
    }

    private RuleSet rules(ReadOnlyBroadcastState<String, RuleSet> state) throws Exception {
        RuleSet s = state.get(RuleStates.CURRENT);
        return s != null ? s : initial;
    }

    private void clearAll() {
        track.clear();
        for (KindJudge j : judges.values()) {
            j.clear();
        }
    }
}
