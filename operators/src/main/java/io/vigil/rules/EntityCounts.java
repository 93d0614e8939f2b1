package io.vigil.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many entities of each rule one evaluator subtask tracks, and how many inputs of new
 * entities it turned away at the rule's cap ({@code max_entities}, split evenly over the
 * subtasks). Checkpointed as union list state: after a restore at another parallelism each subtask
 * takes an even share of the totals, which keys were redistributed with.
 */
final class EntityCounts {
    /** One rule's counts on one subtask, as checkpointed. */
    public static class Entry {
        public String ruleId;
        public int subtask;
        public int parallelism;
        public long tracked;
        public long overCap;
        public long overSince;

        public Entry() {}

        Entry(String ruleId, int subtask, int parallelism, long[] c) {
            this.ruleId = ruleId;
            this.subtask = subtask;
            this.parallelism = parallelism;
            this.tracked = c[0];
            this.overCap = c[1];
            this.overSince = c[2];
        }
    }

    /** tracked, over cap, event time the overflow began. */
    private final Map<String, long[]> byRule = new HashMap<>();
    private final int subtask;
    private final int parallelism;

    EntityCounts(int subtask, int parallelism) {
        this.subtask = subtask;
        this.parallelism = parallelism;
    }

    /** This subtask's share of a rule's cap. */
    long capOf(Rule rule) {
        return Math.max(1, (rule.maxEntities + parallelism - 1) / parallelism);
    }

    /** A new entity of {@code rule} at {@code t}: true when it may be tracked (and is now counted). */
    boolean admit(Rule rule, long t) {
        long[] c = of(rule.id);
        if (c[0] >= capOf(rule)) {
            if (c[1]++ == 0) {
                c[2] = t;
            }
            return false;
        }
        c[0]++;
        return true;
    }

    /** An entity stopped being tracked. */
    void release(String ruleId) {
        long[] c = of(ruleId);
        c[0] = Math.max(0, c[0] - 1);
    }

    long tracked(String ruleId) {
        return of(ruleId)[0];
    }

    long overCap(String ruleId) {
        return of(ruleId)[1];
    }

    long overSince(String ruleId) {
        return of(ruleId)[2];
    }

    /** The overflow has been reported as resolved: start counting anew. */
    void resetOverCap(String ruleId) {
        of(ruleId)[1] = 0;
    }

    private long[] of(String ruleId) {
        return byRule.computeIfAbsent(ruleId, r -> new long[3]);
    }

    List<Entry> snapshot() {
        List<Entry> out = new ArrayList<>(byRule.size());
        for (Map.Entry<String, long[]> e : byRule.entrySet()) {
            out.add(new Entry(e.getKey(), subtask, parallelism, e.getValue()));
        }
        return out;
    }

    /** Restores from every subtask's entries (union state). */
    void restore(Iterable<Entry> all) {
        byRule.clear();
        Map<String, long[]> totals = new HashMap<>();
        boolean same = true;
        for (Entry e : all) {
            same &= e.parallelism == parallelism;
            long[] t = totals.computeIfAbsent(e.ruleId, r -> new long[3]);
            t[0] += e.tracked;
            t[1] += e.overCap;
            if (e.parallelism == parallelism && e.subtask == subtask) {
                byRule.put(e.ruleId, new long[] {e.tracked, e.overCap, e.overSince});
            }
        }
        if (!same) {
            byRule.clear();
            for (Map.Entry<String, long[]> t : totals.entrySet()) {
                byRule.put(t.getKey(), new long[] {(t.getValue()[0] + parallelism - 1) / parallelism, 0, 0});
            }
        }
    }
}
