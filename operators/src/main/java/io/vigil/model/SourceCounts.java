package io.vigil.model;

/**
 * The records of one source in one second of event time on one input subtask, as the source-level
 * rules need them: how many, how many dead letters, and the first and last event times.
 */
public class SourceCounts {
    public long first;
    public long last;
    public long total;
    public long bad;

    public SourceCounts() {}

    /** The counts of one record. */
    public static SourceCounts of(Envelope e) {
        SourceCounts c = new SourceCounts();
        c.first = e.eventTime;
        c.last = e.eventTime;
        c.total = 1;
        c.bad = e.isValid() ? 0 : 1;
        return c;
    }

    public void add(Envelope e) {
        first = Math.min(first, e.eventTime);
        last = Math.max(last, e.eventTime);
        total++;
        bad += e.isValid() ? 0 : 1;
    }
}
