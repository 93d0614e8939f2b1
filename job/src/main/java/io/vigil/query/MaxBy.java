package io.vigil.query;

import java.util.Optional;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.ArgumentTypeStrategy;
import org.apache.flink.table.types.inference.InputTypeStrategies;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.types.Row;

/**
 * Trino's {@code max_by(x, y)}: the value of x on the row with the greatest y (rows with a null y
 * are skipped; of equal greatest y, the first seen).
 */
public final class MaxBy extends AggregateFunction<Object, Row> {
    private static final long serialVersionUID = 1L;

    private static final int VALUE = 0;
    private static final int KEY = 1;

    @Override
    public Row createAccumulator() {
        return Row.of(null, null);
    }

    public void accumulate(Row acc, Object value, Object key) {
        if (key != null && greater(key, acc.getField(KEY))) {
            acc.setField(VALUE, value);
            acc.setField(KEY, key);
        }
    }

    /** Partial results of a two-phase (local, then global) aggregation. */
    public void merge(Row acc, Iterable<Row> others) {
        for (Row other : others) {
            accumulate(acc, other.getField(VALUE), other.getField(KEY));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean greater(Object key, Object current) {
        return current == null || ((Comparable) key).compareTo(current) > 0;
    }

    @Override
    public Object getValue(Row acc) {
        return acc.getField(VALUE);
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        // y is compared in Java: any type whose values are Comparable (numbers, strings, times, booleans)
        ArgumentTypeStrategy comparable = InputTypeStrategies.or(
                InputTypeStrategies.logical(LogicalTypeFamily.NUMERIC),
                InputTypeStrategies.logical(LogicalTypeFamily.CHARACTER_STRING),
                InputTypeStrategies.logical(LogicalTypeFamily.DATETIME),
                InputTypeStrategies.logical(LogicalTypeRoot.BOOLEAN));
        return TypeInference.newBuilder()
                .inputTypeStrategy(InputTypeStrategies.sequence(InputTypeStrategies.ANY, comparable))
                .accumulatorTypeStrategy(call -> {
                    DataType value = call.getArgumentDataTypes().get(0).nullable();
                    DataType key = call.getArgumentDataTypes().get(1).nullable();
                    return Optional.of(DataTypes.ROW(DataTypes.FIELD("value", value), DataTypes.FIELD("key", key))
                            .bridgedTo(Row.class));
                })
                .outputTypeStrategy(call -> Optional.of(call.getArgumentDataTypes().get(0).nullable()))
                .build();
    }
}
