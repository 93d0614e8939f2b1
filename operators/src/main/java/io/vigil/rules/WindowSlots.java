package io.vigil.rules;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.TimerService;

/**
 * The slots of a windowed kind's state: one per evaluation interval, keyed by its start. A window
 * [end - size, end) is judged at each interval end while a slot lies in it.
 */
final class WindowSlots {
    private WindowSlots() {}

    /** The start of the slot that holds event time {@code t}. */
    static long slotOf(Rule rule, long t) {
        return t - Math.floorMod(t, rule.windowSlideMs);
    }

    /**
     * The slots of the window [ts - size, ts). Drops slots no later window contains, and schedules
     * the next window end while a slot is in it (so the window that empties is judged too). A slot
     * further ahead has the timer set when it was filled: the empty windows up to it are not
     * walked one interval at a time (a replay's dead letters at epoch 0 and events of today are
     * millions of intervals apart).
     */
    static <V> List<V> inWindow(MapState<Long, V> slots, Rule rule, long ts, TimerService timers) throws Exception {
        List<V> in = new ArrayList<>();
        boolean left = false;
        boolean next = false;
        boolean filling = false;
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
            filling |= slot == ts;
        }
        // The slot that starts here set the next end when it opened: asking again is a timer lookup
        if (next && !filling) {
            timers.registerEventTimeTimer(ts + rule.windowSlideMs);
        } else if (!left) {
            slots.clear(); // an empty map still holds an entry in the state backend
        }
        return in;
    }

    /** Deletes the window ends still to be judged for the slots; none when the rule was removed. */
    static void deleteTimers(MapState<Long, ?> slots, Rule rule, TimerService timers) throws Exception {
        if (rule == null) {
            return;
        }
        for (long slot : slots.keys()) {
            for (long end = slot + rule.windowSlideMs; end <= slot + rule.windowSizeMs + rule.windowSlideMs;
                    end += rule.windowSlideMs) {
                timers.deleteEventTimeTimer(end);
            }
        }
    }

    /** A window end at {@code ts} is still to be judged for one of the slots. */
    static boolean needs(Rule rule, Iterable<Long> slots, long ts) {
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
}
