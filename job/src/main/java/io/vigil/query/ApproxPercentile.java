package io.vigil.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.dataview.ListView;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.types.inference.InputTypeStrategies;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

/**
 * Trino's {@code approx_percentile(x, p)}: the smallest value with more than p·n of the group's n
 * non-null values at or below it, as a bigint for integer x and a double otherwise. That is what
 * Trino's quantile digest answers for a bigint while it is still exact (groups of up to about a
 * hundred values); on larger groups, and for doubles, Trino's answer is approximate and may differ
 * slightly. Values are held as doubles: exact for integers up to 2^53.
 */
public final class ApproxPercentile extends AggregateFunction<Object, ApproxPercentile.Values> {
    private static final long serialVersionUID = 1L;

    /** Every non-null value of the group, the percentage asked for, and whether x is an integer. */
    public static final class Values {
        public ListView<Double> values = new ListView<>();
        public Double percentage;
        public boolean integral;
    }

    @Override
    public Values createAccumulator() {
        return new Values();
    }

    public void accumulate(Values acc, Object value, Double percentage) throws Exception {
        if (value == null) {
            return;
        }
        if (percentage == null || !(percentage >= 0.0 && percentage <= 1.0)) {
            throw new IllegalArgumentException("approx_percentile: percentage must be between 0 and 1, got " + percentage);
        }
        if (acc.percentage != null && !acc.percentage.equals(percentage)) {
            throw new IllegalArgumentException("approx_percentile: percentage must be constant for all input rows");
        }
        acc.percentage = percentage;
        acc.integral = value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte;
        acc.values.add(((Number) value).doubleValue());
    }

    /** Partial value lists of a two-phase (local, then global) aggregation. */
    public void merge(Values acc, Iterable<Values> others) throws Exception {
        for (Values other : others) {
            if (other.percentage == null) {
                continue;
            }
            acc.percentage = other.percentage;
            acc.integral = other.integral;
            for (Double v : other.values.get()) {
                acc.values.add(v);
            }
        }
    }

    @Override
    public Object getValue(Values acc) {
        List<Double> sorted = new ArrayList<>();
        try {
            for (Double v : acc.values.get()) {
                sorted.add(v);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the values of approx_percentile", e);
        }
        if (sorted.isEmpty()) {
            return null;
        }
        Collections.sort(sorted);
        double v = sorted.get(rank(sorted.size(), acc.percentage));
        return acc.integral ? (Object) (long) v : (Object) v;
    }

    /** The 0-based position of the answer among n sorted values: floor(p·n), at most n - 1. */
    static int rank(int n, double percentage) {
        return (int) Math.min(n - 1, (long) Math.floor(percentage * n));
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return TypeInference.newBuilder()
                .inputTypeStrategy(InputTypeStrategies.sequence(
                        // integers widen to bigint and the rest of the numbers to double, as Trino coerces
                        InputTypeStrategies.or(
                                InputTypeStrategies.and(InputTypeStrategies.logical(LogicalTypeFamily.INTEGER_NUMERIC),
                                        InputTypeStrategies.explicit(DataTypes.BIGINT())),
                                InputTypeStrategies.explicit(DataTypes.DOUBLE())),
                        InputTypeStrategies.explicit(DataTypes.DOUBLE())))
                .accumulatorTypeStrategy(TypeStrategies.explicit(typeFactory.createDataType(Values.class)))
                .outputTypeStrategy(call -> {
                    boolean integral = call.getArgumentDataTypes().get(0).getLogicalType()
                            .is(LogicalTypeFamily.INTEGER_NUMERIC);
                    return Optional.of(integral ? DataTypes.BIGINT() : DataTypes.DOUBLE());
                })
                .build();
    }
}
