package io.vigil.parse;

import io.vigil.model.Envelope;

/**
 * Parses and validates the text of one record of one format into a valid envelope. Returns null
 * for text that is not a record at all (a CSV header); throws for a record that must be
 * dead-lettered.
 */
public interface RecordParser {
    Envelope parse(String source, String text) throws InvalidRecordException;

    /**
     * As {@link #parse(String, String)}, for formats whose records may carry no time of their own
     * (a bare pip-audit report): {@code receivedAt} is the arrival time, or
     * {@link io.vigil.model.RawRecord#NO_RECEIVE_TIME} in replay.
     */
    default Envelope parse(String source, String text, long receivedAt) throws InvalidRecordException {
        return parse(source, text);
    }
}
