package io.vigil.rules;

import io.vigil.config.Durations;
import io.vigil.model.Dataset;
import io.vigil.model.Envelope;
import io.vigil.model.RunEventType;
import io.vigil.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * Kinds that fire when time passes without something happening: {@code source_stale} (no record
 * of a source), {@code dataset_freshness} (no COMPLETE run writing a dataset) and
 * {@code run_duration} (a run not ended within its budget). Per entity: the last-seen time, one
 * event-time timer per threshold, and live a processing-time fallback for when every input is
 * silent and event time stops.
 */
final class DeadlineJudge implements KindJudge {
    /** What shows an entity alive, and what it is. */
    enum Subject {
        SOURCE(KeyFamily.SOURCE, " silent for "),
        DATASET(KeyFamily.DATASET, " silent for "),
        RUN(KeyFamily.RUN, " has run for ");

        final KeyFamily family;
        final String elapsed;

        Subject(KeyFamily family, String elapsed) {
            this.family = family;
            this.elapsed = elapsed;
        }
    }

    private static final Set<String> FIELDS = RuleReader.THRESHOLD_FIELDS;

    private final Subject subject;
    private ValueState<Long> lastSeen;
    private ValueState<Long> arrived;
    private ValueState<Long> settled;

    DeadlineJudge(Subject subject) {
        this.subject = subject;
    }

    @Override
    public KeyFamily keyFamily() {
        return subject.family;
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }

    @Override
    public void read(RuleReader in, Rule r) {
        in.thresholdRule(r);
        if (subject == Subject.SOURCE) {
            in.wholeSeconds("info", r.info);
            in.wholeSeconds("warning", r.warning);
            in.wholeSeconds("critical", r.critical);
        }
    }

    @Override
    public void route(Rule rule, Envelope e, List<RuleInput> out) {
        switch (subject) {
            case SOURCE:
                // every record, valid or not, shows the source alive: a second's first and last
                out.add(RuleInput.of(rule.id, KeyFamily.SOURCE.entity(e.source), e.counts.last, e.counts.first, 0, null));
                return;
            case DATASET:
                if (e.isValid() && !e.late && e.run != null && e.run.eventType == RunEventType.COMPLETE) {
                    for (Dataset d : e.run.outputs) {
                        if (RuleSelector.anyMatches(rule.selector.datasets, d.qualifiedName())) {
                            out.add(new RuleInput(rule.id, KeyFamily.DATASET.entity(d.qualifiedName()), e.eventTime));
                        }
                    }
                }
                return;
            default:
                if (e.isValid() && !e.late && e.run != null && RuleSelector.anyMatches(rule.selector.jobs, e.run.jobKey())) {
                    out.add(RuleInput.of(rule.id, KeyFamily.RUN.entity(e.run.jobKey() + " run " + e.run.runId),
                            e.eventTime, 0, e.run.eventType.ordinal(), null));
                }
        }
    }

    @Override
    public KindJudge open(KeyedStateStore ctx) {
        DeadlineJudge j = new DeadlineJudge(subject);
        j.lastSeen = ctx.getState(RuleStates.LAST_SEEN);
        j.arrived = ctx.getState(RuleStates.ARRIVED);
        j.settled = ctx.getState(RuleStates.SETTLED);
        return j;
    }

    @Override
    public void onElement(Evaluation ev, RuleInput in) throws Exception {
        if (subject == Subject.RUN) {
            onRunEvent(ev, RunEventType.values()[in.code], in.eventTime);
        } else if (subject == Subject.SOURCE) {
            onAlive(ev, (long) in.value); // the second's first record, then its last
            onAlive(ev, in.eventTime);
        } else {
            onAlive(ev, in.eventTime);
        }
    }

    @Override
    public void onTimer(Evaluation ev, long ts) throws Exception {
        Long last = lastSeen.value();
        if (last != null) {
            deadlineAt(ev, last, ts);
        }
    }

    /** A processing-time deadline: if event time has not reached it (inputs silent), judge it now. */
    @Override
    public void onProcessingTimer(Evaluation ev, long ts) throws Exception {
        Long last = lastSeen.value();
        Long base = arrived.value();
        if (last == null || base == null) {
            return;
        }
        long due = last + (ts - base);
        if (due <= ev.watermark()) {
            return; // event time got there: its own timer judged it
        }
        deadlineAt(ev, last, due);
        ev.advanceTo(due);
    }

