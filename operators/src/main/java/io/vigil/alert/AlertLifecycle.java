package io.vigil.alert;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.rules.Rule;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The alert state machine of one (rule, entity), as on-call engineers know it from Prometheus and
 * Alertmanager: inactive → pending (condition true, {@code for} not yet elapsed; never notified;
 * dropped if it clears) → firing → resolved (condition false for {@code keep_firing_for}). A
 * severity change while firing is a notification of its own; a firing alert is re-notified every
 * {@code repeat_interval}. Every transition happens at an event time computed from the rule, never
 * from when the operator happened to look, so replays give the same alerts.
 *
 * <p>Gaps (replay): spans of event time in which no input had any data, given as start → exclusive
 * end. A repeat whose slot falls in a gap is not sent; repeats stay on the slots
 * {@code lastNotifiedAt + k × repeat_interval}, and the next one is the first slot at or after the
 * gap's end. Keeping the slots, rather than restarting the interval at the gap's end, makes the
 * repeats the same whether the gap was known before they were due or only learnt later (a record
 * ahead of the watermark can settle them first; the notification policy then drops the ones
 * inside the gap, which leaves the same slots). A gap of a whole era between inputs thus costs one
 * reminder, not one per interval. Fire, escalation and resolve are
 * never moved by a gap: only repeats collapse.
 *
 * <p>Pure: the keyed operator holds the {@link AlertTrack}, feeds observations and time, and sets
 * a timer at {@link #nextDeadline}.
 */
public final class AlertLifecycle {
    /** Returned by {@link #nextDeadline} when nothing is due. */
    public static final long NONE = Long.MAX_VALUE;

    private static final NavigableMap<Long, Long> NO_GAPS = Collections.emptyNavigableMap();

    private AlertLifecycle() {}

    /** Applies an observation (time first: deadlines passed before it are settled first). */
    public static void observe(Rule rule, AlertTrack t, Observation o, long emittedAt, List<AlertEvent> out) {
        observe(rule, t, o, NO_GAPS, emittedAt, out);
    }

    /** Applies an observation; repeats skip the {@code gaps} (start → exclusive end). */
    public static void observe(Rule rule, AlertTrack t, Observation o, NavigableMap<Long, Long> gaps, long emittedAt,
            List<AlertEvent> out) {
        advance(rule, t, o.eventTime, gaps, emittedAt, out);
        switch (t.phase) {
            case INACTIVE:
                if (o.holds()) {
                    t.last = o;
                    t.severity = o.severity;
                    t.activeSince = o.eventTime;
                    if (rule.forMs == 0) {
                        fire(rule, t, o.eventTime, emittedAt, out);
                    } else {
                        t.phase = AlertTrack.Phase.PENDING;
                    }
                }
                break;
            case PENDING:
                if (o.holds()) {
                    t.last = o;
                    t.severity = o.severity;
                } else {
                    reset(t); // cleared before `for` elapsed: never notified
                }
                break;
            case FIRING:
                if (o.holds()) {
                    t.last = o;
                    t.clearSince = Long.MIN_VALUE;
                    if (o.severity != t.severity) {
                        t.severity = o.severity;
                        notify(rule, t, AlertState.FIRING, o.eventTime, emittedAt, out);
                    }
                } else {
                    if (t.clearSince == Long.MIN_VALUE) {
                        t.clearSince = o.eventTime;
                        t.last = o;
                    }
                    if (rule.keepFiringForMs == 0) {
                        resolve(rule, t, o.eventTime, emittedAt, out);
                    }
                }
                break;
            default:
                throw new IllegalStateException(t.phase.toString());
        }
    }

    /**
     * Settles every deadline up to {@code now} (event time): pending that has waited {@code for},
     * firing that has been clear for {@code keep_firing_for}, repeats due.
     */
    public static void advance(Rule rule, AlertTrack t, long now, long emittedAt, List<AlertEvent> out) {
        advance(rule, t, now, NO_GAPS, emittedAt, out);
    }

    /** Settles every deadline up to {@code now}; repeats skip the {@code gaps}. */
    public static void advance(Rule rule, AlertTrack t, long now, NavigableMap<Long, Long> gaps, long emittedAt,
            List<AlertEvent> out) {
        while (true) {
            long due = nextDeadline(rule, t, gaps);
            if (due == NONE || due > now) {
                return;
            }
            switch (t.phase) {
                case PENDING:
                    fire(rule, t, due, emittedAt, out);
                    break;
                case FIRING:
                    if (t.clearSince != Long.MIN_VALUE && due == t.clearSince + rule.keepFiringForMs) {
                        resolve(rule, t, due, emittedAt, out);
                    } else {
                        notify(rule, t, AlertState.FIRING, due, emittedAt, out); // repeat
                    }
                    break;
                default:
                    return;
            }
        }
    }

    /** The next event time at which {@link #advance} has something to do, or {@link #NONE}. */
    public static long nextDeadline(Rule rule, AlertTrack t) {
        return nextDeadline(rule, t, NO_GAPS);
    }

    /** The next event time at which {@link #advance} has something to do, repeats skipping the {@code gaps}. */
    public static long nextDeadline(Rule rule, AlertTrack t, NavigableMap<Long, Long> gaps) {
        switch (t.phase) {
            case PENDING:
                return t.activeSince + rule.forMs;
            case FIRING:
                long repeat = repeatAt(rule, t.lastNotifiedAt, gaps);
                if (t.clearSince != Long.MIN_VALUE) {
                    return Math.min(repeat, t.clearSince + rule.keepFiringForMs);
                }
                return repeat;
            default:
                return NONE;
        }
    }

    /** The first slot {@code last + k × repeat_interval} (k ≥ 1) that lies in no gap. */
    private static long repeatAt(Rule rule, long last, NavigableMap<Long, Long> gaps) {
        long interval = rule.repeatIntervalMs;
        long slot = last + interval;
        for (Map.Entry<Long, Long> g = gaps.floorEntry(slot); g != null && slot < g.getValue(); g = gaps.floorEntry(slot)) {
            long k = (g.getValue() - last + interval - 1) / interval; // the first slot at or after the gap's end
            slot = last + k * interval;
        }
        return slot;
    }

    /** True when {@code t} lies in one of the {@code gaps} (start → exclusive end, not overlapping). */
    public static boolean inGap(NavigableMap<Long, Long> gaps, long t) {
        Map.Entry<Long, Long> g = gaps.floorEntry(t);
        return g != null && t < g.getValue();
    }

    /**
     * The entity is no longer tracked (retention): a firing alert resolves at {@code at} with
     * {@code summary} saying why; a pending one is dropped. The track is inactive afterwards.
     */
    public static void expire(Rule rule, AlertTrack t, long at, String summary, long emittedAt, List<AlertEvent> out) {
        if (t.phase == AlertTrack.Phase.FIRING) {
            Observation o = t.last;
            t.last = new Observation(o.ruleId, o.entity, o.value, o.threshold, o.severity, at, summary);
            resolve(rule, t, at, emittedAt, out);
        } else {
            reset(t);
        }
    }

    private static void fire(Rule rule, AlertTrack t, long at, long emittedAt, List<AlertEvent> out) {
        t.phase = AlertTrack.Phase.FIRING;
        t.startsAt = at;
        t.clearSince = Long.MIN_VALUE;
        notify(rule, t, AlertState.FIRING, at, emittedAt, out);
    }

    private static void resolve(Rule rule, AlertTrack t, long at, long emittedAt, List<AlertEvent> out) {
        notify(rule, t, AlertState.RESOLVED, at, emittedAt, out);
        reset(t);
    }

    private static void reset(AlertTrack t) {
        t.phase = AlertTrack.Phase.INACTIVE;
        t.severity = null;
        t.last = null;
        t.clearSince = Long.MIN_VALUE;
    }

    private static void notify(Rule rule, AlertTrack t, AlertState state, long at, long emittedAt, List<AlertEvent> out) {
        Observation o = t.last;
        AlertEvent a = new AlertEvent();
        a.alertId = AlertIds.of(rule.id, o.entity);
        a.ruleId = rule.id;
        a.severity = t.severity;
        a.state = state;
        // the id is of the whole entity; the text is capped (AlertText) so any alert fits a message
        a.entity = AlertText.entity(o.entity);
        a.summary = AlertText.summary(o.summary);
        a.value = o.value;
        Double th = rule.threshold(t.severity);
        a.threshold = th != null ? th : o.threshold;
        a.eventTime = at;
        a.startsAt = t.startsAt;
        a.endsAt = state == AlertState.RESOLVED ? at : 0;
        a.labels = rule.labels;
        a.runbookUrl = rule.runbookUrl;
        a.emittedAt = emittedAt;
        t.lastNotifiedAt = at;
        out.add(a);
    }
}
