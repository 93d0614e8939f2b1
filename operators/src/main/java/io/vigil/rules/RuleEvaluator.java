package io.vigil.rules;

import io.vigil.alert.AlertIds;
import io.vigil.alert.AlertLifecycle;
import io.vigil.alert.AlertTrack;
import io.vigil.config.Durations;
import io.vigil.metrics.VigilMetrics;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Judges the entities of every key family, each with all the rules of its family, and runs each
 * (rule, entity)'s alert lifecycle; what a kind measures, keeps and times lives in its
 * {@link KindJudge}. The key is the family and the entity ({@link EntityInputs#key()}): one event
 * reaches it once per entity, with an input for each rule of the family that it concerns, and
 * each rule keeps its state and timers in its own namespace of the key ({@link RuleNamespaces}).
 * Event time is the clock: deadlines (staleness, run
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
 * <p>State is bounded. A key is released as soon as it holds no alert and no kind state (an
 * alert resolved, a window emptied). One that still holds some, an entity silent for its rule's
 * {@code retention} (a dataset that is never written again, a series that stopped while firing),
 * is retired: a firing alert resolves with a summary saying it expired, and its state and timers
 * go. Each rule tracks at most {@code max_entities} at once (split over the subtasks); inputs of
 * new entities beyond that are counted and not tracked, and one alert per rule and subtask says
 * so until the count falls back under the cap.
 */
public class RuleEvaluator extends AbstractStreamOperator<AlertEvent>
        implements TwoInputStreamOperator<EntityInputs, Control, AlertEvent>, Triggerable<String, String> {
    private static final long serialVersionUID = 1L;
    /** The entity of the alert that reports a rule's entities over its cap. */
    public static final String OVER_CAP_ENTITY = "entities over max_entities";
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;

    private final RuleSet initial;
    /** Replay stamps emitted_at with event time, so the same input gives the same output. */
    private final boolean replay;

    private transient RuleNamespaces namespaces;
    private transient TimerService timers;
    private transient TimestampedCollector<AlertEvent> out;
    private transient BroadcastState<String, RuleSet> rulesState;
    private transient BroadcastState<String, Long> clockState;
    private transient BroadcastState<Long, Long> gapsState;
    private transient ValueState<AlertTrack> track;
    private transient ValueState<Long> active;
    private transient ListState<EntityCounts.Entry> countsState;
    private transient EntityCounts counts;
    /** This operator's judges, with their state handles. */
    private transient Map<RuleKind, KindJudge> judges;
    private transient List<AlertEvent> pending;
    private transient MetricGroup metrics;
    private transient Map<String, Counter> fired;
    private transient Map<String, Counter> overCap;
    private transient Map<String, Counter> expired;
    /** The watermark at the last element or timer, for the lag gauge. */
    private transient volatile long watermark;

    public RuleEvaluator(RuleSet initial, boolean replay) {
        this.initial = initial;
        this.replay = replay;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open() throws Exception {
        super.open();
        InternalTimerService<String> timerService = getInternalTimerService("rule-timers", StringSerializer.INSTANCE, this);
        namespaces = new RuleNamespaces((KeyedStateBackend<String>) (KeyedStateBackend<?>) getKeyedStateBackend(),
                getExecutionConfig(), timerService);
        timers = namespaces.timers();
        out = new TimestampedCollector<>(output);
        track = namespaces.getState(RuleStates.TRACK);
        active = namespaces.getState(RuleStates.ACTIVE);
        judges = new EnumMap<>(RuleKind.class);
        for (RuleKind k : RuleKind.values()) {
            KindJudge judge = k.judge().open(namespaces);
            judge.upgrade(namespaces);
            judges.put(k, judge);
        }
        pending = new ArrayList<>();
        metrics = VigilMetrics.root(getRuntimeContext().getMetricGroup());
        fired = new HashMap<>();
        overCap = new HashMap<>();
        expired = new HashMap<>();
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
    public void processElement1(StreamRecord<EntityInputs> element) throws Exception {
        out.setTimestamp(element);
        sawWatermark(timers.currentWatermark());
        RuleSet rules = rules();
        for (RuleInput in : element.getValue().inputs) {
            Rule rule = rules.rule(in.ruleId);
            namespaces.enter(rule == null ? in.ruleId : rule.id);
            if (rule == null) {
                clearAll(null); // the rule was removed by an update
            } else if (!judges.get(rule.kind).hold(in, timers)) {
                judge(rule, in);
            }
        }
    }

    /** Judges one input of the current key, now or when the watermark releases it. */
    private void judge(Rule rule, RuleInput in) throws Exception {
        Long since = active.value();
        if (since == null && !counts.admit(rule, in.eventTime)) {
            overCap(rule, in.eventTime);
            return;
        }
        KindJudge judge = judges.get(rule.kind);
        Evaluation ev = new Evaluation(rule, in.entity, replay, timers, gapsState, track, judge, pending);
        long latest = since == null ? in.eventTime : Math.max(since, in.eventTime);
        ev.retentionTimer = retentionTimer(rule, latest);
        judge.onElement(ev, in);
        finish(ev);
        if (!ev.holdsState() && ev.track().phase == AlertTrack.Phase.INACTIVE) {
            // nothing left to judge: the key is released at once, not at its retention
            if (since != null) {
                deleteRetentionTimer(rule, judge, ev, retentionTimer(rule, since), timers);
                active.clear();
            }
            counts.release(rule.id);
            resolveOverCap(rule, in.eventTime);
            return;
        }
        long before = since == null ? Long.MIN_VALUE : retentionTimer(rule, since);
        if (before != ev.retentionTimer) {
            deleteRetentionTimer(rule, judge, ev, before, timers);
            timers.registerEventTimeTimer(ev.retentionTimer);
        }
        if (since == null || latest != since) {
            active.update(latest);
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, String> timer) throws Exception {
        out.setAbsoluteTimestamp(timer.getTimestamp());
        onTimer(timer, true);
    }

    @Override
    public void onProcessingTime(InternalTimer<String, String> timer) throws Exception {
        out.eraseTimestamp();
        onTimer(timer, false);
    }

    private void onTimer(InternalTimer<String, String> timer, boolean eventTime) throws Exception {
        long ts = timer.getTimestamp();
        sawWatermark(timers.currentWatermark());
        Rule rule = rules().rule(timer.getNamespace());
        namespaces.enter(rule == null ? timer.getNamespace() : rule.id);
        if (rule == null) {
            clearAll(null);
            return;
        }
        KindJudge judge = judges.get(rule.kind);
        if (eventTime) {
            for (RuleInput in : judge.release(ts)) {
                judge(rule, in); // before the key's own deadlines at ts, as an element at ts would be
            }
        }
        Evaluation ev = new Evaluation(rule, EntityInputs.entityOf(timer.getKey()), replay, timers, gapsState, track,
                judge, pending);
        Long since = active.value();
        ev.retentionTimer = since == null ? Long.MIN_VALUE : retentionTimer(rule, since);
        if (!eventTime) {
            judge.onProcessingTimer(ev, ts);
            finish(ev);
            releaseIfEmpty(rule, judge, ev, since);
            return;
        }
        Long clock = clockState.get(RuleStates.CURRENT);
        if (clock == null || ts > clock) {
            return; // beyond the last event time of every input: the input ended, nothing happened
        }
        if (since != null && ts >= since + rule.retentionMs) {
            retire(rule, judge, ev, since, ts);
            return;
        }
        if (!ev.movedRepeat(ts)) {
            judge.onTimer(ev, ts);
        }
        // A repeat that a gap learnt since has moved only re-arms the lifecycle, as if its timer had
        // been set after the gap was known: observing here (a staleness "silent for") would make
        // the next repeat's summary depend on when the gap came.
        ev.advanceTo(ts);
        finish(ev);
        releaseIfEmpty(rule, judge, ev, since);
    }

    /**
     * A key that holds nothing after a timer (an alert resolved, a window emptied) is released;
     * {@code since} is its activity as read before the timer (no kind moves it).
     */
    private void releaseIfEmpty(Rule rule, KindJudge judge, Evaluation ev, Long since) throws Exception {
        if (since != null && ev.track().phase == AlertTrack.Phase.INACTIVE && !judge.holdsState()) {
            deleteRetentionTimer(rule, judge, ev, ev.retentionTimer, timers);
            active.clear();
            counts.release(rule.id);
            resolveOverCap(rule, ev.watermark());
        }
    }

    /** The entity was silent for its rule's retention: its alert resolves as expired, its state and timers go. */
    private void retire(Rule rule, KindJudge judge, Evaluation ev, long since, long ts) throws Exception {
        ev.expire(ts, ev.entity + ": no input for " + Durations.format(ts - since) + "; expired (retention "
                + Durations.format(rule.retentionMs) + "), no longer tracked");
        judge.clear(rule, timers);
        ev.retentionTimer = Long.MIN_VALUE; // this timer, firing now
        finish(ev);
        active.clear();
        counts.release(rule.id);
        expired.computeIfAbsent(rule.id, r -> metrics.addGroup("rule", r).counter(VigilMetrics.ENTITIES_EXPIRED)).inc();
        resolveOverCap(rule, ts);
    }

    /**
     * The retention timer of an entity last active at {@code since}: rounded up to the hour (the
     * minute for retentions under a day), so a busy entity moves it once an hour, not per input.
     */
    private static long retentionTimer(Rule rule, long since) {
        long grain = rule.retentionMs >= 24 * HOUR ? HOUR : MINUTE;
        long due = since + rule.retentionMs;
        return due - Math.floorMod(due, grain) + (Math.floorMod(due, grain) == 0 ? 0 : grain);
    }

    private static void deleteRetentionTimer(Rule rule, KindJudge judge, Evaluation ev, long ts, TimerService timers)
            throws Exception {
        if (ts != Long.MIN_VALUE && ts != ev.track().timer && !judge.needsTimerAt(rule, ts)) {
            timers.deleteEventTimeTimer(ts);
        }
    }

    /** A new entity of a rule at its cap: counted, and the first one of a spell fires the rule's over-cap alert. */
    private void overCap(Rule rule, long t) {
        overCap.computeIfAbsent(rule.id, r -> metrics.addGroup("rule", r).counter(VigilMetrics.ENTITIES_OVER_CAP)).inc();
        if (counts.overCap(rule.id) == 1) {
            out.collect(overCapAlert(rule, AlertState.FIRING, t, counts.overSince(rule.id), "rule " + rule.id + " tracks "
                    + counts.tracked(rule.id) + " entities on this subtask, its share of max_entities "
                    + rule.maxEntities + ": inputs of further entities are counted (entitiesOverCap) and not judged"));
        }
    }

    /** Resolves the over-cap alert once the tracked entities fall under 90 % of the cap. */
    private void resolveOverCap(Rule rule, long t) {
        long n = counts.overCap(rule.id);
        if (n == 0 || counts.tracked(rule.id) >= counts.capOf(rule) * 9 / 10) {
            return;
        }
        AlertEvent a = overCapAlert(rule, AlertState.RESOLVED, t, counts.overSince(rule.id), "rule " + rule.id + ": "
                + n + " inputs of entities over max_entities " + rule.maxEntities + " were not judged; the rule tracks "
                + counts.tracked(rule.id) + " now");
        counts.resetOverCap(rule.id);
        out.collect(a);
    }

    private AlertEvent overCapAlert(Rule rule, AlertState state, long t, long since, String summary) {
        AlertEvent a = new AlertEvent();
        a.alertId = AlertIds.of(rule.id, OVER_CAP_ENTITY);
        a.ruleId = rule.id;
        a.severity = Severity.WARNING;
        a.state = state;
        a.entity = OVER_CAP_ENTITY;
        a.summary = summary;
        a.value = counts.overCap(rule.id);
        a.threshold = rule.maxEntities;
        a.eventTime = t;
        a.startsAt = since;
        a.endsAt = state == AlertState.RESOLVED ? t : 0;
        a.labels = rule.labels;
        a.runbookUrl = rule.runbookUrl;
        a.emittedAt = replay ? t : System.currentTimeMillis();
        return a;
    }

    @Override
    public void processElement2(StreamRecord<Control> element) throws Exception {
        RuleStates.apply(element.getValue(), rulesState, null, clockState, gapsState, initial, timers.currentWatermark());
    }

    /** Emits the call's alert events (silences and inhibit rules apply downstream) and sets the next timer. */
    private void finish(Evaluation ev) throws Exception {
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

    private RuleSet rules() throws Exception {
        RuleSet s = rulesState.get(RuleStates.CURRENT);
        return s != null ? s : initial;
    }

    /** Drops the current rule namespace's state and timers. */
    private void clearAll(Rule rule) throws Exception {
        track.clear();
        active.clear();
        for (KindJudge j : judges.values()) {
            j.clear(rule, timers);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        countsState.update(counts.snapshot());
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        rulesState = context.getOperatorStateStore().getBroadcastState(RuleStates.RULES);
        clockState = context.getOperatorStateStore().getBroadcastState(RuleStates.CLOCK);
        gapsState = context.getOperatorStateStore().getBroadcastState(RuleStates.GAPS);
        countsState = context.getOperatorStateStore().getUnionListState(RuleStates.ENTITY_COUNTS);
        counts = new EntityCounts(getRuntimeContext().getIndexOfThisSubtask(),
                getRuntimeContext().getNumberOfParallelSubtasks());
        if (context.isRestored()) {
            counts.restore(countsState.get());
        }
    }
}
