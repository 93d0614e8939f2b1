package io.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** The compat functions' semantics, called directly; QueryCommandITCase runs them in Flink SQL. */
class TrinoFunctionsTest {
    private static final LocalDateTime T = LocalDateTime.of(2026, 11, 2, 10, 0);

    @Test
    void registersTrinoNames() {
        assertThat(TrinoFunctions.all().keySet())
                .containsExactly("count_if", "approx_percentile", "max_by", "date_diff", "date_trunc");
    }

    @Test
    void countIfCountsTrueOnly() {
        CountIf f = new CountIf();
        CountIf.Count acc = f.createAccumulator();
        for (Boolean b : new Boolean[] {true, false, null, true}) {
            f.accumulate(acc, b);
        }
        assertThat(f.getValue(acc)).isEqualTo(2L);
        CountIf.Count other = f.createAccumulator();
        f.accumulate(other, true);
        f.merge(acc, List.of(other));
        assertThat(f.getValue(acc)).isEqualTo(3L);
        assertThat(f.getValue(f.createAccumulator())).isZero();
    }

    @Test
    void approxPercentileIsTheDigestsExactAnswer() throws Exception {
        // the smallest value with more than p·n values at or below it
        assertThat(ApproxPercentile.rank(10, 0.5)).isEqualTo(5);
        assertThat(ApproxPercentile.rank(10, 0.95)).isEqualTo(9);
        assertThat(ApproxPercentile.rank(4, 0.5)).isEqualTo(2);
        assertThat(ApproxPercentile.rank(4, 1.0)).isEqualTo(3);
        assertThat(ApproxPercentile.rank(4, 0.0)).isZero();
        ApproxPercentile f = new ApproxPercentile();
        ApproxPercentile.Values acc = f.createAccumulator();
        for (long v : new long[] {40, 10, 30, 20}) {
            f.accumulate(acc, v, 0.5);
        }
        f.accumulate(acc, null, 0.5);
        assertThat(f.getValue(acc)).isEqualTo(30L);
        ApproxPercentile.Values doubles = f.createAccumulator();
        f.accumulate(doubles, 1.5, 0.9);
        f.accumulate(doubles, 0.5, 0.9);
        assertThat(f.getValue(doubles)).isEqualTo(1.5);
        assertThat(f.getValue(f.createAccumulator())).isNull();
        assertThatThrownBy(() -> f.accumulate(f.createAccumulator(), 1L, 1.5)).hasMessageContaining("between 0 and 1");
    }

    @Test
    void maxByTakesTheValueOfTheGreatestKey() {
        MaxBy f = new MaxBy();
        Row acc = f.createAccumulator();
        f.accumulate(acc, "old", T.minusHours(1));
        f.accumulate(acc, "new", T);
        f.accumulate(acc, "no key", null);
        f.accumulate(acc, "older", T.minusHours(2));
        assertThat(f.getValue(acc)).isEqualTo("new");
        Row other = f.createAccumulator();
        f.accumulate(other, "newest", T.plusSeconds(1));
        f.merge(acc, List.of(other));
        assertThat(f.getValue(acc)).isEqualTo("newest");
        assertThat(f.getValue(f.createAccumulator())).isNull();
    }

    @Test
    void dateDiffCountsWholeUnitsTowardZero() {
        assertThat(DateDiff.between("second", T, T.plusSeconds(90).plusNanos(999_000_000))).isEqualTo(90);
        assertThat(DateDiff.between("SECOND", T.plusSeconds(1), T.plusNanos(500_000_000))).isZero();
        assertThat(DateDiff.between("minute", T, T.minusSeconds(61))).isEqualTo(-1);
        assertThat(DateDiff.between("hour", T, T.plusMinutes(179))).isEqualTo(2);
        assertThat(DateDiff.between("day", T, T.plusDays(3).minusNanos(1))).isEqualTo(2);
        assertThat(DateDiff.between("week", T, T.plusDays(14))).isEqualTo(2);
        assertThat(DateDiff.between("millisecond", T, T.plusNanos(1_999_999))).isEqualTo(1);
        // calendar units: Jan 31 to Feb 28 is not a whole month
        LocalDateTime jan31 = LocalDateTime.of(2026, 1, 31, 0, 0);
        assertThat(DateDiff.between("month", jan31, jan31.plusDays(28))).isZero();
        assertThat(DateDiff.between("month", jan31, LocalDateTime.of(2026, 3, 31, 0, 0))).isEqualTo(2);
        assertThat(DateDiff.between("quarter", jan31, LocalDateTime.of(2026, 7, 31, 0, 0))).isEqualTo(2);
        assertThat(DateDiff.between("year", jan31, LocalDateTime.of(2027, 1, 30, 0, 0))).isZero();
        assertThatThrownBy(() -> DateDiff.between("fortnight", T, T)).hasMessage("'fortnight' is not a valid Timestamp field");
        assertThat(new DateDiff().eval("second", null, T)).isNull();
    }

    @Test
    void dateTruncTruncatesToTheStartOfTheUnit() {
        LocalDateTime t = LocalDateTime.of(2026, 11, 5, 10, 31, 42, 123_456_789); // a Thursday
        assertThat(DateTrunc.truncate("millisecond", t)).isEqualTo(LocalDateTime.of(2026, 11, 5, 10, 31, 42, 123_000_000));
        assertThat(DateTrunc.truncate("second", t)).isEqualTo(LocalDateTime.of(2026, 11, 5, 10, 31, 42));
        assertThat(DateTrunc.truncate("minute", t)).isEqualTo(LocalDateTime.of(2026, 11, 5, 10, 31));
        assertThat(DateTrunc.truncate("hour", t)).isEqualTo(LocalDateTime.of(2026, 11, 5, 10, 0));
        assertThat(DateTrunc.truncate("Day", t)).isEqualTo(LocalDateTime.of(2026, 11, 5, 0, 0));
        assertThat(DateTrunc.truncate("week", t)).isEqualTo(LocalDateTime.of(2026, 11, 2, 0, 0));
        assertThat(DateTrunc.truncate("month", t)).isEqualTo(LocalDateTime.of(2026, 11, 1, 0, 0));
        assertThat(DateTrunc.truncate("quarter", t)).isEqualTo(LocalDateTime.of(2026, 10, 1, 0, 0));
        assertThat(DateTrunc.truncate("year", t)).isEqualTo(LocalDateTime.of(2026, 1, 1, 0, 0));
        assertThatThrownBy(() -> DateTrunc.truncate("decade", t)).hasMessageContaining("'decade'");
    }
}
