package io.vigil.query;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.types.inference.InputTypeStrategies;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Trino's {@code date_trunc(unit, t)} on a timestamp: t truncated to the start of its
 * {@code millisecond}, {@code second}, {@code minute}, {@code hour}, {@code day}, {@code week}
 * (Monday), {@code month}, {@code quarter} or {@code year}, of t's type.
 */
public final class DateTrunc extends ScalarFunction {
    private static final long serialVersionUID = 1L;

    public LocalDateTime eval(String unit, LocalDateTime t) {
        if (unit == null || t == null) {
            return null;
        }
        return truncate(unit, t);
    }

    static LocalDateTime truncate(String unit, LocalDateTime t) {
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "millisecond":
                return t.truncatedTo(ChronoUnit.MILLIS);
            case "second":
                return t.truncatedTo(ChronoUnit.SECONDS);
            case "minute":
                return t.truncatedTo(ChronoUnit.MINUTES);
            case "hour":
                return t.truncatedTo(ChronoUnit.HOURS);
            case "day":
                return t.truncatedTo(ChronoUnit.DAYS);
            case "week":
                return t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month":
                return t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case "quarter":
                LocalDateTime month = t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
                return month.withMonth((month.getMonthValue() - 1) / 3 * 3 + 1);
            case "year":
                return t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
            default:
                throw new IllegalArgumentException("'" + unit + "' is not a valid Timestamp field");
        }
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return TypeInference.newBuilder()
                .inputTypeStrategy(InputTypeStrategies.sequence(
                        InputTypeStrategies.logical(LogicalTypeFamily.CHARACTER_STRING),
                        InputTypeStrategies.logical(LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE)))
                .outputTypeStrategy(TypeStrategies.argument(1, t -> Optional.of(t.nullable())))
                .build();
    }
}
