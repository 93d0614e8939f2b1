package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Recurring time intervals as Alertmanager's: weekday and month ranges, times of day, locations, DST. */
class TimeIntervalTest {
    private static TimeInterval interval(String yaml) throws Exception {
        RuleSet set = RulesFile.parse("rules: []\ntime_intervals:\n  - name: w\n    time_intervals:\n" + yaml
                + "mutes:\n  - match: [rule_id=~\".*\"]\n    mute_time_intervals: [w]\n", "test");
        return set.mutes[0].intervals[0];
    }

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static long local(String dateTime, String zone) {
        return java.time.LocalDateTime.parse(dateTime).atZone(ZoneId.of(zone)).toInstant().toEpochMilli();
    }

    @Test
    void mondayTwoToFourUtcHoldsFromStartUpToButNotAtTheEnd() throws Exception {
        TimeInterval ti = interval("      - weekdays: [monday]\n        times: [{start_time: \"02:00\", end_time: \"04:00\"}]\n"
                + "        location: UTC\n");
        assertThat(ti.holds(at("2026-11-02T01:59:00Z"))).isFalse(); // 2026-11-02 is a Monday
        assertThat(ti.holds(at("2026-11-02T02:00:00Z"))).isTrue();
        assertThat(ti.holds(at("2026-11-02T03:59:59Z"))).isTrue();
        assertThat(ti.holds(at("2026-11-02T04:00:00Z"))).isFalse();
        assertThat(ti.holds(at("2026-11-03T02:30:00Z"))).isFalse(); // Tuesday
        assertThat(ti.releaseAt(at("2026-11-02T02:30:00Z"))).isEqualTo(at("2026-11-02T04:00:00Z"));
        assertThat(ti.releaseAt(at("2026-11-02T05:00:00Z"))).isEqualTo(at("2026-11-02T05:00:00Z"));
    }

    @Test
    void weekdayRangesWrapNothingAndIncludeBothEnds() throws Exception {
        TimeInterval ti = interval("      - weekdays: ['saturday:sunday']\n");
        assertThat(ti.holds(at("2026-11-06T23:59:00Z"))).isFalse(); // Friday
        assertThat(ti.holds(at("2026-11-07T00:00:00Z"))).isTrue(); // Saturday
        assertThat(ti.holds(at("2026-11-08T23:59:00Z"))).isTrue(); // Sunday
        assertThat(ti.holds(at("2026-11-09T00:00:00Z"))).isFalse();
        // a whole weekend muted: released on Monday 00:00, stepping over the day boundary in between
        assertThat(ti.releaseAt(at("2026-11-07T10:00:00Z"))).isEqualTo(at("2026-11-09T00:00:00Z"));
        TimeInterval workdays = interval("      - weekdays: ['monday:friday']\n");
        assertThat(workdays.holds(at("2026-11-04T12:00:00Z"))).isTrue();
        assertThat(workdays.holds(at("2026-11-07T12:00:00Z"))).isFalse();
    }

    @Test
    void theLocationDecidesTheDayAndTheHour() throws Exception {
        TimeInterval ti = interval("      - weekdays: [monday]\n        times: [{start_time: \"02:00\", end_time: \"04:00\"}]\n"
                + "        location: Asia/Tokyo\n");
        // Monday 02:00-04:00 in Tokyo (UTC+9) is Sunday 17:00-19:00 UTC
        assertThat(ti.holds(at("2026-11-01T17:00:00Z"))).isTrue();
        assertThat(ti.holds(at("2026-11-02T02:30:00Z"))).isFalse();
        assertThat(ti.releaseAt(at("2026-11-01T18:00:00Z"))).isEqualTo(at("2026-11-01T19:00:00Z"));
    }

    @Test
    void localTimesFollowDaylightSavingTime() throws Exception {
        TimeInterval ti = interval("      - times: [{start_time: \"09:00\", end_time: \"10:00\"}]\n"
                + "        location: Europe/Berlin\n");
        // winter: 09:00 Berlin is 08:00 UTC; summer: 07:00 UTC
        assertThat(ti.holds(at("2026-03-28T08:30:00Z"))).isTrue();
        assertThat(ti.holds(at("2026-03-30T08:30:00Z"))).isFalse();
        assertThat(ti.holds(at("2026-03-30T07:30:00Z"))).isTrue();
        // the day the clocks go forward (2026-03-29): the window is still 09:00-10:00 local, one hour long
        long start = local("2026-03-29T09:00", "Europe/Berlin");
        assertThat(ti.holds(start)).isTrue();
        assertThat(ti.releaseAt(start)).isEqualTo(start + 3_600_000L);
    }

