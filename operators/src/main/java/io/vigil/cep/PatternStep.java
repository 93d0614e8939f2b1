package io.vigil.cep;

/**
 * One step of a sequence rule as written under {@code pattern.steps}: which events it takes, how
 * many, how close to the previous step, or (absent) which events must not come next.
 */
public class PatternStep implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Unique within the pattern; summaries refer to it ({@code {guess.count}}). */
    public String name;
    /** Empty: every event admitted by the pattern's {@code events}. */
    public EventCondition where = new EventCondition();
    /** How many events the step takes: exactly this many, or at least this many with {@link #orMore}. */
    public int times = 1;
    public boolean orMore;
    /** The step may match no event at all. */
    public boolean optional;
    /**
     * No other admitted event may come between this step's events, nor between the previous
     * step's last event and this step's first (Flink {@code next}/{@code consecutive}).
     */
    public boolean strict;
    /** The step's events must NOT occur here (Flink {@code notNext} / {@code notFollowedBy}). */
    public boolean absent;
    /** Repeated steps: first to last event of this step less than this apart; 0 = unbounded. */
    public long withinMs;
    /** The step's first event less than this after the previous step's last; 0 = unbounded. */
    public long withinPreviousMs;
    /** A field whose value must differ from the previous matched event's (alternation); null = none. */
    public String differsFromPrevious;

    public PatternStep() {}

    public boolean repeated() {
        return times > 1 || orMore;
    }

    /** True when the step needs to look at earlier events of the partial match. */
    public boolean looksBack() {
        return withinMs > 0 || withinPreviousMs > 0 || differsFromPrevious != null;
    }
}
