package io.vigil.cep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One key's state in {@link RunMatchOperator}: the events waiting for the watermark, and the
 * partial and completed matches CEP's NFA would hold for a {@link RunShape}, each a few numbers
 * instead of NFA states over a shared buffer:
 *
 * <ul>
 *   <li>a partial match is its first event, how many run events it took, and whether it is still
 *       taking run events or waits for the last step; its run events are a range of the key's
 *       run events, which are kept from the oldest one a match still holds;
 *   <li>both sets are kept in priority queues ordered as CEP orders them (by first event: time,
 *       then processing order, where CEP numbers the events of one time in processing order) and
 *       changed by the same queue operations in the same order as
 *       CEP's {@code NFA} changes its own. That order decides which of several matches with the
 *       same first event CEP emits (an {@code N+} step before a relaxed last step leaves one
 *       partial match per run length), and when a completed match that an older partial match holds
 *       back is emitted: copying it is what makes the results CEP's, not only the same kind of
 *       matches.
 * </ul>
 */
final class RunState {
    static final long NO_TIMER = Long.MIN_VALUE;

    /** CEP's order of partial matches: by first event, the start state (no event yet) last. */
    static final Comparator<Partial> ORDER = Comparator.<Partial>comparingLong(p -> p.startTs).thenComparingLong(p -> p.startSeq);

    /** Events ahead of the watermark, in arrival order, with their record timestamps. */
    long[] pendingTs = new long[2];
    PatternEvent[] pending = new PatternEvent[2];
    int pendingCount;
    /** The one event-time timer this key has registered, or {@link #NO_TIMER}. */
    long wakeAt = NO_TIMER;

    /** Sequence number of the next processed event: the order of events with equal times. */
    long nextSeq;
    /** Run events a match may still hold; the one at array index i is the key's run event {@code base + i}. */
    long base;
    long[] seq = new long[0];
    long[] ts = new long[0];
    PatternEvent[] events = new PatternEvent[0];
    int count;
    /** CEP's partial matches, its start state included; null when that state is the only one. */
    PriorityQueue<Partial> partials;
    /** Completed matches held back by an older partial match; null when none. */
    PriorityQueue<Partial> completed;

    /** A partial or completed match, as CEP's {@code ComputationState} of this shape. */
    static final class Partial {
        /** CEP's start state: no event yet; it stays while the key has partial matches. */
        static final byte START = 0;
        /** Takes run events: fewer than N so far, or N or more for {@code N+}. */
        static final byte TAKING = 1;
        /** Has its run and waits for the last step. */
        static final byte WAITING = 2;
        /** Completed. */
        static final byte DONE = 3;

        final byte kind;
        final long startTs;
        final long startSeq;
        /** Run event number of its first event ({@code base}-relative numbering); -1 for the start state. */
        final long first;
        final int taken;
        /** Completed with a last step: that event, its time and sequence; null otherwise. */
        final PatternEvent last;
        final long lastTs;
        final long lastSeq;

        Partial(byte kind, long startTs, long startSeq, long first, int taken, PatternEvent last, long lastTs, long lastSeq) {
            this.kind = kind;
            this.startTs = startTs;
            this.startSeq = startSeq;
            this.first = first;
            this.taken = taken;
            this.last = last;
            this.lastTs = lastTs;
            this.lastSeq = lastSeq;
        }

        static Partial start() {
            return new Partial(START, Long.MAX_VALUE, Long.MAX_VALUE, -1, 0, null, 0, 0);
        }

        Partial with(byte k, int n) {
            return new Partial(k, startTs, startSeq, first, n, null, 0, 0);
        }
    }

    /** Receives each match with the record timestamp CEP gives it. */
    interface Emitter {
        void emit(long timestamp, PatternMatch match);
    }

    boolean isEmpty() {
        return pendingCount == 0 && partials == null && completed == null;
    }

    void addPending(long t, PatternEvent e) {
        if (pendingCount == pending.length) {
            pending = Arrays.copyOf(pending, pendingCount * 2);
            pendingTs = Arrays.copyOf(pendingTs, pendingCount * 2);
        }
        pending[pendingCount] = e;
        pendingTs[pendingCount++] = t;
    }

