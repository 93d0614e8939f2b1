package io.vigil.cep;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Finds the matches of a {@link RunShape} pattern per key, in event time, with exactly the
 * results of Flink CEP on the pattern {@link PatternCompiler} builds (the same matches, in the
 * same order per key, at the same watermark and with the same timestamps), at a fraction of its
 * cost. Like CEP it holds each key's events until the watermark passes them, processes them by
 * time (equal times in arrival order) and drops late events (at or before the watermark); the
 * partial matches are CEP's, kept as a few numbers each ({@link RunState}). A key whose only
 * partial match is CEP's start state, the usual case, skips every event the run step does not
 * take at once.
 *
 * <p>Per event: one read and one write of the key's {@link RunState} value, and a timer
 * registration only when the event is the key's earliest waiting one (a key has one timer at a
 * time). Per key and watermark that passes its events: one read, one write or clear, at most one
 * timer. CEP per event: a read and a write of its per-timestamp map of buffered events and a
 * timer per new timestamp; per key and watermark: a scan and sort of that map's timestamps, its
 * NFA state, a map read and removal per timestamp, the shared buffer's event, node and count
 * maps (also read back by every {@code within}/{@code within_previous} condition), and a timer
 * per new partial match.
 */
public class RunMatchOperator extends AbstractStreamOperator<PatternMatch>
        implements OneInputStreamOperator<PatternEvent, PatternMatch>, Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    /** The keyed state's name. */
    static final String STATE = "run";

    private final RunShape shape;
    private final RunState.RunMatcher matcher;
    /** One step of one event: every match is one event alone, so no other event changes anything. */
    private final boolean runEventsOnly;

    private transient ValueState<RunState> state;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient Counter late;
    private transient StreamRecord<PatternMatch> record;
    private transient RunState.Emitter emitter;

    public RunMatchOperator(String ruleId, PatternSpec spec, RunShape shape) {
        this.shape = shape;
        this.matcher = new RunState.RunMatcher(ruleId, spec, shape);
        this.runEventsOnly = shape.then == null && shape.times == 1;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getKeyedStateStore().getState(new ValueStateDescriptor<>(STATE, RunStateSerializer.INSTANCE));
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = getInternalTimerService("run-timers", VoidNamespaceSerializer.INSTANCE, this);
        late = getMetricGroup().counter("numLateRecordsDropped");
        record = new StreamRecord<>(null);
        emitter = (t, m) -> output.collect(record.replace(m, t));
    }

    @Override
    public void processElement(StreamRecord<PatternEvent> element) throws Exception {
        long t = element.getTimestamp();
        if (t <= timers.currentWatermark()) {
            late.inc(); // CEP drops it too: the key's events up to the watermark are already matched
            return;
        }
        PatternEvent e = element.getValue();
        if (runEventsOnly && !shape.inRun(e)) {
            return;
        }
        RunState s = state.value();
        if (s == null) {
            s = new RunState();
        }
        s.addPending(t, e);
        if (s.wakeAt == RunState.NO_TIMER || t < s.wakeAt) {
            wake(s, t);
        }
        state.update(s);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        RunState s = state.value();
        if (s == null) {
            return;
        }
        s.wakeAt = RunState.NO_TIMER; // the key's one timer has fired
        s.onWatermark(shape, matcher, timers.currentWatermark(), emitter);
        if (s.isEmpty()) {
            state.clear();
            return;
        }
        // the next watermark that changes anything: an event's time, or when the oldest partial match times out
        long open = s.oldestStart();
        long next = Math.min(s.earliestPending(), open == Long.MAX_VALUE ? Long.MAX_VALUE : open + shape.withinMs);
        // both are past the watermark; a timer at or before it would fire again in this same advance
        wake(s, Math.max(next, timers.currentWatermark() + 1));
        state.update(s);
    }

    private void wake(RunState s, long t) {
        if (s.wakeAt != RunState.NO_TIMER) {
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, s.wakeAt);
        }
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, t);
        s.wakeAt = t;
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // event time only
    }
}
