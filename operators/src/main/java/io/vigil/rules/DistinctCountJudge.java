package io.vigil.rules;

import io.vigil.alert.AlertTrack;
import io.vigil.config.Durations;
import io.vigil.model.Envelope;
import io.vigil.model.Severity;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.api.common.state.MapState;

/**
 * {@code distinct_count}: distinct values of a field per value of a key field over a window (a user
 * logging on to many computers). Per key: the distinct values seen per evaluation interval, as
 * 64-bit hashes.
 */
final class DistinctCountJudge implements KindJudge {
    private static final Set<String> FIELDS = RuleReader.thresholdFieldsAnd("window", "evaluation_interval");

    /** Distinct values kept per evaluation interval and key; beyond, the count is a lower bound. */
    static final int MAX_VALUES_PER_INTERVAL = 10_000;

    /**
     * Windows up to this many values are deduplicated by a scan; larger ones by a table. A scan's
     * cost grows with the square: up to 64, a user's ten 1-minute slots of three computers each
     * were scanned (2.0 % of the whole job's CPU).
     */
    private static final int SCANNED = 8;

    private MapState<Long, long[]> distinct;

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
     * Adds the value's hash to its slot; the count is judged at window ends, like the other windows.
     * A slot keeps its hashes sorted, so a busy key's repeat is found by a binary search, not a scan.
     */
    @Override
    public void onElement(Evaluation ev, RuleInput in) throws Exception {
        long t = in.eventTime;
        if (t < ev.watermark()) {
            return; // its windows have been judged already
        }
        long value = hash(in.text);
        long slot = WindowSlots.slotOf(ev.rule, t);
        long[] values = distinct.get(slot);
        ev.markHoldsState(); // the slot exists now, or did already
        boolean opened = values == null;
        if (opened) {
            values = new long[] {value};
        } else if (values.length >= MAX_VALUES_PER_INTERVAL) {
            return; // at the cap the window already breaches any sane threshold: more would only cost state
        } else {
            long[] grown = withValue(values, value);
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

    /**
     * A value's 64-bit hash (FNV-1a over its chars, then MurmurHash3's finalizer), never 0. Slots
     * keep hashes, not the strings: eight bytes a value in state, and a window is counted without
     * visiting one String object per value (a cache miss each). Two of a window's values share a
     * hash with odds of about n² / 2⁶⁵: below 10⁻¹¹ at the 10,000-value cap.
     */
    static long hash(String value) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < value.length(); i++) {
            h = (h ^ value.charAt(i)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h; // 0 marks an empty place in the counting table
    }

    /** A slot's sorted hashes with {@code value} added in its place; the same array when it holds it already. */
    static long[] withValue(long[] values, long value) {
        int at = Arrays.binarySearch(values, value);
        if (at >= 0) {
            return values;
        }
        at = -at - 1;
        long[] grown = new long[values.length + 1];
        System.arraycopy(values, 0, grown, 0, at);
        grown[at] = value;
        System.arraycopy(values, at, grown, at + 1, values.length - at);
        return grown;
    }

    /** End of a window [ts - size, ts): count the distinct values of its slots. */
    @Override
    public void onTimer(Evaluation ev, long ts) throws Exception {
        Rule rule = ev.rule;
        List<long[]> window = WindowSlots.inWindow(distinct, rule, ts, ev.timers());
        if (rule.direction == Direction.ABOVE && ev.track().phase == AlertTrack.Phase.INACTIVE) {
            // Skip a count that cannot breach. Nothing was added since the window end before (a later
            // value lands in the newest slot or beyond): the count can only have fallen, so a window
            // that did not breach cannot now. Or the slots' sizes, which bound the count from
            // above, breach no threshold. Most window ends of most keys are such.
            int bound = 0;
            for (long[] values : window) {
                bound += values.length;
            }
            if (rule.severityOf(bound) == null || !distinct.contains(ts - rule.windowSlideMs)) {
                return;
            }
        }
        boolean capped = false;
        for (long[] values : window) {
            capped |= values.length >= MAX_VALUES_PER_INTERVAL;
        }
        int n = distinct(window);
        Severity s = rule.severityOf(n);
        ev.observe(n, s, ts, ev.entity + ": " + (capped ? "at least " : "") + n + " distinct "
                + EventFields.entityName(rule.selector.field) + "s in the last " + Durations.format(rule.windowSizeMs)
                + RuleText.describe(rule, s));
    }

    /** The distinct hashes of a window's slots (a slot's own are distinct: {@link #withValue}). */
    static int distinct(List<long[]> window) {
        int total = 0;
        for (long[] values : window) {
            total += values.length;
        }
        if (window.size() <= 1 || total <= 1) {
            return total;
        }
        if (total > SCANNED) {
            return distinctByHash(window, total);
        }
        long[] seen = new long[total];
        int n = 0;
        for (long[] values : window) {
            next:
            for (long v : values) {
                for (int i = 0; i < n; i++) {
                    if (seen[i] == v) {
                        continue next;
                    }
                }
                seen[n++] = v;
            }
        }
        return n;
    }

    /** Open addressing at most half full on the hashes themselves: no boxing, no entry objects. */
    private static int distinctByHash(List<long[]> window, int total) {
        long[] table = new long[Integer.highestOneBit(total) << 2];
        int mask = table.length - 1;
        int n = 0;
        for (long[] values : window) {
            for (long v : values) {
                int i = (int) (v ^ (v >>> 32)) & mask;
                while (table[i] != 0 && table[i] != v) {
                    i = (i + 1) & mask;
                }
                if (table[i] == 0) {
                    table[i] = v;
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Carries slots of the version before hashes (state {@code distinct}: sorted or not, the values
     * themselves) into this one's, once, when the operator starts from such a snapshot; their
     * window-end timers are the same.
     */
    @Override
    public void upgrade(RuleNamespaces namespaces) throws Exception {
        namespaces.forEachHolding(RuleStates.DISTINCT_VALUES, (MapState<Long, String[]> before) -> {
            for (Map.Entry<Long, String[]> slot : before.entries()) {
                long[] values = distinct.get(slot.getKey());
                if (values == null) {
                    values = new long[0];
                }
                for (String v : slot.getValue()) {
                    values = withValue(values, hash(v));
                }
                distinct.put(slot.getKey(), values);
            }
            before.clear();
        });
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
