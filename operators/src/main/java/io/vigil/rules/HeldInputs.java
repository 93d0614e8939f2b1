package io.vigil.rules;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.TimerService;

/**
 * The inputs of one key held ahead of the watermark, by event time, for the kinds whose verdict
 * depends on input order ({@link KindJudge#hold}): each time is released once, in a fixed order,
 * whatever order parallel readers delivered it in.
 */
final class HeldInputs {
    private final MapState<Long, RuleInput[]> held;
    /** The order of inputs of one event time, so a release does not depend on arrival. */
    private final Comparator<RuleInput> sameTime;

    HeldInputs(KeyedStateStore ctx, Comparator<RuleInput> sameTime) {
        this.held = ctx.getMapState(RuleStates.HELD_INPUTS);
        this.sameTime = sameTime;
    }

    /** Holds {@code in} until the watermark passes it; false when it already has (judge at once). */
    boolean hold(RuleInput in, TimerService timers) throws Exception {
        if (in.eventTime <= timers.currentWatermark()) {
            return false; // behind the watermark: it can no longer wait
        }
        RuleInput[] at = held.get(in.eventTime);
        RuleInput[] more = at == null ? new RuleInput[1] : Arrays.copyOf(at, at.length + 1);
        more[more.length - 1] = in;
        held.put(in.eventTime, more);
        timers.registerEventTimeTimer(in.eventTime);
        return true;
    }

    /** The inputs held for {@code ts}, in order, and forgotten; empty when none. */
    List<RuleInput> release(long ts) throws Exception {
        RuleInput[] at = held.get(ts);
        if (at == null) {
            return List.of();
        }
        held.remove(ts);
        Arrays.sort(at, sameTime);
        return Arrays.asList(at);
    }

    boolean contains(long ts) throws Exception {
        return held.contains(ts);
    }

    boolean isEmpty() throws Exception {
        return held.isEmpty();
    }

    /** Forgets every held input and deletes the timers that would have released them. */
    void clear(TimerService timers) throws Exception {
        for (Long ts : held.keys()) {
            timers.deleteEventTimeTimer(ts);
        }
        held.clear();
    }
}
