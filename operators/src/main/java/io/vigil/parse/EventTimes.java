package io.vigil.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.ReasonCode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
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
            long fast = rees46Millis(text);
            if (fast != NOT_PLAIN) {
                return fast;
            }
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

    private static final long NOT_PLAIN = Long.MIN_VALUE;

    /**
     * {@code uuuu-MM-dd HH:mm:ss UTC} read by hand: the formatter was 3 % of the whole job's CPU
     * (a JFR profile of {@code JobThroughput}), a third of the commerce parser. Returns
     * {@link #NOT_PLAIN} for anything but digits in range at their places, so the formatter
     * still decides every other text, with its messages and its leniency.
     */
    static long rees46Millis(String t) {
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0
                || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != ' '
                || t.charAt(13) != ':' || t.charAt(16) != ':'
                || year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
            return NOT_PLAIN;
        }
        if (day > Month.of(month).length(Year.isLeap(year))) {
            return NOT_PLAIN;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L;
    }

    /** The decimal value of {@code n} ASCII digits at {@code from}, or -1 if one is not a digit. */
    private static int digits(String t, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            int d = t.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
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
