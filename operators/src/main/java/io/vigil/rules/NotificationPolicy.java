package io.vigil.rules;

import io.vigil.alert.AlertLifecycle;
import io.vigil.alert.Notice;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decides which alert state changes reach people: silences, inhibit rules and recurring mutes
 * (time intervals), as in Alertmanager, and escalation levels. The evaluator runs every lifecycle in
 * full; this operator holds back the events of alerts that are muted, and delivers an alert's
 * current state when its mute ends while it still fires. A resolve goes out whenever its firing
 * did, so no announced incident is left open.
 *
 * <p>Escalation: an alert an {@link EscalationPolicy} matches carries the level it has reached
 * ({@link AlertEvent#escalationLevel} and the {@code escalation_level} label); reaching the next
 * level re-notifies it, same alert id. Levels count from the start of firing in event time in
 * replay, from when this operator first saw it firing on the wall clock live; the level timer goes
 * when the alert resolves. A muted alert keeps escalating unseen, and is delivered at the level it
 * has reached when the mute ends. Recurring mutes are judged at the event time in replay, on the
 * wall clock live.
 *
 * <p>Inhibition compares alerts of different rules and entities, so every alert meets under one
 * key ({@link #KEY}); alerts are few next to events. In replay the alerts of one event time are
 * held until the watermark passes it and judged together, causes before symptoms, so the output
 * does not depend on which evaluator subtask reported first.
 *
 * <p>In replay a repeat inside a gap of the input (no data in any input) is dropped, as the
 * evaluator drops it once it knows the gap: a record ahead of the watermark can make the evaluator
 * settle repeats before the gap has reached it, but here the gap is always known when a batch is
 * judged (it precedes the watermark that releases the batch), so the output does not depend on
 * which came first.
 */
public class NotificationPolicy extends KeyedBroadcastProcessFunction<String, AlertEvent, Control, AlertEvent> {
    private static final long serialVersionUID = 1L;

    /** The one key all alerts share. */
    public static final String KEY = "alerts";

    private static final Comparator<AlertEvent> ORDER = Comparator.<AlertEvent, String>comparing(a -> a.ruleId)
            .thenComparing(a -> a.entity)
            .thenComparing(a -> a.state);

    private final RuleSet initial;
    private final Silence[] initialSilences;
    private final boolean replay;

    private transient MapState<String, Notice> notices;
    private transient MapState<Long, AlertEvent[]> held;
    private transient MapState<Long, Boolean> wakeups;
    private transient org.apache.flink.metrics.Counter textsCapped;

    public NotificationPolicy(RuleSet initial, Silence[] silences, boolean replay) {
        this.initial = initial;
        this.initialSilences = silences;
        this.replay = replay;
    }

    @Override
    public void open(Configuration parameters) {
        notices = getRuntimeContext().getMapState(RuleStates.NOTICES);
        held = getRuntimeContext().getMapState(RuleStates.HELD);
        wakeups = getRuntimeContext().getMapState(RuleStates.WAKEUPS);
        textsCapped = io.vigil.metrics.VigilMetrics.root(getRuntimeContext().getMetricGroup())
                .counter(io.vigil.metrics.VigilMetrics.ALERT_TEXTS_TRUNCATED);
    }

    @Override
    public void processElement(AlertEvent a, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        if (io.vigil.alert.AlertText.isCapped(a.entity) || io.vigil.alert.AlertText.isCapped(a.summary)) {
            textsCapped.inc(); // capped where the alert was made (AlertLifecycle): counted here, on its one path
        }
        if (!replay) {
            judge(List.of(a), a.eventTime, ctx, out);
            return;
        }
        AlertEvent[] at = held.get(a.eventTime);
        AlertEvent[] more = at == null ? new AlertEvent[1] : Arrays.copyOf(at, at.length + 1);
        more[more.length - 1] = a;
        held.put(a.eventTime, more);
        ctx.timerService().registerEventTimeTimer(a.eventTime);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        wakeups.remove(ts);
        if ((ctx.timeDomain() == TimeDomain.EVENT_TIME) == replay) {
            escalate(ts, ctx);
        }
        AlertEvent[] batch = ctx.timeDomain() == TimeDomain.EVENT_TIME ? held.get(ts) : null;
        if (batch != null) {
            held.remove(ts);
            Arrays.sort(batch, ORDER);
            List<AlertEvent> kept = outsideGaps(batch, ts, ctx);
            if (!kept.isEmpty()) {
                judge(kept, ts, ctx, out);
                return;
            }
            // only repeats in a gap: as if they never came (a silence may still end here)
        }
        // a silence or mute ended, or a level is due
        Long clock = ctx.getBroadcastState(RuleStates.CLOCK).get(RuleStates.CURRENT);
        if (replay && (clock == null || ts > clock)) {
            return; // beyond the input: nothing is left to tell
        }
        judge(List.of(), ts, ctx, out);
    }

    @Override
    public void processBroadcastElement(Control c, Context ctx, Collector<AlertEvent> out) throws Exception {
        RuleStates.apply(c, ctx.getBroadcastState(RuleStates.RULES), ctx.getBroadcastState(RuleStates.SILENCES),
                ctx.getBroadcastState(RuleStates.CLOCK), ctx.getBroadcastState(RuleStates.GAPS), initial,
                ctx.currentWatermark());
    }

    /**
     * The batch of event time {@code t} without the repeats (firing again, same start, same
     * severity as the alert's last firing event) that fall in a gap.
     */
    private List<AlertEvent> outsideGaps(AlertEvent[] batch, long t, ReadOnlyContext ctx) throws Exception {
        NavigableMap<Long, Long> gaps = RuleStates.gaps(ctx.getBroadcastState(RuleStates.GAPS));
        if (!AlertLifecycle.inGap(gaps, t)) {
            return Arrays.asList(batch);
        }
        List<AlertEvent> kept = new ArrayList<>();
        Map<String, AlertEvent> firing = new HashMap<>(); // an alert's last firing event kept in this batch; null once resolved
        for (AlertEvent a : batch) {
            AlertEvent prev;
            if (firing.containsKey(a.alertId)) {
                prev = firing.get(a.alertId);
            } else {
                Notice n = notices.get(a.alertId);
                prev = n == null ? null : n.alert;
            }
            if (a.state == AlertState.FIRING && prev != null && prev.startsAt == a.startsAt && prev.severity == a.severity) {
                continue;
            }
            kept.add(a);
            firing.put(a.alertId, a.state == AlertState.FIRING ? a : null);
        }
        return kept;
    }

    /** Judges the alert events of event time {@code t}, then releases alerts no longer muted at t. */
    private void judge(List<AlertEvent> batch, long t, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        // The firing set at t first: a cause that starts at t inhibits its symptoms at t, one that
        // ends at t no longer does.
        Map<String, Notice> before = new HashMap<>();
        Map<String, AlertEvent> latest = new HashMap<>();
        for (AlertEvent a : batch) {
            Notice prev = notices.get(a.alertId);
            if (!before.containsKey(a.alertId)) {
                before.put(a.alertId, prev);
            }
            latest.put(a.alertId, a);
            if (a.state == AlertState.FIRING) {
                Notice n = prev == null ? new Notice() : prev;
                n.alert = a;
                matchEscalation(n, prev == null, a, t, ctx);
                notices.put(a.alertId, n);
            } else {
                notices.remove(a.alertId);
                if (prev != null) {
                    stopEscalation(prev, a.alertId, ctx);
                }
            }
        }
        List<AlertEvent> firing = new ArrayList<>();
        for (Notice n : notices.values()) {
            firing.add(n.alert);
        }
        RuleSet set = rules(ctx.getBroadcastState(RuleStates.RULES));
        Set<String> judged = new HashSet<>();
        for (AlertEvent a : batch) {
            judged.add(a.alertId);
            if (a.state == AlertState.RESOLVED) {
                Notice prev = before.get(a.alertId);
                if (prev == null || prev.delivered != null) {
                    out.collect(stamped(a, prev == null ? null : prev.deliveredLevel)); // to the routes its firing reached
                }
                continue;
            }
            if (latest.get(a.alertId) != a) {
                continue; // a later event of the same alert at t speaks for it
            }
            Notice n = notices.get(a.alertId);
            if (deliverable(a, t, firing, set, ctx)) {
                n.delivered = a.severity;
                n.deliveredLevel = n.level;
                notices.put(a.alertId, n);
                out.collect(stamped(a, n.level));
            }
        }
        for (Map.Entry<String, Notice> e : notices.entries()) {
            Notice n = e.getValue();
            if (judged.contains(e.getKey()) || !n.heldBack() || !deliverable(n.alert, t, firing, set, ctx)) {
                continue;
            }
            AlertEvent now = copyAt(n.alert, t, ctx.timerService().currentProcessingTime());
            n.delivered = now.severity;
            n.deliveredLevel = n.level;
            e.setValue(n);
            out.collect(stamped(now, n.level));
        }
    }

    /** Neither silenced, muted nor inhibited at t; a silence or mute in the way sets a timer for its end. */
    private boolean deliverable(AlertEvent a, long t, List<AlertEvent> firing, RuleSet set,
            ReadOnlyContext ctx) throws Exception {
        long silencedUntil = Long.MIN_VALUE;
        for (Silence s : initialSilences) {
            if (s.mutes(a, t)) {
                silencedUntil = Math.max(silencedUntil, s.endsAt);
            }
        }
        for (Map.Entry<String, Silence> s : ctx.getBroadcastState(RuleStates.SILENCES).immutableEntries()) {
            if (s.getValue().mutes(a, t)) {
                silencedUntil = Math.max(silencedUntil, s.getValue().endsAt);
            }
        }
        if (silencedUntil != Long.MIN_VALUE) {
            wakeAt(silencedUntil, ctx); // live silences are wall-clock windows
            return false;
        }
        long now = replay ? t : ctx.timerService().currentProcessingTime();
        long mutedUntil = Long.MIN_VALUE;
        for (MuteRule m : set.mutes) {
            if (AlertMatchers.matches(m.match, m.conditions, a)) {
                long end = m.releaseAt(now);
                if (end > now) {
                    mutedUntil = Math.max(mutedUntil, end);
                }
            }
        }
        if (mutedUntil != Long.MIN_VALUE) {
            if (mutedUntil != Long.MAX_VALUE) {
                wakeAt(mutedUntil, ctx);
            }
            return false;
        }
        for (AlertEvent cause : firing) {
            for (InhibitRule r : set.inhibitions) {
                if (r.inhibits(cause, a)) {
                    return false; // the cause's resolve releases it
                }
            }
        }
        return true;
    }

    /** A timer for the end of a silence or mute: event time in replay, the wall clock live. */
    private void wakeAt(long ts, ReadOnlyContext ctx) throws Exception {
        wakeups.put(ts, Boolean.TRUE);
        registerTimer(ts, ctx);
    }

    private void registerTimer(long ts, ReadOnlyContext ctx) {
        if (replay) {
            ctx.timerService().registerEventTimeTimer(ts);
        } else {
            ctx.timerService().registerProcessingTimeTimer(ts);
        }
    }

    /**
     * The policy that matches a firing event: kept while it stays the same, else (a new alert, or a
     * severity change that another policy takes) the level is judged anew from the same start.
     */
    private void matchEscalation(Notice n, boolean isNew, AlertEvent a, long t, ReadOnlyContext ctx) throws Exception {
        EscalationPolicy p = rules(ctx.getBroadcastState(RuleStates.RULES)).escalation(a);
        String id = p == null ? null : p.id;
        if (!isNew && java.util.Objects.equals(id, n.policy)) {
            return;
        }
        if (!isNew) {
            stopEscalation(n, a.alertId, ctx);
        }
        long now = replay ? t : ctx.timerService().currentProcessingTime();
        if (isNew) {
            n.escalationSince = replay ? a.startsAt : now;
        }
        n.policy = id;
        if (p == null) {
            n.level = null;
            n.escalateAt = Long.MIN_VALUE;
        } else {
            reachLevel(n, p, now, ctx);
        }
    }

    /** Sets the level reached at {@code now} and the timer of the one after it. */
    private void reachLevel(Notice n, EscalationPolicy p, long now, ReadOnlyContext ctx) {
        int i = p.levelAt(now - n.escalationSince);
        n.level = i < 0 ? null : p.levels[i];
        n.escalateAt = i + 1 < p.levels.length ? n.escalationSince + p.afterMs[i + 1] : Long.MIN_VALUE;
        if (n.escalateAt != Long.MIN_VALUE) {
            registerTimer(n.escalateAt, ctx);
        }
    }

    /** Moves the alerts whose next level is due at {@code ts} up; the judging after delivers them. */
    private void escalate(long ts, ReadOnlyContext ctx) throws Exception {
        RuleSet set = rules(ctx.getBroadcastState(RuleStates.RULES));
        for (Map.Entry<String, Notice> e : notices.entries()) {
            Notice n = e.getValue();
            if (n.escalateAt == Long.MIN_VALUE || n.escalateAt > ts) {
                continue;
            }
            EscalationPolicy p = set.escalation(n.policy);
            if (p == null) { // the policy was removed by a rules update
                n.policy = null;
                n.level = null;
                n.escalateAt = Long.MIN_VALUE;
            } else {
                reachLevel(n, p, ts, ctx);
            }
            e.setValue(n);
        }
    }

    /** The alert's level timer goes, unless the same instant is needed by something else. */
    private void stopEscalation(Notice gone, String alertId, ReadOnlyContext ctx) throws Exception {
        long ts = gone.escalateAt;
        if (ts == Long.MIN_VALUE || wakeups.contains(ts) || (replay && held.contains(ts))) {
            return;
        }
        for (Map.Entry<String, Notice> e : notices.entries()) {
            if (!e.getKey().equals(alertId) && e.getValue().escalateAt == ts) {
                return;
            }
        }
        if (replay) {
            ctx.timerService().deleteEventTimeTimer(ts);
        } else {
            ctx.timerService().deleteProcessingTimeTimer(ts);
        }
    }

    /** {@code a} with its escalation level as a field and as the {@code escalation_level} label. */
    private static AlertEvent stamped(AlertEvent a, String level) {
        if (level == null) {
            return a;
        }
        AlertEvent c = copy(a);
        c.escalationLevel = level;
        List<io.vigil.model.Label> labels = new ArrayList<>();
        for (io.vigil.model.Label l : a.labels) {
            if (!l.key.equals(EscalationPolicy.LEVEL_LABEL)) {
                labels.add(l);
            }
        }
        labels.add(new io.vigil.model.Label(EscalationPolicy.LEVEL_LABEL, level));
        labels.sort(Comparator.comparing(l -> l.key));
        c.labels = labels.toArray(new io.vigil.model.Label[0]);
        return c;
    }

    private AlertEvent copyAt(AlertEvent a, long t, long processingTime) {
        AlertEvent c = copy(a);
        c.eventTime = t;
        c.emittedAt = replay ? t : processingTime;
        return c;
    }

    private static AlertEvent copy(AlertEvent a) {
        AlertEvent c = new AlertEvent();
        c.alertId = a.alertId;
        c.ruleId = a.ruleId;
        c.severity = a.severity;
        c.state = a.state;
        c.entity = a.entity;
        c.summary = a.summary;
        c.value = a.value;
        c.threshold = a.threshold;
        c.eventTime = a.eventTime;
        c.startsAt = a.startsAt;
        c.endsAt = a.endsAt;
        c.labels = a.labels;
        c.runbookUrl = a.runbookUrl;
        c.emittedAt = a.emittedAt;
        c.escalationLevel = a.escalationLevel;
        return c;
    }

    private RuleSet rules(ReadOnlyBroadcastState<String, RuleSet> state) throws Exception {
        RuleSet s = state.get(RuleStates.CURRENT);
        return s != null ? s : initial;
    }
}
