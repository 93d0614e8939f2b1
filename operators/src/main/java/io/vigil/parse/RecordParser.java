package io.vigil.parse;

import io.vigil.model.Envelope;

/**
 * Parses and validates the text of one record of one format into a valid envelope. Returns null
 * for text that is not a record at all (a CSV header); throws for a record that must be
 * dead-lettered.
 */
public interface RecordParser {
    Envelope parse(String source, String text) throws InvalidRecordException;
}
