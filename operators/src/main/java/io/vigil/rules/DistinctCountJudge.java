package io.vigil.rules;

import io.vigil.alert.AlertTrack;
import io.vigil.config.Durations;
import io.vigil.model.Envelope;
import io.vigil.model.Severity;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.api.common.state.MapState;

/**
 * {@code distinct_count}: distinct values of a field per value of a key field over a window (a user
 * logging on to many computers). Per key: the distinct values seen per evaluation interval.
 */
final class DistinctCountJudge implements KindJudge {
    private static final Set<String> FIELDS = RuleReader.thresholdFieldsAnd("window", "evaluation_interval");

    /** Distinct values kept per evaluation interval and key; beyond, the count is a lower bound. */
    static final int MAX_VALUES_PER_INTERVAL = 10_000;

    /**
     * Windows up to this many values are deduplicated by a scan; larger ones by a table of their own
     * (cached) hashes. A scan's cost grows with the square: up to 64, a user's ten 1-minute slots
     * of three computers each were scanned (2.0 % of the whole job's CPU; 1.8 % hashed).
     */
    private static final int SCANNED = 8;

    private MapState<Long, String[]> distinct;

    @Override
    public KeyFamily keyFamily() {
        return KeyFamily.FIELD;
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }

    @Override
    public void read(RuleReader in, Rule r) {
        in.thresholdRule(r, "field", "key");
        in.knownField(r.kind, "select.field", r.selector.field);
        in.knownField(r.kind, "select.key", r.selector.key);
        in.window(r);
    }

    @Override
    public void route(Rule rule, Envelope e, List<RuleInput> out) {
        if (!e.isValid() || e.late) {
            return;
        }
        RuleSelector s = rule.selector;
        String key = EventFields.get(e, s.key);
        String value = key == null ? null : EventFields.get(e, s.field);
        if (value != null) {
            out.add(RuleInput.of(rule.id, EventFields.entityName(s.key) + " " + key, e.eventTime, 0, 0, value));
        }
    }

    @Override
    public KindJudge open(KeyedStateStore ctx) {
        DistinctCountJudge j = new DistinctCountJudge();
        j.distinct = ctx.getMapState(RuleStates.DISTINCT);
        return j;
    }

    /**
     * Adds the value to its slot; the count is judged at window ends, like the other windows. A
     * slot's values are kept sorted, so a busy key's repeat is found by a binary search, not a scan.
     */
    @Override
    public void onElement(Evaluation ev, RuleInput in) throws Exception {
        long t = in.eventTime;
        if (t < ev.watermark()) {
            return; // its windows have been judged already
        }
        String value = in.text;
        long slot = WindowSlots.slotOf(ev.rule, t);
        String[] values = distinct.get(slot);
        ev.markHoldsState(); // the slot exists now, or did already
        boolean opened = values == null;
        if (opened) {
            values = new String[] {value};
        } else if (values.length >= MAX_VALUES_PER_INTERVAL) {
            return; // at the cap the window already breaches any sane threshold: more would only cost state
        } else {
            String[] grown = withValue(values, value);
            if (grown == values) {
                return;
            }
            values = grown;
        }
        distinct.put(slot, values);
        if (opened) {
            // behind the watermark nothing is added: an open slot's window end is still to come
            ev.timers().registerEventTimeTimer(slot + ev.rule.windowSlideMs);
        }
    }

    /** A slot's sorted values with {@code value} added in its place; the same array when it holds it already. */
    static String[] withValue(String[] values, String value) {
        int at = Arrays.binarySearch(values, value);
        if (at >= 0) {
            return values;
        }
        at = -at - 1;
        String[] grown = new String[values.length + 1];
        System.arraycopy(values, 0, grown, 0, at);
        grown[at] = value;
        System.arraycopy(values, at, grown, at + 1, values.length - at);
        return grown;
    }

    /** End of a window [ts - size, ts): count the distinct values of its slots. */
    @Override
    public void onTimer(Evaluation ev, long ts) throws Exception {
        Rule rule = ev.rule;
        List<String[]> window = WindowSlots.inWindow(distinct, rule, ts, ev.timers());
        if (rule.direction == Direction.ABOVE && ev.track().phase == AlertTrack.Phase.INACTIVE) {
            // Skip a count that cannot breach. Nothing was added since the window end before (a later
            // value lands in the newest slot or beyond): the count can only have fallen, so a window
            // that did not breach cannot now. Or the slots' sizes, which bound the count from
            // above, breach no threshold. Most window ends of most keys are such.
            int bound = 0;
            for (String[] values : window) {
                bound += values.length;
            }
            if (rule.severityOf(bound) == null || !distinct.contains(ts - rule.windowSlideMs)) {
                return;
            }
        }
        boolean capped = false;
        for (String[] values : window) {
            capped |= values.length >= MAX_VALUES_PER_INTERVAL;
        }
        int n = distinct(window);
        Severity s = rule.severityOf(n);
        ev.observe(n, s, ts, ev.entity + ": " + (capped ? "at least " : "") + n + " distinct "
                + EventFields.entityName(rule.selector.field) + "s in the last " + Durations.format(rule.windowSizeMs)
                + RuleText.describe(rule, s));
    }

    /**
     * The distinct values of a window's slots. Each slot's are distinct already, unless it was
     * written by a version that kept them unsorted (a repeat could then be added): counted anyway.
     */
    static int distinct(List<String[]> window) {
        int total = 0;
        for (String[] values : window) {
            total += values.length;
        }
        if (total <= 1) {
            return total;
        }
        if (total > SCANNED) {
            return distinctByHash(window, total);
        }
        String[] seen = new String[total];
        int n = 0;
        for (String[] values : window) {
            next:
            for (String v : values) {
                for (int i = 0; i < n; i++) {
                    if (seen[i].equals(v)) {
                        continue next;
                    }
                }
                seen[n++] = v;
            }
        }
        return n;
    }

    /**
     * Open addressing at most half full, on the values' own hash codes (cached in each String that
     * state holds): no boxing, no entry objects, unlike a HashSet.
     */
    private static int distinctByHash(List<String[]> window, int total) {
        String[] table = new String[Integer.highestOneBit(total) << 2];
        int mask = table.length - 1;
        int n = 0;
        for (String[] values : window) {
            for (String v : values) {
                int h = v.hashCode() * 0x9E3779B9;
                int i = (h ^ (h >>> 16)) & mask;
                while (table[i] != null && !table[i].equals(v)) {
                    i = (i + 1) & mask;
                }
                if (table[i] == null) {
                    table[i] = v;
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public boolean needsTimerAt(Rule rule, long ts) throws Exception {
        return WindowSlots.needs(rule, distinct.keys(), ts);
    }

    @Override
    public boolean holdsState() throws Exception {
        return !distinct.isEmpty();
    }

    @Override
    public void clear(Rule rule, TimerService timers) throws Exception {
        WindowSlots.deleteTimers(distinct, rule, timers);
        distinct.clear();
    }
}
