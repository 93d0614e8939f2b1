package io.vigil.rules;

import io.vigil.alert.AlertLifecycle;
import io.vigil.alert.AlertTrack;
import io.vigil.alert.Observation;
import io.vigil.model.AlertEvent;
import io.vigil.model.Severity;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * One element's or timer's work on one (rule, entity): a kind observes values, the lifecycle turns
 * them into alert events, and {@link #finish} sets the next lifecycle timer.
 */
final class Evaluation {
    final Rule rule;
    final String entity;
    final boolean replay;
    private final TimerService timers;
    private final ReadOnlyBroadcastState<Long, Long> gapsState;
    private final ValueState<AlertTrack> trackState;
    private final KindJudge judge;
    private final List<AlertEvent> pending;
    private final long processingTime;
    private AlertTrack t;
    private boolean loaded;
    /** The track was in state when loaded: an inactive one then needs clearing, a new one not. */
    private boolean stored;
    private NavigableMap<Long, Long> gaps;
    /** A kind said the key holds kind state after this call, so nobody need look it up. */
    private boolean holdsState;
    /** The event-time timer of the entity's retention, or {@link Long#MIN_VALUE}. */
    long retentionTimer = Long.MIN_VALUE;

    Evaluation(Rule rule, String entity, boolean replay, TimerService timers, ReadOnlyBroadcastState<Long, Long> gapsState,
            ValueState<AlertTrack> trackState, KindJudge judge, List<AlertEvent> pending) {
        this.rule = rule;
        this.entity = entity;
        this.replay = replay;
        this.timers = timers;
        this.gapsState = gapsState;
        this.trackState = trackState;
        this.judge = judge;
        this.pending = pending;
        this.processingTime = timers.currentProcessingTime();
    }

    TimerService timers() {
        return timers;
    }

    long watermark() {
        return timers.currentWatermark();
    }

    /** Live only: processing time now, from which silent-input fallbacks count. */
    long processingTime() {
        return processingTime;
    }

    /** The gaps known so far (replay only; live has none). */
    NavigableMap<Long, Long> gaps() throws Exception {
        if (gaps == null) {
            gaps = replay ? RuleStates.gaps(gapsState) : Collections.emptyNavigableMap();
        }
        return gaps;
    }

    /**
     * A timer at {@code ts} inside a gap that neither the kind nor the lifecycle needs: a repeat
     * set before the gap was known, which the gap has moved to after its end.
     */
    boolean movedRepeat(long ts) throws Exception {
        if (!replay || !AlertLifecycle.inGap(gaps(), ts) || judge.needsTimerAt(rule, ts)) {
            return false;
        }
        AlertTrack tr = track();
        return tr.phase == AlertTrack.Phase.INACTIVE || AlertLifecycle.nextDeadline(rule, tr, gaps()) != ts;
    }

    /** Said by a kind that knows the key holds kind state after this call (it just wrote some). */
    void markHoldsState() {
        holdsState = true;
    }

    /** True when the key holds kind state: said by the kind, or looked up. */
    boolean holdsState() throws Exception {
        return holdsState || judge.holdsState();
    }

    /** True when the lifecycle or the retention has its timer at {@code ts}: a kind must not delete it. */
    boolean othersNeed(long ts) throws Exception {
        return ts == track().timer || ts == retentionTimer;
    }

    AlertTrack track() throws Exception {
        if (!loaded) {
            t = trackState.value();
            stored = t != null;
            if (t == null) {
                t = new AlertTrack();
            }
            loaded = true;
        }
        return t;
    }

    /** A value judged at {@code at}: {@code s} is the severity it breaches, null when it is fine. */
    void observe(double value, Severity s, long at, String summary) throws Exception {
        Double th = s != null ? rule.threshold(s) : rule.info != null ? rule.info
                : rule.warning != null ? rule.warning : rule.critical;
        Observation o = new Observation(rule.id, entity, value, th == null ? Double.NaN : th, s, at, summary);
        AlertLifecycle.observe(rule, track(), o, gaps(), replay ? at : processingTime, pending);
    }

    /** The entity is retired: a firing alert resolves at {@code at} with {@code summary}. */
    void expire(long at, String summary) throws Exception {
        AlertLifecycle.expire(rule, track(), at, summary, replay ? at : processingTime, pending);
    }

    void advanceTo(long at) throws Exception {
        AlertLifecycle.advance(rule, track(), at, gaps(), replay ? at : processingTime, pending);
    }

    /** Sets the lifecycle's next timer; no timer outlives its alert, none the kind needs is dropped. */
    void finish() throws Exception {
        if (!loaded) {
            return;
        }
        long due = t.phase == AlertTrack.Phase.INACTIVE ? AlertLifecycle.NONE : AlertLifecycle.nextDeadline(rule, t, gaps());
        if (t.timer != Long.MIN_VALUE && t.timer != due && t.timer != retentionTimer && !judge.needsTimerAt(rule, t.timer)) {
            timers.deleteEventTimeTimer(t.timer);
        }
        if (due != AlertLifecycle.NONE && due != t.timer) {
            timers.registerEventTimeTimer(due);
        }
        t.timer = due == AlertLifecycle.NONE ? Long.MIN_VALUE : due;
        if (t.phase == AlertTrack.Phase.INACTIVE) {
            if (stored) {
                trackState.clear();
            }
            stored = false;
        } else {
            trackState.update(t);
            stored = true;
        }
    }
}
