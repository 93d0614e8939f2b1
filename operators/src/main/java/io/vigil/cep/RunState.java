package io.vigil.cep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One key's state in {@link RunMatchOperator}: the events waiting for the watermark, and the
 * partial matches CEP would hold, kept as what they are for a {@link RunShape}:
 *
 * <ul>
 *   <li>the run under way: the run-step events since the last event that broke the run; every one
 *       of them began a partial match (as each does in CEP), so the partial matches of the run are
 *       a range of start events {@code [runLo, count)}, each holding the events from its start on;
 *   <li>the partial matches waiting for the last step ({@code waits}): a start event and how many
 *       run events the match took. CEP keeps one partial match per length of the run for a
 *       {@code N+} step followed by a relaxed last step; the longest is the one it emits (its
 *       last event is the latest, so it completes whenever a shorter one would), so one is kept;
 *   <li>completed matches held back while a partial match that began earlier is still open, as
 *       CEP holds them under skip-past-last-event.
 * </ul>
 *
 * Run events are kept from the earliest start still open on. Events are ordered by a per-key
 * sequence number in processing order, which orders them as CEP's event ids do.
 */
final class RunState {
    static final long NO_TIMER = Long.MIN_VALUE;

    /** Events ahead of the watermark, in arrival order, with their record timestamps. */
    long[] pendingTs = new long[2];
    PatternEvent[] pending = new PatternEvent[2];
    int pendingCount;
    /** The one event-time timer this key has registered, or {@link #NO_TIMER}. */
    long wakeAt = NO_TIMER;

    /** Sequence number of the next processed event. */
    long nextSeq;
    /** Run-step events still part of an open partial match: sequence, record time, event. */
    long[] seq = new long[0];
    long[] ts = new long[0];
    PatternEvent[] events = new PatternEvent[0];
    int count;
    /** First start of the run under way; {@code runLo == count} when no run is under way. */
    int runLo;
    /** Partial matches waiting for the last step, by start: index of the start event, run length. */
    int[] waitStart = new int[0];
    int[] waitLength = new int[0];
    int waitCount;
    /** Completed matches not emitted yet, by start; null when none (the usual case). */
    List<Held> held;

    /** A completed match held back by a partial match that began earlier. */
    static final class Held {
        final long startSeq;
        final long lastSeq;
        final PatternMatch match;

        Held(long startSeq, long lastSeq, PatternMatch match) {
            this.startSeq = startSeq;
            this.lastSeq = lastSeq;
            this.match = match;
        }
    }

    /** Receives each match with the record timestamp CEP gives it. */
    interface Emitter {
        void emit(long timestamp, PatternMatch match);
    }

