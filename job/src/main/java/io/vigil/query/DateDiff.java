package io.vigil.query;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.types.inference.InputTypeStrategies;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Trino's {@code date_diff(unit, t1, t2)} on timestamps: the whole units from t1 to t2 (negative
 * when t2 is earlier), truncated toward zero; {@code millisecond} to {@code day} and {@code week}
 * are fixed lengths, {@code month}, {@code quarter} and {@code year} calendar units.
 */
public final class DateDiff extends ScalarFunction {
    private static final long serialVersionUID = 1L;

    public Long eval(String unit, LocalDateTime t1, LocalDateTime t2) {
        if (unit == null || t1 == null || t2 == null) {
            return null;
        }
        return between(unit, t1, t2);
    }

    static long between(String unit, LocalDateTime t1, LocalDateTime t2) {
        // Duration.dividedBy counts whole units toward zero, as Trino does
        Duration d = Duration.between(t1, t2);
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "millisecond":
                return d.dividedBy(Duration.ofMillis(1));
            case "second":
                return d.dividedBy(Duration.ofSeconds(1));
            case "minute":
                return d.dividedBy(Duration.ofMinutes(1));
            case "hour":
                return d.dividedBy(Duration.ofHours(1));
            case "day":
                return d.dividedBy(Duration.ofDays(1));
            case "week":
                return d.dividedBy(Duration.ofDays(7));
            case "month":
                return ChronoUnit.MONTHS.between(t1, t2);
            case "quarter":
                return ChronoUnit.MONTHS.between(t1, t2) / 3;
            case "year":
                return ChronoUnit.YEARS.between(t1, t2);
            default:
                throw new IllegalArgumentException("'" + unit + "' is not a valid Timestamp field");
        }
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return TypeInference.newBuilder()
                .inputTypeStrategy(InputTypeStrategies.sequence(
                        InputTypeStrategies.logical(LogicalTypeFamily.CHARACTER_STRING),
                        InputTypeStrategies.logical(LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE),
                        InputTypeStrategies.logical(LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE)))
                .outputTypeStrategy(TypeStrategies.explicit(DataTypes.BIGINT()))
                .build();
    }
}