    @Override
    public boolean needsTimerAt(Rule rule, long ts) throws Exception {
        Long last = lastSeen.value();
        if (last == null) {
            return false;
        }
        for (Double th : thresholdsAscending(rule)) {
            if (last + th.longValue() == ts) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean holdsState() throws Exception {
        return lastSeen.value() != null;
    }

    @Override
    public void clear(Rule rule, TimerService timers) throws Exception {
        Long last = lastSeen.value();
        Long at = arrived.value();
        for (Double th : rule == null ? new ArrayList<Double>() : thresholdsAscending(rule)) {
            if (last != null) {
                timers.deleteEventTimeTimer(last + th.longValue());
            }
            if (at != null) {
                timers.deleteProcessingTimeTimer(at + th.longValue());
            }
        }
        lastSeen.clear();
        arrived.clear();
        settled.clear();
    }

    /** A source or dataset showed life at t: settle the staleness it had, then it is fresh. */
    private void onAlive(Evaluation ev, long t) throws Exception {
        Long last = lastSeen.value();
        if (last != null && t <= last) {
            return; // older than what we know
        }
        if (last != null) {
            settleDeadlines(ev, last, t);
        }
        ev.observe(0, null, t, ev.entity + " is fresh again");
        lastSeen.update(t);
        settled.clear();
        moveDeadlines(ev, last, t);
        moveFallback(ev, ev.replay ? null : ev.processingTime());
    }

    /** A run event: START/RUNNING begin the clock, an end settles the budget and closes the run. */
    private void onRunEvent(Evaluation ev, RunEventType type, long t) throws Exception {
        Long start = lastSeen.value();
        boolean end = type == RunEventType.COMPLETE || type == RunEventType.FAIL || type == RunEventType.ABORT;
        if (start == null) {
            if (end) {
                return; // an end whose start we never saw: no duration to judge
            }
            lastSeen.update(t);
            moveDeadlines(ev, null, t);
            moveFallback(ev, ev.replay ? null : ev.processingTime());
            return;
        }
        if (end) {
            settleDeadlines(ev, start, t);
            ev.observe(t - start, null, t, ev.entity + " ended after " + Durations.format(t - start));
            lastSeen.clear();
            settled.clear();
            moveDeadlines(ev, start, null);
            moveFallback(ev, null);
        }
    }

    /**
     * Replaces the deadline timers of {@code from} by those of {@code to} (either may be null): a
     * busy source keeps two timers, not two per record, and a closed run keeps none. A timer the
     * lifecycle or the retention also needs is left in place.
     */
    private static void moveDeadlines(Evaluation ev, Long from, Long to) throws Exception {
        for (Double th : thresholdsAscending(ev.rule)) {
            if (from != null && !ev.othersNeed(from + th.longValue())) {
                ev.timers().deleteEventTimeTimer(from + th.longValue());
            }
            if (to != null) {
                ev.timers().registerEventTimeTimer(to + th.longValue());
            }
        }
    }

    /**
     * Live only: the same deadlines as processing-time timers, counted from the arrival
     * ({@code arrivedAt}, null to drop them) of the last-seen record. When every input goes silent
     * the watermark stops, and these still fire, at the deadline, judged at its event time.
     */
    private void moveFallback(Evaluation ev, Long arrivedAt) throws Exception {
        Long before = arrived.value();
        for (Double th : thresholdsAscending(ev.rule)) {
            if (before != null) {
                ev.timers().deleteProcessingTimeTimer(before + th.longValue());
            }
            if (arrivedAt != null) {
                ev.timers().registerProcessingTimeTimer(arrivedAt + th.longValue());
            }
        }
        if (arrivedAt == null) {
            arrived.clear();
        } else {
            arrived.update(arrivedAt);
        }
    }

    /**
     * Fires the deadlines of {@code last} that passed before {@code t} but after the watermark:
     * those at or before the watermark were fired by their timers already.
     */
    private void settleDeadlines(Evaluation ev, long last, long t) throws Exception {
        long watermark = ev.watermark();
        for (Double th : thresholdsAscending(ev.rule)) {
            long due = last + th.longValue();
            if (due < t && due > watermark && !settledAt(due)) {
                deadlineAt(ev, last, due);
            }
        }
    }

    private boolean settledAt(long due) throws Exception {
        Long s = settled.value();
        return s != null && due <= s;
    }

    /** At {@code at}, how long since {@code last}, and which threshold that reaches. */
    private void deadlineAt(Evaluation ev, long last, long at) throws Exception {
        if (settledAt(at)) {
            return; // judged already, by the other clock
        }
        settled.update(at);
        long elapsed = at - last;
        Severity s = atLeast(ev.rule, elapsed);
        if (s != null) {
            ev.observe(elapsed, s, at, ev.entity + subject.elapsed + Durations.format(elapsed) + RuleText.describe(ev.rule, s));
        }
    }

    private static List<Double> thresholdsAscending(Rule rule) {
        List<Double> l = new ArrayList<>(3);
        if (rule.info != null) {
            l.add(rule.info);
        }
        if (rule.warning != null) {
            l.add(rule.warning);
        }
        if (rule.critical != null) {
            l.add(rule.critical);
        }
        l.sort(Double::compare);
        return l;
    }

    /** Deadline kinds fire when the time reaches the threshold ("warning after 2h"). */
    private static Severity atLeast(Rule rule, double elapsed) {
        if (rule.critical != null && elapsed >= rule.critical) {
            return Severity.CRITICAL;
        }
        if (rule.warning != null && elapsed >= rule.warning) {
            return Severity.WARNING;
        }
        if (rule.info != null && elapsed >= rule.info) {
            return Severity.INFO;
        }
        return null;
    }
}