    boolean isEmpty() {
        return pendingCount == 0 && waitCount == 0 && runLo >= count && (held == null || held.isEmpty());
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
            long group = Long.MIN_VALUE;
            for (int i : order) {
                if (pendingTs[i] != group) {
                    group = pendingTs[i];
                    advance(shape, group, out, matcher);
                }
                process(shape, pendingTs[i], pending[i], matcher, out);
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
        advance(shape, watermark, out, matcher);
        compact();
    }

    /**
     * CEP's {@code advanceTime}: partial matches whose first event is {@code within} or more before
     * {@code t} are dropped, which may free held matches.
     */
    void advance(RunShape shape, long t, Emitter out, RunMatcher matcher) {
        int drop = 0;
        while (drop < waitCount && t - ts[waitStart[drop]] >= shape.withinMs) {
            drop++;
        }
        removeWaits(drop);
        while (runLo < count && t - ts[runLo] >= shape.withinMs) {
            runLo++;
        }
        release(t, out);
    }

    /** One event through the partial matches, as CEP's NFA takes it. */
    void process(RunShape shape, long t, PatternEvent e, RunMatcher matcher, Emitter out) {
        long s = nextSeq++;
        boolean inRun = shape.inRun(e);
        int doneStart = -1;
        int doneLength = 0;
        // the partial matches waiting for the last step: the oldest that completes is the match
        if (waitCount > 0) {
            if (inRun) {
                if (shape.strictThen()) {
                    removeWaits(waitCount); // a run event is not the next event they need
                }
            } else {
                int w = 0;
                for (int i = 0; i < waitCount; i++) {
                    int st = waitStart[i];
                    int len = waitLength[i];
                    if (shape.ends(events[st + len - 1], e)) {
                        if (doneStart < 0) {
                            doneStart = st;
                            doneLength = len;
                        }
                    } else if (!shape.strictThen()) {
                        waitStart[w] = st;
                        waitLength[w++] = len;
                    }
                }
                waitCount = w;
            }
        }
        if (inRun) {
            // starts the event is too far from for the run step's span: the run ends for them
            while (runLo < count && !shape.spanFits(events[runLo], e)) {
                int len = count - runLo;
                if (shape.then != null && shape.orMore && len >= shape.times && !shape.strictThen()) {
                    addWait(runLo, len);
                }
                runLo++;
            }
            // every remaining start takes the event, and the event starts a partial match itself
            append(s, t, e);
            int longest = count - runLo;
            if (longest == shape.times && !(shape.orMore && shape.then != null)) {
                if (shape.then == null) {
                    doneStart = runLo;
                    doneLength = longest;
                } else {
                    addWait(runLo, longest); // N exactly: on to the last step
                    runLo++;
                }
            }
        } else if (runLo < count) {
            // any other event breaks the run: a long enough run ends here or waits for the last step
            PatternEvent last = events[count - 1];
            boolean ends = shape.then != null && shape.orMore && shape.ends(last, e);
            for (int i = runLo; i < count; i++) {
                int len = count - i;
                if (shape.then == null || !shape.orMore || len < shape.times) {
                    break; // shorter runs die; the lengths only fall from here
                }
                if (ends) {
                    if (doneStart < 0) {
                        doneStart = i;
                        doneLength = len;
                    }
                } else if (!shape.strictThen()) {
                    addWait(i, len);
                }
            }
            runLo = count;
        }
        if (doneStart >= 0) {
            hold(new Held(seq[doneStart], s, matcher.match(this, doneStart, doneLength, shape.then == null ? null : e)));
        }
        release(t, out);
    }

    private void hold(Held h) {
        if (held == null) {
            held = new ArrayList<>(1);
        }
        int i = held.size();
        while (i > 0 && held.get(i - 1).startSeq > h.startSeq) {
            i--;
        }
        held.add(i, h);
    }

    /**
     * Emits the held matches no open partial match began before, oldest first; each drops every
     * partial and held match that began at or before its last event (skip past the last event).
     */
    private void release(long t, Emitter out) {
        while (held != null && !held.isEmpty()) {
            Held h = held.get(0);
            if (firstOpenSeq() < h.startSeq) {
                return;
            }
            held.remove(0);
            out.emit(t, h.match);
            int drop = 0;
            while (drop < waitCount && seq[waitStart[drop]] <= h.lastSeq) {
                drop++;
            }
            removeWaits(drop);
            while (runLo < count && seq[runLo] <= h.lastSeq) {
                runLo++;
            }
            while (!held.isEmpty() && held.get(0).startSeq <= h.lastSeq) {
                held.remove(0);
            }
        }
    }

    /** The start of the oldest open partial match: waits began before the run under way. */
    long firstOpenSeq() {
        return waitCount > 0 ? seq[waitStart[0]] : runLo < count ? seq[runLo] : Long.MAX_VALUE;
    }

    /** The record time of the oldest open partial match's first event; MAX_VALUE when none. */
    long firstOpenTime() {
        return waitCount > 0 ? ts[waitStart[0]] : runLo < count ? ts[runLo] : Long.MAX_VALUE;
    }

    private void addWait(int start, int length) {
        if (waitCount == waitStart.length) {
            waitStart = Arrays.copyOf(waitStart, Math.max(2, waitCount * 2));
            waitLength = Arrays.copyOf(waitLength, waitStart.length);
        }
        waitStart[waitCount] = start;
        waitLength[waitCount++] = length;
    }

    private void removeWaits(int n) {
        if (n == 0) {
            return;
        }
        System.arraycopy(waitStart, n, waitStart, 0, waitCount - n);
        System.arraycopy(waitLength, n, waitLength, 0, waitCount - n);
        waitCount -= n;
    }

    private void append(long s, long t, PatternEvent e) {
        if (count == events.length) {
            int size = Math.max(4, count * 2);
            seq = Arrays.copyOf(seq, size);
            ts = Arrays.copyOf(ts, size);
            events = Arrays.copyOf(events, size);
        }
        seq[count] = s;
        ts[count] = t;
        events[count++] = e;
    }

    /** Drops the run events no open partial match holds; the sequence restarts on an empty key. */
    void compact() {
        int from = waitCount > 0 ? waitStart[0] : runLo;
        if (from >= count) {
            Arrays.fill(events, 0, count, null);
            count = 0;
            runLo = 0;
            waitCount = 0;
            if (isEmpty()) {
                nextSeq = 0;
            }
            return;
        }
        if (from == 0) {
            return;
        }
        System.arraycopy(seq, from, seq, 0, count - from);
        System.arraycopy(ts, from, ts, 0, count - from);
        System.arraycopy(events, from, events, 0, count - from);
        Arrays.fill(events, count - from, count, null);
        count -= from;
        runLo -= from;
        for (int i = 0; i < waitCount; i++) {
            waitStart[i] -= from;
        }
    }

    /** The run events of a match, as CEP hands a match to the process function. */
    List<PatternEvent> run(int start, int length) {
        return Arrays.asList(Arrays.copyOfRange(events, start, start + length));
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

        PatternMatch match(RunState s, int start, int length, PatternEvent last) {
            Map<String, List<PatternEvent>> m = new LinkedHashMap<>();
            m.put(shape.run.name, s.run(start, length));
            if (last != null) {
                m.put(shape.then.name, Collections.singletonList(last));
            }
            return PatternMatchFunction.build(ruleId, spec, m);
        }
    }
}
