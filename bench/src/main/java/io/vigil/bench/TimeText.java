package io.vigil.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The event-time fields of the input formats, written into a record's bytes in place: ISO-8601
 * with milliseconds (OpenLineage, metrics; 24 bytes), epoch seconds (LANL; 10 bytes) and the
 * REES46 date-time without its " UTC" suffix (19 bytes). Fixed widths let a pre-generated record
 * get a new time without being re-rendered; the arithmetic avoids java.time on the hot path, where
 * the source writes one per record.
 */
enum TimeText {
    ISO(24),
    EPOCH_SECONDS(10),
    REES46(19);

    private static final DateTimeFormatter REES46_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** Bytes the field takes. */
    final int width;

    TimeText(int width) {
        this.width = width;
    }

    /** Parses the field as written by a producer (any ISO instant here), or returns null. */
    Long parse(String text) {
        try {
            switch (this) {
                case ISO:
                    return Instant.parse(text).toEpochMilli();
                case EPOCH_SECONDS:
                    return text.length() == width && text.chars().allMatch(Character::isDigit)
                            ? Long.parseLong(text) * 1000 : null;
                default:
                    return LocalDateTime.parse(text, REES46_FORMAT).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    /** The field for {@code epochMs}, as java.time writes it: the reference the fast path is checked against. */
    String reference(long epochMs) {
        switch (this) {
            case ISO:
                return DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
                        .format(Instant.ofEpochMilli(epochMs));
            case EPOCH_SECONDS:
                return String.format("%010d", Math.floorDiv(epochMs, 1000));
            default:
                return REES46_FORMAT.format(Instant.ofEpochMilli(epochMs));
        }
    }

    /** Writes the field for {@code epochMs} (1970 to 2286) at {@code off}. */
    void write(long epochMs, byte[] b, int off) {
        if (this == EPOCH_SECONDS) {
            digits(Math.floorDiv(epochMs, 1000), 10, b, off);
            return;
        }
        long days = Math.floorDiv(epochMs, 86_400_000L);
        long msOfDay = epochMs - days * 86_400_000L;
        // civil date from days since 1970-01-01 (H. Hinnant's algorithm)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        digits(year, 4, b, off);
        b[off + 4] = '-';
        digits(month, 2, b, off + 5);
        b[off + 7] = '-';
        digits(day, 2, b, off + 8);
        b[off + 10] = this == ISO ? (byte) 'T' : (byte) ' ';
        digits(msOfDay / 3_600_000, 2, b, off + 11);
        b[off + 13] = ':';
        digits(msOfDay / 60_000 % 60, 2, b, off + 14);
        b[off + 16] = ':';
        digits(msOfDay / 1000 % 60, 2, b, off + 17);
        if (this == ISO) {
            b[off + 19] = '.';
            digits(msOfDay % 1000, 3, b, off + 20);
            b[off + 23] = 'Z';
        }
    }

    /** The field for {@code epochMs} as a string (record generation, not the hot path). */
    String format(long epochMs) {
        byte[] b = new byte[width];
        write(epochMs, b, 0);
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static void digits(long v, int n, byte[] b, int off) {
        for (int i = off + n - 1; i >= off; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }
}
