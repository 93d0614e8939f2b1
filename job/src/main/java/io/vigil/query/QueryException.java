package io.vigil.query;

/**
 * A statement that cannot be answered, with a message for the person who typed it (no stack
 * trace): refused, not valid SQL, an unknown table, no warehouse, or a failure while running.
 */
public class QueryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean whileRunning;

    public QueryException(String message) {
        this(message, false);
    }

    public QueryException(String message, boolean whileRunning) {
        super(message);
        this.whileRunning = whileRunning;
    }

    /** True when the statement was valid but failed while it ran; false when it was refused up front. */
    public boolean whileRunning() {
        return whileRunning;
    }
}