    long earliestPending() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < pendingCount; i++) {
            min = Math.min(min, pendingTs[i]);
        }
        return min;
    }

    /** The first event's time of the oldest partial match; MAX_VALUE when there is none. */
    long oldestStart() {
        return partials == null ? Long.MAX_VALUE : partials.peek().startTs;
    }

    /**
     * Processes the events at or before the watermark as CEP does when the watermark passes them:
     * by time, equal times in arrival order, each time first timing out the partial matches it is
     * {@code within} or more past, then the watermark itself as a time.
     */
    void onWatermark(RunShape shape, RunMatcher matcher, long watermark, Emitter out) {
        int n = 0;
        for (int i = 0; i < pendingCount; i++) {
            if (pendingTs[i] <= watermark) {
                n++;
            }
        }
        if (n > 0) {
            Integer[] order = new Integer[n];
            int j = 0;
            boolean sorted = true;
            for (int i = 0; i < pendingCount; i++) {
                if (pendingTs[i] <= watermark) {
                    sorted &= j == 0 || pendingTs[order[j - 1]] <= pendingTs[i];
                    order[j++] = i;
                }
            }
            if (!sorted) {
                Arrays.sort(order, (x, y) -> Long.compare(pendingTs[x], pendingTs[y])); // stable: arrival order kept
            }
            long group = 0;
            for (int k = 0; k < n; k++) {
                int i = order[k];
                if (k == 0 || pendingTs[i] != group) {
                    group = pendingTs[i];
                    advance(shape, matcher, group, out);
                }
                process(shape, matcher, pendingTs[i], pending[i], out);
            }
            int w = 0;
            for (int i = 0; i < pendingCount; i++) {
                if (pendingTs[i] > watermark) {
                    pending[w] = pending[i];
                    pendingTs[w++] = pendingTs[i];
                }
            }
            Arrays.fill(pending, w, pendingCount, null);
            pendingCount = w;
        }
        advance(shape, matcher, watermark, out);
        compact();
    }

    /**
     * CEP's {@code NFA.advanceTime}: drops the partial matches whose first event is {@code within}
     * or more before {@code t}, keeping the others in their queue order, which may free held matches.
     */
    void advance(RunShape shape, RunMatcher matcher, long t, Emitter out) {
        if (partials == null || t - partials.peek().startTs < shape.withinMs) {
            return; // nothing times out (the oldest first event is the queue's head), so nothing changes
        }
        PriorityQueue<Partial> kept = new PriorityQueue<>(ORDER);
        for (Partial p : partials) {
            if (p.kind == Partial.START || t - p.startTs < shape.withinMs) {
                kept.add(p);
            }
        }
        release(matcher, null, kept, t, out);
        partials = kept.size() == 1 ? null : kept;
    }

    /** CEP's {@code NFA.process} of one event: every partial match's next states, then the matches. */
    void process(RunShape shape, RunMatcher matcher, long t, PatternEvent e, Emitter out) {
        long s = nextSeq++;
        boolean inRun = shape.inRun(e);
        if (partials == null && !inRun) {
            return; // the start state alone does not take it: nothing changes
        }
        long index = -1;
        if (inRun) {
            index = append(s, t, e); // every partial match that takes it, the start state included, holds it
        }
        PriorityQueue<Partial> from = partials != null ? partials : single(Partial.start());
        PriorityQueue<Partial> next = new PriorityQueue<>(ORDER);
        PriorityQueue<Partial> potential = new PriorityQueue<>(ORDER);
        List<Partial> children = new ArrayList<>(3);
        for (Partial p : from) {
            children.clear();
            step(shape, p, t, s, e, inRun, index, children);
            for (Partial c : children) {
                if (c.kind == Partial.DONE) {
                    potential.add(c);
                } else {
                    next.add(c);
                }
            }
        }
        release(matcher, potential, next, t, out);
        partials = next.size() == 1 ? null : next;
    }

    /** The states one partial match goes to on an event, in the order CEP's NFA creates them. */
    private void step(RunShape shape, Partial p, long t, long s, PatternEvent e, boolean inRun, long index, List<Partial> out) {
        switch (p.kind) {
            case Partial.START:
                if (inRun) {
                    taken(shape, new Partial(Partial.TAKING, t, s, index, 0, null, 0, 0), 1, t, s, out);
                }
                out.add(p); // the start state stays, after what it began
                return;
            case Partial.TAKING:
                boolean takes = inRun && shape.spanFits(event(p.first), e);
                if (p.taken < shape.times) {
                    if (takes) {
                        taken(shape, p, p.taken + 1, t, s, out);
                    }
                    return;
                }
                // N or more: take it (loop), or end the run here with the last step, or wait for it
                if (takes) {
                    taken(shape, p, p.taken + 1, t, s, out);
                }
                if (shape.then != null) {
                    if (shape.ends(lastOfRun(p), e)) {
                        out.add(done(p, p.taken, e, t, s));
                    } else if (!shape.strictThen()) {
                        out.add(p.with(Partial.WAITING, p.taken));
                    }
                }
                return;
            case Partial.WAITING:
                if (shape.ends(lastOfRun(p), e)) {
                    out.add(done(p, p.taken, e, t, s));
                } else if (!shape.strictThen()) {
                    out.add(p); // ignored: the same state
                }
                return;
            default:
                throw new IllegalStateException("a completed match among the partial ones");
        }
    }

    /** After the n-th run event: still taking, waiting for the last step, or (a run alone) completed. */
    private void taken(RunShape shape, Partial p, int n, long t, long s, List<Partial> out) {
        if (n < shape.times) {
            out.add(p.with(Partial.TAKING, n));
        } else if (!shape.orMore) {
            out.add(shape.then != null ? p.with(Partial.WAITING, n) : done(p, n, null, t, s));
        } else {
            out.add(p.with(Partial.TAKING, n));
            if (shape.then == null) {
                out.add(done(p, n, null, t, s)); // the loop proceeds to the end at once
            }
        }
    }

    private static Partial done(Partial p, int n, PatternEvent last, long t, long s) {
        return new Partial(Partial.DONE, p.startTs, p.startSeq, p.first, n, last, t, s);
    }

    /**
     * CEP's {@code processMatchesAccordingToSkipStrategy}: the new matches join the held ones;
     * the oldest is emitted while no partial match began before it, and drops every partial and
     * held match that began at or before its last event (skip past the last event).
     */
    private void release(RunMatcher matcher, PriorityQueue<Partial> potential, PriorityQueue<Partial> open, long t, Emitter out) {
        if (potential != null && !potential.isEmpty()) {
            if (completed == null) {
                completed = new PriorityQueue<>(ORDER);
            }
            completed.addAll(potential);
        }
        if (completed == null) {
            return;
        }
        Partial m;
        while ((m = completed.peek()) != null) {
            Partial head = open.peek();
            if (head != null && ORDER.compare(m, head) > 0) {
                break;
            }
            completed.poll();
            out.emit(t, matcher.match(this, m));
            long lastTs = lastTs(m);
            long lastSeq = lastSeq(m);
            open.removeIf(p -> p.kind != Partial.START && startsBy(p, lastTs, lastSeq));
            completed.removeIf(p -> startsBy(p, lastTs, lastSeq));
        }
        if (completed.isEmpty()) {
            completed = null;
        }
    }

    private static boolean startsBy(Partial p, long ts, long seq) {
        return p.startTs < ts || p.startTs == ts && p.startSeq <= seq;
    }

    /** The match's latest event by time and sequence, as CEP's pruning id. */
    private long lastTs(Partial m) {
        long runTs = ts[(int) (m.first + m.taken - 1 - base)];
        return m.last == null || runTs > m.lastTs || runTs == m.lastTs && runSeq(m) > m.lastSeq ? runTs : m.lastTs;
    }

    private long lastSeq(Partial m) {
        long runTs = ts[(int) (m.first + m.taken - 1 - base)];
        return m.last == null || runTs > m.lastTs || runTs == m.lastTs && runSeq(m) > m.lastSeq ? runSeq(m) : m.lastSeq;
    }

    private long runSeq(Partial m) {
        return seq[(int) (m.first + m.taken - 1 - base)];
    }

    private PatternEvent event(long n) {
        return events[(int) (n - base)];
    }

    private PatternEvent lastOfRun(Partial p) {
        return event(p.first + p.taken - 1);
    }

    private static PriorityQueue<Partial> single(Partial p) {
        PriorityQueue<Partial> q = new PriorityQueue<>(ORDER);
        q.add(p);
        return q;
    }

    private long append(long s, long t, PatternEvent e) {
        if (count == events.length) {
            int size = Math.max(4, count * 2);
            seq = Arrays.copyOf(seq, size);
            ts = Arrays.copyOf(ts, size);
            events = Arrays.copyOf(events, size);
        }
        seq[count] = s;
        ts[count] = t;
        events[count] = e;
        return base + count++;
    }

    /** Drops the run events no partial or held match holds; the sequence restarts on an empty key. */
    void compact() {
        long from = base + count;
        for (PriorityQueue<Partial> q : Arrays.asList(partials, completed)) {
            if (q != null) {
                for (Partial p : q) {
                    if (p.kind != Partial.START) {
                        from = Math.min(from, p.first);
                    }
                }
            }
        }
        int drop = (int) (from - base);
        if (drop == 0) {
            return;
        }
        System.arraycopy(seq, drop, seq, 0, count - drop);
        System.arraycopy(ts, drop, ts, 0, count - drop);
        System.arraycopy(events, drop, events, 0, count - drop);
        Arrays.fill(events, count - drop, count, null);
        count -= drop;
        base = from;
        if (count == 0 && isEmpty()) {
            base = 0;
            nextSeq = 0;
        }
    }

    /** Builds the {@link PatternMatch} of a completed run, as {@link PatternMatchFunction} does for CEP. */
    static final class RunMatcher implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String ruleId;
        private final PatternSpec spec;
        private final RunShape shape;

        RunMatcher(String ruleId, PatternSpec spec, RunShape shape) {
            this.ruleId = ruleId;
            this.spec = spec;
            this.shape = shape;
        }

        PatternMatch match(RunState s, Partial m) {
            int from = (int) (m.first - s.base);
            Map<String, List<PatternEvent>> match = new LinkedHashMap<>();
            match.put(shape.run.name, Arrays.asList(Arrays.copyOfRange(s.events, from, from + m.taken)));
            if (m.last != null) {
                match.put(shape.then.name, Collections.singletonList(m.last));
            }
            return PatternMatchFunction.build(ruleId, spec, match);
        }
    }
}
