package io.vigil.model;

/** Why a record went to the dead-letter output; stable names, used in tables and alerts. */
public enum ReasonCode {
    /** Not parseable JSON, or JSON that is not an object. */
    MALFORMED_JSON,
    /** A delimited line with the wrong number of columns or broken quoting. */
    MALFORMED_CSV,
    /** A required field is absent, null or empty. */
    MISSING_FIELD,
    /** A field has the wrong type (text where a number is needed, NaN, a fraction for an id, a hex float). */
    BAD_TYPE,
    /** A value of the right type outside its allowed range (negative price). */
    OUT_OF_RANGE,
    /** A value outside its closed set (event type, outcome). */
    UNKNOWN_VALUE,
    /** A time that cannot be parsed, is before 1970 or more than a day in the future. */
    BAD_TIMESTAMP,
    /** Larger than the payload limit, or nested deeper than the parser allows. */
    TOO_LARGE,
    /** Bytes that are not valid UTF-8, or a JSON string escaping half a surrogate pair (no UTF-8 holds it). */
    BAD_ENCODING,
    /** A blank line or empty message. */
    EMPTY,
    /**
     * A well-formed event time too far ahead: of its arrival (live), or of its source's clock with
     * no following records confirming the jump (replay). See docs/event-time.md.
     */
    FUTURE_TIME,
    /** A signed webhook (GitHub's X-Hub-Signature-256) whose signature is missing or does not match its body. */
    BAD_SIGNATURE
}