    @Test
    void aWindowAcrossTheSkippedHourEndsAtTheLocalEndTime() throws Exception {
        TimeInterval ti = interval("      - times: [{start_time: \"01:00\", end_time: \"04:00\"}]\n"
                + "        location: Europe/Berlin\n");
        long start = local("2026-03-29T01:00", "Europe/Berlin");
        // 01:00 to 04:00 local on the day 02:00-03:00 does not exist: two real hours
        assertThat(ti.releaseAt(start)).isEqualTo(start + 2 * 3_600_000L);
        long autumn = local("2026-10-25T01:00", "Europe/Berlin");
        // and three hours plus the repeated one when the clocks go back
        assertThat(ti.releaseAt(autumn)).isEqualTo(autumn + 4 * 3_600_000L);
        assertThat(ZonedDateTime.ofInstant(Instant.ofEpochMilli(ti.releaseAt(autumn)), ZoneId.of("Europe/Berlin")).getHour())
                .isEqualTo(4);
    }

    @Test
    void daysOfMonthCountFromTheEndWhenNegativeAndMonthsByName() throws Exception {
        TimeInterval last = interval("      - days_of_month: ['-1']\n");
        assertThat(last.holds(at("2026-02-28T12:00:00Z"))).isTrue();
        assertThat(last.holds(at("2026-02-27T12:00:00Z"))).isFalse();
        assertThat(last.holds(at("2026-03-31T12:00:00Z"))).isTrue();
        TimeInterval firstMondayOfQ4 = interval("      - weekdays: [monday]\n        days_of_month: ['1:7']\n"
                + "        months: ['october:december']\n");
        assertThat(firstMondayOfQ4.holds(at("2026-11-02T12:00:00Z"))).isTrue();
        assertThat(firstMondayOfQ4.holds(at("2026-11-09T12:00:00Z"))).isFalse(); // second Monday
        assertThat(firstMondayOfQ4.holds(at("2026-06-01T12:00:00Z"))).isFalse(); // a first Monday, June
    }

    @Test
    void anyOfSeveralSpecsHoldsAndTheReleaseStepsThroughAdjacentOnes() throws Exception {
        TimeInterval ti = interval("      - times: [{start_time: \"22:00\", end_time: \"24:00\"}]\n"
                + "      - times: [{start_time: \"00:00\", end_time: \"06:00\"}]\n");
        assertThat(ti.holds(at("2026-11-02T23:00:00Z"))).isTrue();
        assertThat(ti.holds(at("2026-11-03T05:00:00Z"))).isTrue();
        assertThat(ti.holds(at("2026-11-03T12:00:00Z"))).isFalse();
        assertThat(ti.releaseAt(at("2026-11-02T23:00:00Z"))).isEqualTo(at("2026-11-03T06:00:00Z"));
    }

    @Test
    void badIntervalsAreReportedByName() {
        String file = "rules: []\ntime_intervals:\n  - name: bad\n    time_intervals:\n"
                + "      - weekdays: [mondy]\n        times: [{start_time: \"04:00\", end_time: \"02:00\"}]\n"
                + "        location: Mars/Olympus\n        hours: [1]\n"
                + "mutes:\n  - match: [team=x]\n    mute_time_intervals: [bad, missing]\n";
        assertThatErrors(file).anySatisfy(e -> assertThat(e).contains("time interval 'bad'").contains("'mondy'"))
                .anySatisfy(e -> assertThat(e).contains("start_time 04:00 is not before end_time 02:00"))
                .anySatisfy(e -> assertThat(e).contains("unknown time zone 'Mars/Olympus'"))
                .anySatisfy(e -> assertThat(e).contains("field 'hours': unknown key"))
                .anySatisfy(e -> assertThat(e).contains("no time interval 'missing'"));
    }

    static org.assertj.core.api.ListAssert<String> assertThatErrors(String file) {
        try {
            RulesFile.parse(file, "test");
        } catch (RuleSetException e) {
            return assertThat(e.errors());
        }
        throw new AssertionError("accepted: " + file);
    }
}
