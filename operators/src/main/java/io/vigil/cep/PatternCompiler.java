package io.vigil.cep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.WithinType;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/** Turns a validated {@link PatternSpec} into the Flink CEP pattern that detects it. */
public final class PatternCompiler {
    private PatternCompiler() {}

    public static Pattern<PatternEvent, PatternEvent> compile(PatternSpec spec) {
        PatternFields fields = spec.fields();
        Pattern<PatternEvent, PatternEvent> p = null;
        List<String> earlier = new ArrayList<>();
        for (PatternStep s : spec.steps) {
            if (p == null) {
                p = Pattern.begin(s.name, skipStrategy());
            } else if (s.absent) {
                p = s.strict ? p.notNext(s.name) : p.notFollowedBy(s.name);
            } else {
                p = s.strict ? p.next(s.name) : p.followedBy(s.name);
            }
            p = p.where(condition(s, earlier, fields));
            if (s.repeated()) {
                p = s.orMore ? p.timesOrMore(s.times) : p.times(s.times);
                if (s.strict) {
                    p = p.consecutive();
                }
            }
            if (s.optional) {
                p = p.optional();
            }
            if (!s.absent) {
                earlier.add(0, s.name);
            }
        }
        if (p == null) {
            throw new IllegalArgumentException("a pattern needs at least one step");
        }
        // first to last event; the bound is what lets CEP drop a key's partial matches and state
        return p.within(Duration.ofMillis(spec.withinMs), WithinType.FIRST_AND_LAST);
    }

    /**
     * Skip past the last event: once a match is emitted, every partial match that began at or
     * before its last event is dropped, so one incident gives one match and no event counts twice.
     * Every event that fits the first step starts a partial match of its own, and a repeated step
     * branches wherever the next step may begin, so the other strategies repeat an incident: eight
     * failed logons then two successful ones gave auth_bruteforce ten overlapping matches without
     * skipping and four with skip-to-next (one per failure that still had five guesses after it);
     * skip-to-last of a step gave one, but keeps partial matches that begin at that step's last
     * event, which can re-use it, and needs a step name. A new match needs new events
     * (PatternHarnessTest shows one match per incident).
     *
     * <p>Under any skip strategy Flink holds a completed match back while a partial match that
     * started earlier is still open (it could complete and would then come first). With relaxed
     * contiguity a stale partial match, e.g. an old failure that can no longer reach five guesses
     * within 10m, lingers until {@code within} runs out and delays the alert that long; with
     * {@code contiguity: strict} it dies at the next event it cannot take, so the defaults that
     * count events in a row say strict.
     */
    static AfterMatchSkipStrategy skipStrategy() {
        return AfterMatchSkipStrategy.skipPastLastEvent();
    }

    private static IterativeCondition<PatternEvent> condition(PatternStep s, List<String> earlier, PatternFields fields) {
        if (!s.looksBack()) {
            return new WhereCondition(s.where, fields);
        }
        return new SequenceCondition(s, earlier.toArray(new String[0]), fields);
    }
}
