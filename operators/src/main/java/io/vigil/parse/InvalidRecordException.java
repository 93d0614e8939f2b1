package io.vigil.parse;

import io.vigil.model.ReasonCode;

/**
 * Thrown by a parser for a record that must be dead-lettered. No stack trace: invalid input is
 * ordinary data here, and a hostile stream must not make rejection expensive.
 */
public class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Marks an exception that carries no usable event time. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final ReasonCode reason;
    private long eventTime = NO_TIME;

    public InvalidRecordException(ReasonCode reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public ReasonCode reason() {
        return reason;
    }

    /**
     * Records the event time the parser had already read when it refused the record, so the dead
     * letter can count at its own time rather than at its source's latest one.
     */
    public InvalidRecordException withTime(long timeMs) {
        this.eventTime = timeMs;
        return this;
    }

    /** The record's own event time, or {@link #NO_TIME}. */
    public long eventTime() {
        return eventTime;
    }

    public String detail() {
        return getMessage();
    }
}
