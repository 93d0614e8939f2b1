package io.vigil.rules;

import io.vigil.alert.AlertTrack;
import io.vigil.cep.PatternSpec;
import io.vigil.model.Envelope;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.api.common.state.MapState;

/**
 * {@code pattern}: a sequence of events, compiled to a Flink CEP operator per rule (wired by the
 * topology); its matches reach the evaluator as inputs. Routed here are only the events that
 * resolve an alert ({@code resolve.when}); per key, their times until the watermark passes them.
 * Matches wait for the watermark too, so matches and resolves are judged in event-time order.
 */
final class PatternJudge implements KindJudge {
    private static final Set<String> FIELDS = Set.of("severity", "pattern", "resolve");
    /** Matches of one key at one event time: the one with more events last, so its summary stands. */
    private static final Comparator<RuleInput> SAME_TIME = Comparator.comparingInt((RuleInput in) -> in.match.events)
            .thenComparing(in -> in.match.summary);

    private MapState<Long, Boolean> resolves;
    private HeldInputs held;

    @Override
    public KeyFamily keyFamily() {
        return KeyFamily.FIELD;
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }

    @Override
    public String hint() {
        return "; the pattern says what matches and 'severity' how bad it is";
    }

    /**
     * A match is a moment, not a state: with {@code resolve.after} the alert keeps firing that long
     * after the last match (the lifecycle's keep_firing_for); with {@code resolve.when} until the
     * key's next event that matches.
     */
    @Override
    public void read(RuleReader in, Rule r) {
        r.severity = in.severity();
        if (r.severity == null && !in.has("severity")) {
            in.error("severity", "is required for kind pattern (info, warning or critical)");
        }
        in.pattern(r);
        if (r.pattern == null) {
            return;
        }
        if (r.pattern.resolveAfterMs > 0 && r.pattern.resolveWhen != null) {
            in.error("resolve", "give one of after and when");
        } else if (r.pattern.resolveWhen != null && r.pattern.entityFields.length > 0) {
            in.error("resolve.when", "cannot be combined with pattern.entity: the resolving event does not know the "
                    + "entity's other values; use resolve.after");
        }
        r.keepFiringForMs = r.pattern.resolveAfterMs;
    }

    @Override
    public void route(Rule rule, Envelope e, List<RuleInput> out) {
        PatternSpec p = rule.pattern;
        if (!e.isValid() || e.late || p == null || p.resolveWhen == null) {
            return;
        }
        String value = EventFields.get(e, p.key);
        if (value != null && p.resolvedBy(e, value)) {
            out.add(new RuleInput(rule.id, p.keyEntity(value), e.eventTime)); // resolves: no match
        }
    }

    @Override
    public KindJudge open(KeyedStateStore ctx) {
        PatternJudge j = new PatternJudge();
        j.resolves = ctx.getMapState(RuleStates.RESOLVES);
        j.held = new HeldInputs(ctx, SAME_TIME);
        return j;
    }

    /**
     * A match waits for the watermark: a replay reads ahead of it, so the match of a later
     * incident can arrive before the watermark has passed an earlier resolving event, and judged
     * at once it would keep that event from resolving the earlier one. Released at its time, it
     * comes after every resolving event before it and before those at its time ({@link
     * RuleEvaluator#onTimer} releases held inputs before the kind's timers). Resolving inputs are
     * kept in {@link #resolves} by {@link #onElement}.
     */
    @Override
    public boolean hold(RuleInput in, TimerService timers) throws Exception {
        return in.match != null && held.hold(in, timers);
    }

    @Override
    public List<RuleInput> release(long ts) throws Exception {
        return held.release(ts);
    }

    /**
     * A match fires the alert. With resolve.after the condition clears at once, so the lifecycle's
     * keep_firing_for (= resolve.after) resolves it that long after the last match; with
     * resolve.when it holds until the resolving event arrives.
     */
    @Override
    public void onElement(Evaluation ev, RuleInput in) throws Exception {
        long t = in.eventTime;
        if (in.match != null) {
            ev.observe(in.match.events, ev.rule.severity, t, in.match.summary);
            if (ev.rule.pattern.resolveAfterMs > 0) {
                ev.observe(in.match.events, null, t, in.match.summary);
            }
            return;
        }
        // A resolving event is judged when the watermark passes it: CEP emits a match only then,
        // so a match that happened before the resolving event has arrived by that time.
        AlertTrack tr = ev.track();
        if (tr.phase == AlertTrack.Phase.INACTIVE && t <= ev.watermark()) {
            return;
        }
        resolves.put(t, Boolean.TRUE);
        ev.timers().registerEventTimeTimer(t);
    }

    /** The resolving event's time came: resolve an alert whose last match was no later. */
    @Override
    public void onTimer(Evaluation ev, long ts) throws Exception {
        if (!resolves.contains(ts)) {
            return;
        }
        resolves.remove(ts);
        AlertTrack tr = ev.track();
        if (tr.phase != AlertTrack.Phase.INACTIVE && tr.last != null && tr.last.eventTime <= ts) {
            ev.observe(0, null, ts, ev.entity + ": the resolving event (resolve.when) came at " + Instant.ofEpochMilli(ts));
        }
    }

    @Override
    public boolean needsTimerAt(Rule rule, long ts) throws Exception {
        return resolves.contains(ts) || held.contains(ts);
    }

    @Override
    public boolean holdsState() throws Exception {
        return !resolves.isEmpty() || !held.isEmpty();
    }

    @Override
    public void clear(Rule rule, TimerService timers) throws Exception {
        for (Long t : resolves.keys()) {
            if (!held.contains(t)) {
                timers.deleteEventTimeTimer(t);
            }
        }
        resolves.clear();
        if (rule == null) {
            held.clear(timers); // removed rule: nothing will judge them
        } // retired: held matches are later than the retirement and judged as a new entity's
    }
}
