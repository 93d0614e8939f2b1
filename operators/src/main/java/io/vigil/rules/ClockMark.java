package io.vigil.rules;

import io.vigil.model.Envelope;

/**
 * What the event-time clock needs of the records of one input subtask: a valid event time, and
 * whether it notes a minute with data (replay's gaps). {@link ClockDigest} sends these instead of
 * the records, so the clock at parallelism 1 reads a few per second of event time, not every record.
 */
public class ClockMark {
    public long time;
    /** A valid, non-late event: its minute had data. */
    public boolean data;

    public ClockMark() {}

    public ClockMark(long time, boolean data) {
        this.time = time;
        this.data = data;
    }

    /** The mark of one record, or null for a dead letter (whose time never moves the clock). */
    public static ClockMark of(Envelope e) {
        return e.isValid() ? new ClockMark(e.eventTime, !e.late) : null;
    }
}
