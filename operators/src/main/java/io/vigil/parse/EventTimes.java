package io.vigil.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.ReasonCode;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses the time notations of Vigil's input formats into epoch milliseconds. */
public final class EventTimes {
    private static final DateTimeFormatter REES46 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'");

    private EventTimes() {}

    /** ISO-8601 with an offset ({@code 2026-11-02T10:00:00Z}, {@code ...+02:00}); as OpenLineage. */
    public static long parseIso(String field, String text) throws InvalidRecordException {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidRecordException(
                    ReasonCode.BAD_TIMESTAMP,
                    field + ": '" + Snippets.clip(text) + "' is not an ISO-8601 time with offset");
        }
    }

    /**
     * ISO-8601 with an offset, or without one (older OpenLineage Python clients and Airflow
     * integrations send {@code 2020-12-28T19:51:01.641499}), which is read as UTC as Marquez does.
     * Which of the two it was is reported through {@code zoneless}.
     *
     * @param zoneless set to true when the time had no offset; may be null
     */
    public static long parseIsoOrLocal(String field, String text, boolean[] zoneless)
            throws InvalidRecordException {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            // fall through to the zone-less reading
        }
        try {
            long t = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
            if (zoneless != null) {
                zoneless[0] = true;
            }
            return t;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidRecordException(
                    ReasonCode.BAD_TIMESTAMP,
                    field + ": '" + Snippets.clip(text) + "' is not an ISO-8601 time");
        }
    }

    /** REES46 times: {@code 2019-10-01 00:00:00 UTC}; ISO-8601 accepted too (JSON producers). */
    public static long parseRees46(String field, String text) throws InvalidRecordException {
        if (text.length() == 23 && text.endsWith(" UTC")) {
            try {
                return LocalDateTime.parse(text, REES46).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeException e) {
                throw new InvalidRecordException(
                        ReasonCode.BAD_TIMESTAMP,
                        field + ": '" + Snippets.clip(text) + "' is not a time like 2019-10-01 00:00:00 UTC");
            }
        }
        try {
            return parseIso(field, text);
        } catch (InvalidRecordException e) {
            throw new InvalidRecordException(
                    ReasonCode.BAD_TIMESTAMP,
                    field + ": '" + Snippets.clip(text) + "' is not a time like 2019-10-01 00:00:00 UTC");
        }
    }

    /** Whole epoch seconds (LANL); rejects fractions, signs handled by {@link #checkBounds}. */
    public static long parseEpochSeconds(String field, String text) throws InvalidRecordException {
        long seconds;
        try {
            seconds = Numbers.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidRecordException(
                    ReasonCode.BAD_TIMESTAMP,
                    field + ": '" + Snippets.clip(text) + "' is not whole epoch seconds");
        }
        if (seconds > Long.MAX_VALUE / 1000 || seconds < Long.MIN_VALUE / 1000) {
            throw new InvalidRecordException(
                    ReasonCode.BAD_TIMESTAMP, field + ": " + seconds + " is out of range");
        }
        return seconds * 1000;
    }

    /**
     * Rejects times before 1970 or more than {@code maxFutureMs} after {@code nowMs}: a clock that
     * far off poisons watermarks and windows for everything behind it.
     */
    public static void checkBounds(String field, long timeMs, long nowMs, long maxFutureMs)
            throws InvalidRecordException {
        if (timeMs < 0) {
            throw new InvalidRecordException(
                    ReasonCode.BAD_TIMESTAMP, field + ": " + timeMs + " ms is before 1970");
        }
        if (timeMs > nowMs + maxFutureMs) {
            throw new InvalidRecordException(
                    ReasonCode.BAD_TIMESTAMP,
                    field + ": " + render(timeMs) + " is more than "
                            + (maxFutureMs / 3_600_000) + "h in the future");
        }
    }

    static String render(long timeMs) {
        try {
            return java.time.Instant.ofEpochMilli(timeMs).toString();
        } catch (DateTimeException e) {
            return timeMs + " ms";
        }
    }

    /** A JSON field holding ISO-8601 text or epoch milliseconds (the metric sample's {@code time}). */
    static long isoOrEpochMillis(JsonNode root, String field)
            throws InvalidRecordException {
        JsonNode t = root.get(field);
        if (JsonFields.absent(t)) {
            throw JsonFields.missing(field);
        }
        if (t.isTextual()) {
            return parseIso(field, t.textValue());
        }
        if (t.isIntegralNumber() && t.canConvertToLong()) {
            return t.longValue();
        }
        throw new InvalidRecordException(ReasonCode.BAD_TIMESTAMP,
                field + ": expected ISO-8601 text or epoch milliseconds, got " + Snippets.clip(t.toString()));
    }
}
