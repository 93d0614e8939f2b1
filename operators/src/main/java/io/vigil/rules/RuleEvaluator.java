package io.vigil.rules;

import io.vigil.alert.AlertLifecycle;
import io.vigil.alert.AlertTrack;
import io.vigil.alert.Observation;
import io.vigil.config.Durations;
import io.vigil.metrics.VigilMetrics;
import io.vigil.model.AlertEvent;
import io.vigil.model.ColumnMetric;
import io.vigil.model.DataQualityAssertion;
import io.vigil.model.Dataset;
import io.vigil.model.Envelope;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RunEventType;
import io.vigil.model.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Judges one (rule, entity) — the key — and runs its alert lifecycle. Event time is the clock:
 * deadlines (staleness, run budgets, {@code for}, {@code keep_firing_for}, repeats, window ends)
 * are event-time timers, and an element that arrives ahead of the watermark first settles the
 * deadlines it has passed, so the alerts do not depend on how inputs interleave. A deadline later
 * than the greatest event time seen on any input (the broadcast clock) lies beyond the input and
 * does not fire: a replay does not alert merely because its files ended.
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
    private transient ValueState<Long> lastSeen;
    private transient ValueState<Long> arrived;
    private transient ValueState<Long> settled;
    private transient MapState<Long, long[]> counts;
    private transient MapState<Long, double[]> durations;
    private transient MapState<String, Long> runStarts;
    private transient MapState<Long, String[]> distinct;
    private transient MapState<Long, Boolean> resolves;
    private transient List<AlertEvent> pending;
    private transient org.apache.flink.metrics.MetricGroup metrics;
    private transient java.util.Map<String, org.apache.flink.metrics.Counter> fired;
    /** The watermark at the last element or timer, for the lag gauge. */
    private transient volatile long watermark;

    public RuleEvaluator(RuleSet initial, boolean replay) {
        this.initial = initial;
        this.replay = replay;
    }

    @Override
    public void open(Configuration parameters) {
        track = getRuntimeContext().getState(RuleStates.TRACK);
        lastSeen = getRuntimeContext().getState(RuleStates.LAST_SEEN);
        arrived = getRuntimeContext().getState(RuleStates.ARRIVED);
        settled = getRuntimeContext().getState(RuleStates.SETTLED);
        counts = getRuntimeContext().getMapState(RuleStates.COUNTS);
        durations = getRuntimeContext().getMapState(RuleStates.DURATIONS);
        runStarts = getRuntimeContext().getMapState(RuleStates.RUN_STARTS);
        distinct = getRuntimeContext().getMapState(RuleStates.DISTINCT);
        resolves = getRuntimeContext().getMapState(RuleStates.RESOLVES);
        pending = new ArrayList<>();
        metrics = VigilMetrics.root(getRuntimeContext().getMetricGroup());
        fired = new java.util.HashMap<>();
        watermark = Long.MIN_VALUE;
        // how far the rules' event time is behind the wall clock: a stuck or lagging input shows here
        metrics.gauge(VigilMetrics.RULE_EVALUATION_LAG_MS,
                (org.apache.flink.metrics.Gauge<Long>) () -> watermark == Long.MIN_VALUE ? 0L
                        : Math.max(0L, System.currentTimeMillis() - watermark));
    }

    /** The end of input's final watermark is no lag: the gauge keeps the last real one. */
    private void sawWatermark(long w) {
        if (w != Long.MAX_VALUE) {
            watermark = w;
        }
    }

    /** Counts an alert that starts firing (not a repeat or an escalation) under its rule. */
    private void count(AlertEvent a) {
        if (a.state == io.vigil.model.AlertState.FIRING && a.eventTime == a.startsAt) {
            fired.computeIfAbsent(a.ruleId, r -> metrics.addGroup("rule", r).counter(VigilMetrics.ALERTS_FIRED)).inc();
        }
    }

    // ---- elements -------------------------------------------------------------------------

    @Override
    public void processElement(RuleInput in, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        sawWatermark(ctx.timerService().currentWatermark());
        Rule rule = rules(ctx.getBroadcastState(RuleStates.RULES)).rule(in.ruleId);
        if (rule == null) {
            clearAll(); // the rule was removed by an update
            return;
        }
        Step step = new Step(rule, in.entity, ctx);
        long t = in.eventTime;
        switch (rule.kind) {
            case METRIC_THRESHOLD:
                double v = in.envelope.metric.value;
                step.observe(v, rule.severityOf(v), t, in.entity + " is " + fmt(v) + describe(rule, rule.severityOf(v)));
                break;
            case SOURCE_STALE:
            case DATASET_FRESHNESS:
                onAlive(step, t, ctx);
                break;
            case RUN_DURATION:
                onRunEvent(step, in.envelope.run, t, ctx);
                break;
            case INVALID_RATE:
                if (t >= ctx.timerService().currentWatermark()) {
                    addCount(rule, t, in.envelope.isValid() ? 0 : 1, ctx);
                }
                break;
            case FAILURE_RATE:
                RunEventType type = in.envelope.run.eventType;
                if (type == RunEventType.COMPLETE || type == RunEventType.FAIL) {
                    addCount(rule, t, type == RunEventType.FAIL ? 1 : 0, ctx);
                }
                break;
            case LATENCY_QUANTILE:
                onRunForLatency(rule, in.envelope.run, t, ctx);
                break;
            case DQ_ASSERTION:
                onAssertion(step, in, t);
                break;
            case DISTINCT_COUNT:
                onDistinct(step, in, t, ctx);
                break;
            case PATTERN:
                onPattern(step, in, t, ctx);
                break;
            default:
                break;
        }
        step.finish(ctx, out);
    }

    // ---- timers ---------------------------------------------------------------------------

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        sawWatermark(ctx.timerService().currentWatermark());
        String[] key = ctx.getCurrentKey().split("\u0000", 2);
        Rule rule = rules(ctx.getBroadcastState(RuleStates.RULES)).rule(key[0]);
        if (rule == null) {
            clearAll();
            return;
        }
        if (ctx.timeDomain() == org.apache.flink.streaming.api.TimeDomain.PROCESSING_TIME) {
            onSilence(rule, key[1], ts, ctx, out);
            return;
        }
        Long clock = ctx.getBroadcastState(RuleStates.CLOCK).get(RuleStates.CURRENT);
        if (clock == null || ts > clock) {
            return; // beyond the last event time of every input: the input ended, nothing happened
        }
        Step step = new Step(rule, key[1], ctx);
        if (step.movedRepeat(ts)) {
            // The repeat this timer was set for lies in a gap learnt since: only re-arm the
            // lifecycle, as if the timer had been set after the gap was known. Observing here (a
            // staleness "silent for") would make the next repeat's summary depend on when the gap came.
            step.advanceTo(ts);
            step.finish(ctx, out);
            return;
        }
        switch (rule.kind) {
            case SOURCE_STALE:
            case DATASET_FRESHNESS:
            case RUN_DURATION:
                Long last = lastSeen.value();
                if (last != null) {
                    deadlineAt(step, last, ts);
                }
                break;
            case INVALID_RATE:
            case FAILURE_RATE:
                windowEnd(step, ts, ctx);
                break;
            case LATENCY_QUANTILE:
                latencyWindowEnd(step, ts, ctx);
                break;
            case DISTINCT_COUNT:
                distinctWindowEnd(step, ts, ctx);
                break;
            case PATTERN:
                patternResolveAt(step, ts);
                break;
            default:
                break;
        }
        step.advanceTo(ts);
        step.finish(ctx, out);
    }

    /** A processing-time deadline: if event time has not reached it (inputs silent), judge it now. */
    private void onSilence(Rule rule, String entity, long ts, OnTimerContext ctx, Collector<AlertEvent> out)
            throws Exception {
        Long last = lastSeen.value();
        Long base = arrived.value();
        if (last == null || base == null) {
            return;
        }
        long due = last + (ts - base);
        if (due <= ctx.timerService().currentWatermark()) {
            return; // event time got there: its own timer judged it
        }
        Step step = new Step(rule, entity, ctx);
        deadlineAt(step, last, due);
        step.advanceTo(due);
        step.finish(ctx, out);
    }

    // ---- control --------------------------------------------------------------------------

    @Override
    public void processBroadcastElement(Control c, Context ctx, Collector<AlertEvent> out) throws Exception {
        RuleStates.apply(c, ctx.getBroadcastState(RuleStates.RULES), null, ctx.getBroadcastState(RuleStates.CLOCK),
                ctx.getBroadcastState(RuleStates.GAPS), initial, ctx.currentWatermark());
    }

    // ---- kinds ----------------------------------------------------------------------------

    /** A source or dataset showed life at t: settle the staleness it had, then it is fresh. */
    private void onAlive(Step step, long t, ReadOnlyContext ctx) throws Exception {
        Long last = lastSeen.value();
        if (last != null && t <= last) {
            return; // older than what we know
        }
        if (last != null) {
            settleDeadlines(step, last, t, ctx.timerService().currentWatermark());
        }
        step.observe(0, null, t, step.entity + " is fresh again");
        lastSeen.update(t);
        settled.clear();
        moveDeadlines(step, last, t, ctx);
        moveFallback(step.rule, replay ? null : ctx.timerService().currentProcessingTime(), ctx);
    }

    /**
     * Replaces the deadline timers of {@code from} by those of {@code to} (either may be null): a
     * busy source keeps two timers, not two per record, and a closed run keeps none. A timer the
     * lifecycle also needs is left in place.
     */
    private static void moveDeadlines(Step step, Long from, Long to, ReadOnlyContext ctx) throws Exception {
        for (Double th : thresholdsAscending(step.rule)) {
            if (from != null && from + th.longValue() != step.track().timer) {
                ctx.timerService().deleteEventTimeTimer(from + th.longValue());
            }
            if (to != null) {
                ctx.timerService().registerEventTimeTimer(to + th.longValue());
            }
        }
    }

    /**
     * Live only: the same deadlines as processing-time timers, counted from the arrival
     * ({@code arrivedAt}, null to drop them) of the last-seen record. When every input goes silent
     * the watermark stops, and these still fire, at the deadline, judged at its event time.
     */
    private void moveFallback(Rule rule, Long arrivedAt, ReadOnlyContext ctx) throws Exception {
        Long before = arrived.value();
        for (Double th : thresholdsAscending(rule)) {
            if (before != null) {
                ctx.timerService().deleteProcessingTimeTimer(before + th.longValue());
            }
            if (arrivedAt != null) {
                ctx.timerService().registerProcessingTimeTimer(arrivedAt + th.longValue());
            }
        }
        if (arrivedAt == null) {
            arrived.clear();
        } else {
            arrived.update(arrivedAt);
        }
    }

    /** A run event: START/RUNNING begin the clock, an end settles the budget and closes the run. */
    private void onRunEvent(Step step, PipelineRunEvent run, long t, ReadOnlyContext ctx) throws Exception {
        Long start = lastSeen.value();
        boolean end = run.eventType == RunEventType.COMPLETE || run.eventType == RunEventType.FAIL
                || run.eventType == RunEventType.ABORT;
        if (start == null) {
            if (end) {
                return; // an end whose start we never saw: no duration to judge
            }
            lastSeen.update(t);
            moveDeadlines(step, null, t, ctx);
            moveFallback(step.rule, replay ? null : ctx.timerService().currentProcessingTime(), ctx);
            return;
        }
        if (end) {
            settleDeadlines(step, start, t, ctx.timerService().currentWatermark());
            step.observe(t - start, null, t, step.entity + " ended after " + Durations.format(t - start));
            lastSeen.clear();
            settled.clear();
            moveDeadlines(step, start, null, ctx);
            moveFallback(step.rule, null, ctx);
        }
    }

    /**
     * Fires the deadlines of {@code last} that passed before {@code t} but after the watermark:
     * those at or before the watermark were fired by their timers already.
     */
    private void settleDeadlines(Step step, long last, long t, long watermark) throws Exception {
        for (Double th : thresholdsAscending(step.rule)) {
            long due = last + th.longValue();
            if (due < t && due > watermark && !settledAt(due)) {
                deadlineAt(step, last, due);
            }
        }
    }

    private boolean settledAt(long due) throws Exception {
        Long s = settled.value();
        return s != null && due <= s;
    }

    /** At {@code at}, how long since {@code last}, and which threshold that reaches. */
    private void deadlineAt(Step step, long last, long at) throws Exception {
        if (settledAt(at)) {
            return; // judged already, by the other clock
        }
        settled.update(at);
        long elapsed = at - last;
        Severity s = atLeast(step.rule, elapsed);
        if (s != null) {
            String what = step.rule.kind == RuleKind.RUN_DURATION ? " has run for " : " silent for ";
            step.observe(elapsed, s, at, step.entity + what + Durations.format(elapsed) + describe(step.rule, s));
        }
    }

    private void addCount(Rule rule, long t, int bad, ReadOnlyContext ctx) throws Exception {
        long slot = t - Math.floorMod(t, rule.windowSlideMs);
        long[] c = counts.get(slot);
        if (c == null) {
            c = new long[2];
        }
        c[0]++;
        c[1] += bad;
        counts.put(slot, c);
        ctx.timerService().registerEventTimeTimer(slot + rule.windowSlideMs);
    }

    /** End of a window [ts - size, ts): judge the share of bad, drop slots no later window needs. */
    private void windowEnd(Step step, long ts, OnTimerContext ctx) throws Exception {
        Rule rule = step.rule;
        long total = 0;
        long bad = 0;
        for (long[] c : windowSlots(counts, rule, ts, ctx)) {
            total += c[0];
            bad += c[1];
        }
        double share = total == 0 ? 0 : (double) bad / total;
        Severity s = total == 0 ? null : rule.severityOf(share);
        String what = rule.kind == RuleKind.FAILURE_RATE ? " failed runs " : " invalid records ";
        step.observe(share, s, ts, step.entity + ":" + what + bad + " of " + total + " (" + pct(share) + ") in the last "
                + Durations.format(rule.windowSizeMs) + describe(rule, s));
    }

    private void onRunForLatency(Rule rule, PipelineRunEvent run, long t, ReadOnlyContext ctx) throws Exception {
        switch (run.eventType) {
            case START:
            case RUNNING:
                if (!runStarts.contains(run.runId)) {
                    runStarts.put(run.runId, t);
                }
                return;
            case COMPLETE:
            case FAIL:
            case ABORT:
                Long start = runStarts.get(run.runId);
                runStarts.remove(run.runId);
                if (start == null || t < ctx.timerService().currentWatermark()) {
                    return;
                }
                long slot = t - Math.floorMod(t, rule.windowSlideMs);
                double[] d = durations.get(slot);
                d = d == null ? new double[1] : Arrays.copyOf(d, d.length + 1);
                d[d.length - 1] = t - start;
                durations.put(slot, d);
                ctx.timerService().registerEventTimeTimer(slot + rule.windowSlideMs);
                return;
            default:
        }
    }

    private void latencyWindowEnd(Step step, long ts, OnTimerContext ctx) throws Exception {
        Rule rule = step.rule;
        List<Double> all = new ArrayList<>();
        for (double[] d : windowSlots(durations, rule, ts, ctx)) {
            for (double x : d) {
                all.add(x);
            }
        }
        if (all.isEmpty()) {
            step.observe(0, null, ts, step.entity + ": no finished runs in the last " + Durations.format(rule.windowSizeMs));
            return;
        }
        all.sort(Double::compare);
        // nearest-rank quantile: the smallest duration with at least q of the runs at or below it
        double q = all.get((int) Math.max(0, Math.ceil(rule.quantile * all.size()) - 1));
        Severity s = rule.severityOf(q);
        step.observe(q, s, ts, step.entity + ": p" + Math.round(rule.quantile * 100) + " run duration " + Durations.format((long) q)
                + " over " + all.size() + " runs in the last " + Durations.format(rule.windowSizeMs) + describe(rule, s));
    }

    /**
     * A match fires the alert. With resolve.after the condition clears at once, so the lifecycle's
     * keep_firing_for (= resolve.after) resolves it that long after the last match; with
     * resolve.when it holds until the resolving event arrives.
     */
    private void onPattern(Step step, RuleInput in, long t, ReadOnlyContext ctx) throws Exception {
        if (in.match != null) {
            step.observe(in.match.events, step.rule.severity, t, in.match.summary);
            if (step.rule.pattern.resolveAfterMs > 0) {
                step.observe(in.match.events, null, t, in.match.summary);
            }
            return;
        }
        // A resolving event is judged when the watermark passes it: CEP emits a match only then,
        // so a match that happened before the resolving event has arrived by that time.
        AlertTrack tr = step.track();
        if (tr.phase == AlertTrack.Phase.INACTIVE && t <= ctx.timerService().currentWatermark()) {
            return;
        }
        resolves.put(t, Boolean.TRUE);
        ctx.timerService().registerEventTimeTimer(t);
    }

    /** The resolving event's time came: resolve an alert whose last match was no later. */
    private void patternResolveAt(Step step, long ts) throws Exception {
        if (!resolves.contains(ts)) {
            return;
        }
        resolves.remove(ts);
        AlertTrack tr = step.track();
        if (tr.phase != AlertTrack.Phase.INACTIVE && tr.last != null && tr.last.eventTime <= ts) {
            step.observe(0, null, ts, step.entity + ": the resolving event (resolve.when) came at "
                    + java.time.Instant.ofEpochMilli(ts));
        }
    }

    private static void onAssertion(Step step, RuleInput in, long t) throws Exception {
        for (Dataset d : in.envelope.run.inputs) {
            for (DataQualityAssertion a : d.assertions) {
                if (RuleMatcher.assertionEntity(d, a).equals(in.entity)) {
                    Severity s = a.success ? null : step.rule.severity;
                    step.observe(a.success ? 1 : 0, s, t, in.entity + (a.success ? " passed" : " failed")
                            + " in run " + in.envelope.run.runId + " of job " + in.envelope.run.jobKey());
                    return;
                }
            }
            for (ColumnMetric c : d.columnMetrics) {
                if (c.nullCount != null && d.rowCount != null && d.rowCount > 0
                        && RuleMatcher.nullRateEntity(d, c).equals(in.entity)) {
                    double rate = (double) c.nullCount / d.rowCount;
                    Severity s = step.rule.severityOf(rate);
                    step.observe(rate, s, t, "dataset " + d.qualifiedName() + " column " + c.column + ": " + c.nullCount
                            + " nulls in " + d.rowCount + " rows (" + pct(rate) + ") in run " + in.envelope.run.runId
                            + " of job " + in.envelope.run.jobKey() + describe(step.rule, s));
                    return;
                }
            }
        }
    }

    /** Adds the value to its slot; the count is judged at window ends, like the other windows. */
    private void onDistinct(Step step, RuleInput in, long t, ReadOnlyContext ctx) throws Exception {
        Rule rule = step.rule;
        if (t < ctx.timerService().currentWatermark()) {
            return; // its windows have been judged already
        }
        String value = EventFields.get(in.envelope, rule.selector.field);
        long slot = t - Math.floorMod(t, rule.windowSlideMs);
        String[] values = distinct.get(slot);
        if (values == null) {
            values = new String[] {value};
        } else if (Arrays.asList(values).contains(value)) {
            return;
        } else {
            values = Arrays.copyOf(values, values.length + 1);
            values[values.length - 1] = value;
        }
        distinct.put(slot, values);
        ctx.timerService().registerEventTimeTimer(slot + rule.windowSlideMs);
    }

    /** End of a window [ts - size, ts): count the distinct values of its slots. */
    private void distinctWindowEnd(Step step, long ts, OnTimerContext ctx) throws Exception {
        Rule rule = step.rule;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String[] values : windowSlots(distinct, rule, ts, ctx)) {
            seen.addAll(Arrays.asList(values));
        }
        int n = seen.size();
        Severity s = rule.severityOf(n);
        step.observe(n, s, ts, step.entity + ": " + n + " distinct " + rule.selector.field.replace('_', ' ')
                + "s in the last " + Durations.format(rule.windowSizeMs) + describe(rule, s));
    }

    // ---- helpers --------------------------------------------------------------------------

    private RuleSet rules(ReadOnlyBroadcastState<String, RuleSet> state) throws Exception {
        RuleSet s = state.get(RuleStates.CURRENT);
        return s != null ? s : initial;
    }

    private void clearAll() {
        track.clear();
        lastSeen.clear();
        arrived.clear();
        settled.clear();
        counts.clear();
        durations.clear();
        runStarts.clear();
        distinct.clear();
        resolves.clear();
    }

    /** True when the rule's own bookkeeping has a timer at {@code ts} that must survive. */
    private boolean kindNeedsTimerAt(Rule rule, long ts) throws Exception {
        switch (rule.kind) {
            case SOURCE_STALE:
            case DATASET_FRESHNESS:
            case RUN_DURATION:
                Long last = lastSeen.value();
                return last != null && thresholdsAscending(rule).stream().anyMatch(th -> last + th.longValue() == ts);
            case INVALID_RATE:
            case FAILURE_RATE:
                return windowNeeds(rule, counts.keys(), ts);
            case LATENCY_QUANTILE:
                return windowNeeds(rule, durations.keys(), ts);
            case DISTINCT_COUNT:
                return windowNeeds(rule, distinct.keys(), ts);
            case PATTERN:
                return resolves.contains(ts);
            default:
                return false;
        }
    }

    /**
     * The slots of the window [ts - size, ts). Drops slots no later window contains, and schedules
     * the next window end while a slot is in it (so the window that empties is judged too). A slot
     * further ahead has the timer set when it was filled: the empty windows up to it are not
     * walked one slide at a time (a replay's dead letters at epoch 0 and events of today are
     * millions of slides apart).
     */
    private static <V> List<V> windowSlots(MapState<Long, V> slots, Rule rule, long ts, OnTimerContext ctx)
            throws Exception {
        List<V> in = new ArrayList<>();
        boolean left = false;
        boolean next = false;
        for (Iterator<Map.Entry<Long, V>> it = slots.iterator(); it.hasNext(); ) {
            Map.Entry<Long, V> e = it.next();
            long slot = e.getKey();
            if (slot < ts - rule.windowSizeMs) {
                it.remove();
                continue;
            }
            if (slot < ts) {
                in.add(e.getValue());
            }
            left = true;
            next |= slot < ts + rule.windowSlideMs;
        }
        if (next) {
            ctx.timerService().registerEventTimeTimer(ts + rule.windowSlideMs);
        } else if (!left) {
            slots.clear(); // an empty map still holds an entry in the state backend
        }
        return in;
    }

    /** A window end at {@code ts} is still to be judged for one of the slots. */
    private static boolean windowNeeds(Rule rule, Iterable<Long> slots, long ts) {
        if (Math.floorMod(ts, rule.windowSlideMs) != 0) {
            return false;
        }
        for (long slot : slots) {
            if (slot < ts && ts <= slot + rule.windowSizeMs + rule.windowSlideMs) {
                return true;
            }
        }
        return false;
    }

    private static List<Double> thresholdsAscending(Rule rule) {
        List<Double> l = new ArrayList<>(2);
        if (rule.warning != null) {
            l.add(rule.warning);
        }
        if (rule.critical != null) {
            l.add(rule.critical);
        }
        l.sort(Double::compare);
        return l;
    }

    /** Deadline kinds fire when the time reaches the threshold ("warning after 2h"). */
    private static Severity atLeast(Rule rule, double elapsed) {
        if (rule.critical != null && elapsed >= rule.critical) {
            return Severity.CRITICAL;
        }
        if (rule.warning != null && elapsed >= rule.warning) {
            return Severity.WARNING;
        }
        return null;
    }

    private static String describe(Rule rule, Severity s) {
        if (s == null) {
            return "";
        }
        Double th = rule.threshold(s);
        if (th == null) {
            return "";
        }
        String shown = rule.kind.unit() == RuleKind.Unit.DURATION ? Durations.format(th.longValue())
                : rule.kind.unit() == RuleKind.Unit.RATIO ? pct(th) : fmt(th);
        String dir = rule.kind.unit() == RuleKind.Unit.DURATION ? "at least" : rule.direction == Direction.ABOVE ? "above" : "below";
        return " (" + s.wire() + ": " + dir + " " + shown + ")";
    }

    static String pct(double share) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", share * 100);
    }

    static String fmt(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** One call's work on the lifecycle: observations in, alert events out, the next timer set. */
    private final class Step {
        final Rule rule;
        final String entity;
        final long processingTime;
        final ReadOnlyContext ctx;
        AlertTrack t;
        boolean loaded;
        NavigableMap<Long, Long> gaps;

        Step(Rule rule, String entity, ReadOnlyContext ctx) {
            this.rule = rule;
            this.entity = entity;
            this.ctx = ctx;
            this.processingTime = ctx.timerService().currentProcessingTime();
        }

        /** The gaps known so far (replay only; live has none). */
        NavigableMap<Long, Long> gaps() throws Exception {
            if (gaps == null) {
                gaps = replay ? RuleStates.gaps(ctx.getBroadcastState(RuleStates.GAPS)) : Collections.emptyNavigableMap();
            }
            return gaps;
        }

        /**
         * A timer at {@code ts} inside a gap that neither the kind nor the lifecycle needs: a
         * repeat set before the gap was known, which the gap has moved to after its end.
         */
        boolean movedRepeat(long ts) throws Exception {
            if (!replay || !AlertLifecycle.inGap(gaps(), ts) || kindNeedsTimerAt(rule, ts)) {
                return false;
            }
            AlertTrack tr = track();
            return tr.phase == AlertTrack.Phase.INACTIVE || AlertLifecycle.nextDeadline(rule, tr, gaps()) != ts;
        }

        AlertTrack track() throws Exception {
            if (!loaded) {
                t = track.value();
                if (t == null) {
                    t = new AlertTrack();
                }
                loaded = true;
            }
            return t;
        }

        void observe(double value, Severity s, long at, String summary) throws Exception {
            Double th = s != null ? rule.threshold(s) : rule.warning != null ? rule.warning : rule.critical;
            Observation o = new Observation(rule.id, entity, value, th == null ? Double.NaN : th, s, at, summary);
            AlertLifecycle.observe(rule, track(), o, gaps(), replay ? at : processingTime, pending);
        }

        void advanceTo(long at) throws Exception {
            AlertLifecycle.advance(rule, track(), at, gaps(), replay ? at : processingTime, pending);
        }

        void finish(ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
            for (AlertEvent a : pending) {
                if (replay) {
                    a.emittedAt = a.eventTime;
                }
                count(a);
                out.collect(a); // silences and inhibit rules apply downstream, in the notification policy
            }
            pending.clear();
            if (!loaded) {
                return;
            }
            long due = t.phase == AlertTrack.Phase.INACTIVE ? AlertLifecycle.NONE : AlertLifecycle.nextDeadline(rule, t, gaps());
            if (t.timer != Long.MIN_VALUE && t.timer != due && !kindNeedsTimerAt(rule, t.timer)) {
                ctx.timerService().deleteEventTimeTimer(t.timer); // no timer outlives its alert
            }
            if (due != AlertLifecycle.NONE && due != t.timer) {
                ctx.timerService().registerEventTimeTimer(due);
            }
            t.timer = due == AlertLifecycle.NONE ? Long.MIN_VALUE : due;
            if (t.phase == AlertTrack.Phase.INACTIVE) {
                track.clear();
            } else {
                track.update(t);
            }
        }
    }
}
