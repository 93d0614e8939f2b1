package io.vigil.cep;

import java.util.Objects;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * A step condition that also compares the event with earlier events of the same partial match:
 * the step's {@code within} (its own span), {@code within_previous} and {@code differs_from_previous}.
 * Times are the events' event times, the same times CEP orders and bounds the match by, and a
 * bound of D means "less than D apart", as CEP's own {@code within} does.
 */
public class SequenceCondition extends IterativeCondition<PatternEvent> {
    private static final long serialVersionUID = 1L;

    private final EventCondition where;
    private final String step;
    /** The earlier non-absent steps, nearest first: where "the previous event" is found. */
    private final String[] earlierSteps;
    private final long withinMs;
    private final long withinPreviousMs;
    private final String differsFromPrevious;
    private final PatternFields fields;

    public SequenceCondition(PatternStep s, String[] earlierSteps, PatternFields fields) {
        this.fields = fields;
        this.where = s.where;
        this.step = s.name;
        this.earlierSteps = earlierSteps;
        this.withinMs = s.withinMs;
        this.withinPreviousMs = s.withinPreviousMs;
        this.differsFromPrevious = s.differsFromPrevious;
    }

    @Override
    public boolean filter(PatternEvent e, Context<PatternEvent> ctx) throws Exception {
        // the plain match first: reading the partial match back from the shared buffer costs more
        if (!where.matches(e, fields)) {
            return false;
        }
        PatternEvent firstOwn = null;
        PatternEvent lastOwn = null;
        for (PatternEvent x : ctx.getEventsForPattern(step)) {
            if (firstOwn == null) {
                firstOwn = x;
            }
            lastOwn = x;
        }
        if (withinMs > 0 && firstOwn != null && e.eventTime - firstOwn.eventTime >= withinMs) {
            return false;
        }
        PatternEvent previous = lastOwn != null ? lastOwn : lastOfEarlierSteps(ctx);
        if (previous == null) {
            return true; // the first event of the match: nothing to compare with
        }
        if (withinPreviousMs > 0 && lastOwn == null && e.eventTime - previous.eventTime >= withinPreviousMs) {
            return false;
        }
        return differsFromPrevious == null
                || !Objects.equals(fields.get(e, differsFromPrevious), fields.get(previous, differsFromPrevious));
    }

    /** The last event of the nearest earlier step that took one (an optional step may have none). */
    private PatternEvent lastOfEarlierSteps(Context<PatternEvent> ctx) throws Exception {
        for (String s : earlierSteps) {
            PatternEvent last = null;
            for (PatternEvent x : ctx.getEventsForPattern(s)) {
                last = x;
            }
            if (last != null) {
                return last;
            }
        }
        return null;
    }
}
