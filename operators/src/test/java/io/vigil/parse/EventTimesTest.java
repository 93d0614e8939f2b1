package io.vigil.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventTimesTest {
    /** The formatter the hand-written REES46 reading replaced on its fast path. */
    private static final DateTimeFormatter FORMATTER = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'");

    private static long byFormatter(String text) {
        return LocalDateTime.parse(text, FORMATTER).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    @Test
    void rees46TimesReadByHandEqualTheFormattersOverTenThousandYears() throws Exception {
        Random random = new Random(4242);
        for (int i = 0; i < 200_000; i++) {
            int year = 1 + random.nextInt(9999);
            LocalDateTime t = LocalDateTime.of(year, 1 + random.nextInt(12), 1, 0, 0)
                    .plusDays(random.nextInt(31)).withHour(random.nextInt(24))
                    .withMinute(random.nextInt(60)).withSecond(random.nextInt(60));
            if (t.getYear() > 9999) {
                continue;
            }
            String text = t.format(FORMATTER);
            assertEquals(byFormatter(text), EventTimes.rees46Millis(text), text);
            assertEquals(byFormatter(text), EventTimes.parseRees46("event_time", text), text);
        }
    }

    @Test
    void theSampleCsvsTimesReadByHandEqualTheFormatters() throws Exception {
        // the REES46 sample every module's tests replay (samples/rees46.csv)
        java.util.List<String> lines = io.vigil.testing.Samples.lines(io.vigil.model.InputFormat.REES46);
        int read = 0;
        for (String line : lines.subList(1, lines.size())) {
            String text = line.substring(0, Math.max(0, line.indexOf(',')));
            if (text.length() == 23 && text.endsWith(" UTC") && EventTimes.rees46Millis(text) != Long.MIN_VALUE) {
                assertEquals(byFormatter(text), EventTimes.rees46Millis(text), text);
                read++;
            }
        }
        assertTrue(read > 0, "sample times read by hand");
    }

    @Test
    void leapDaysMonthEndsAndTheEpochAreExact() throws Exception {
        for (String text : new String[] {"1970-01-01 00:00:00 UTC", "1969-12-31 23:59:59 UTC", "2000-02-29 12:00:00 UTC",
                "2024-02-29 23:59:59 UTC", "1900-03-01 00:00:00 UTC", "2100-12-31 23:59:59 UTC", "0001-01-01 00:00:00 UTC",
                "9999-12-31 23:59:59 UTC", "2019-10-01 00:00:00 UTC"}) {
            assertEquals(byFormatter(text), EventTimes.rees46Millis(text), text);
        }
        assertEquals(1569888000000L, EventTimes.parseRees46("event_time", "2019-10-01 00:00:00 UTC"));
    }

    @Test
    void whatTheHandReadingDoesNotTakeTheFormatterStillDecides() throws Exception {
        // out of range for the hand reading: the formatter's own leniency or refusal applies
        for (String text : new String[] {"2019-02-29 00:00:00 UTC", "2019-04-31 00:00:00 UTC", "1900-02-29 00:00:00 UTC",
                "0000-01-01 00:00:00 UTC", "2019-13-01 00:00:00 UTC", "2019-10-01 24:00:00 UTC", "2019-10-01 00:60:00 UTC",
                "2019-10-01T00:00:00 UTC", "2019-10-01 00:00:0x UTC", "2019/10/01 00:00:00 UTC", "+019-10-01 00:00:00 UTC"}) {
            assertEquals(Long.MIN_VALUE, EventTimes.rees46Millis(text), text);
            long expected;
            try {
                expected = byFormatter(text);
            } catch (java.time.DateTimeException e) {
                assertThrows(InvalidRecordException.class, () -> EventTimes.parseRees46("event_time", text), text);
                continue;
            }
            assertEquals(expected, EventTimes.parseRees46("event_time", text), text);
        }
    }
}
