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
 * Decides which alert state changes reach people: silences and inhibit rules, as in
 * Alertmanager. The evaluator runs every lifecycle in full; this operator holds back the events of
 * alerts that are muted, and delivers an alert's current state when its mute ends while it still
 * fires. A resolve goes out whenever its firing did, so no announced incident is left open.
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
        // a silence ended
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
                notices.put(a.alertId, n);
            } else {
                notices.remove(a.alertId);
            }
        }
        List<AlertEvent> firing = new ArrayList<>();
        for (Notice n : notices.values()) {
            firing.add(n.alert);
        }
        InhibitRule[] inhibitions = rules(ctx.getBroadcastState(RuleStates.RULES)).inhibitions;
        Set<String> judged = new HashSet<>();
        for (AlertEvent a : batch) {
            judged.add(a.alertId);
            if (a.state == AlertState.RESOLVED) {
                Notice prev = before.get(a.alertId);
                if (prev == null || prev.delivered != null) {
                    out.collect(a);
                }
                continue;
            }
            if (latest.get(a.alertId) != a) {
                continue; // a later event of the same alert at t speaks for it
            }
            Notice n = notices.get(a.alertId);
            if (deliverable(a, t, firing, inhibitions, ctx)) {
                n.delivered = a.severity;
                notices.put(a.alertId, n);
                out.collect(a);
            }
        }
        for (Map.Entry<String, Notice> e : notices.entries()) {
            Notice n = e.getValue();
            if (judged.contains(e.getKey()) || !n.heldBack() || !deliverable(n.alert, t, firing, inhibitions, ctx)) {
                continue;
            }
            AlertEvent now = copyAt(n.alert, t, ctx.timerService().currentProcessingTime());
            n.delivered = now.severity;
            e.setValue(n);
            out.collect(now);
        }
    }

    /** Neither silenced nor inhibited at t; a silence in the way sets a timer for its end. */
    private boolean deliverable(AlertEvent a, long t, List<AlertEvent> firing, InhibitRule[] inhibitions,
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
            if (replay) {
                ctx.timerService().registerEventTimeTimer(silencedUntil);
            } else {
                ctx.timerService().registerProcessingTimeTimer(silencedUntil); // live silences are wall-clock windows
            }
            return false;
        }
        for (AlertEvent cause : firing) {
            for (InhibitRule r : inhibitions) {
                if (r.inhibits(cause, a)) {
                    return false; // the cause's resolve releases it
                }
            }
        }
        return true;
    }

    private AlertEvent copyAt(AlertEvent a, long t, long processingTime) {
        AlertEvent c = new AlertEvent();
        c.alertId = a.alertId;
        c.ruleId = a.ruleId;
        c.severity = a.severity;
        c.state = a.state;
        c.entity = a.entity;
        c.summary = a.summary;
        c.value = a.value;
        c.threshold = a.threshold;
        c.eventTime = t;
        c.startsAt = a.startsAt;
        c.endsAt = a.endsAt;
        c.labels = a.labels;
        c.runbookUrl = a.runbookUrl;
        c.emittedAt = replay ? t : processingTime;
        return c;
    }

    private RuleSet rules(ReadOnlyBroadcastState<String, RuleSet> state) throws Exception {
        RuleSet s = state.get(RuleStates.CURRENT);
        return s != null ? s : initial;
    }
}
