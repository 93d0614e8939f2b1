package io.vigil.cep;

import java.util.Arrays;

/**
 * A pattern of the shape "a run, then an event": a first step repeated in a strict run
 * ({@code times: N} or {@code N+}, {@code contiguity: strict}, an optional {@code within} of its
 * own), then optionally one more single event ({@code within_previous} allowed, strict or relaxed)
 * that no event of the run can also be. Such a pattern runs on {@link RunMatchOperator} instead of
 * CEP, with CEP's results; {@link #of} says null for every other pattern, which stays on CEP.
 */
public final class RunShape implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    final PatternStep run;
    /** The event after the run; null for a pattern of the run alone. */
    final PatternStep then;
    /** Events in the run before it can complete. */
    final int times;
    /** True for {@code N+}: the run goes on past N and the match takes all of it. */
    final boolean orMore;
    final long withinMs;
    private final PatternFields fields;

    private RunShape(PatternSpec spec, PatternStep run, PatternStep then) {
        this.run = run;
        this.then = then;
        this.times = run.times;
        this.orMore = run.orMore;
        this.withinMs = spec.withinMs;
        this.fields = spec.fields();
    }

    /** The run shape of a validated spec, or null when it has another shape (CEP runs it). */
    public static RunShape of(PatternSpec spec) {
        PatternStep[] steps = spec.steps;
        if (steps.length < 1 || steps.length > 2 || spec.withinMs <= 0) {
            return null;
        }
        PatternStep run = steps[0];
        if (!plain(run) || run.withinPreviousMs > 0 || run.repeated() && !run.strict) {
            return null;
        }
        if (steps.length == 1) {
            return new RunShape(spec, run, null);
        }
        PatternStep then = steps[1];
        if (!plain(then) || then.repeated() || then.withinMs > 0 || !disjoint(run.where, then.where)) {
            return null;
        }
        return new RunShape(spec, run, then);
    }

    /** A step that takes events: not optional, not absent, no comparison with its previous event. */
    private static boolean plain(PatternStep s) {
        return !s.optional && !s.absent && s.differsFromPrevious == null && s.times >= 1;
    }

    /**
     * True when no event can satisfy both conditions: they name disjoint families, or disjoint
     * sources, or the same field with disjoint values, none of them a wildcard. CEP would branch on
     * an event that fits both (continue the run and end it); the operator keeps one path, so it
     * needs this proof.
     */
    static boolean disjoint(EventCondition x, EventCondition y) {
        if (x.families.length > 0 && y.families.length > 0
                && Arrays.stream(x.families).noneMatch(f -> Arrays.asList(y.families).contains(f))) {
            return true;
        }
        if (disjointValues(x.sources, y.sources)) {
            return true;
        }
        for (FieldValues fx : x.fields) {
            for (FieldValues fy : y.fields) {
                if (fx.field.equals(fy.field) && disjointValues(fx.values, fy.values)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean disjointValues(String[] a, String[] b) {
        if (a.length == 0 || b.length == 0) {
            return false;
        }
        for (String v : a) {
            if (v.indexOf('*') >= 0 || Arrays.asList(b).contains(v)) {
                return false;
            }
        }
        for (String v : b) {
            if (v.indexOf('*') >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The run step's condition without its span: whether the event can be in a run at all. */
    boolean inRun(PatternEvent e) {
        return run.where.matches(e, fields);
    }

    /** The run step's own {@code within}: the event still fits a run that began with {@code first}. */
    boolean spanFits(PatternEvent first, PatternEvent e) {
        return run.withinMs <= 0 || e.eventTime - first.eventTime < run.withinMs;
    }

    /** The last step's condition, {@code within_previous} from the run's last event included. */
    boolean ends(PatternEvent lastOfRun, PatternEvent e) {
        return then.where.matches(e, fields)
                && (then.withinPreviousMs <= 0 || e.eventTime - lastOfRun.eventTime < then.withinPreviousMs);
    }

    /** True when the last step must come as the very next event (CEP {@code next}). */
    boolean strictThen() {
        return then != null && then.strict;
    }
}
