package io.vigil.query;

import org.apache.flink.table.functions.AggregateFunction;

/** Trino's {@code count_if(x)}: the number of rows where {@code x} is true (null counts as false). */
public final class CountIf extends AggregateFunction<Long, CountIf.Count> {
    private static final long serialVersionUID = 1L;

    /** The running count. */
    public static final class Count {
        public long n;
    }

    @Override
    public Count createAccumulator() {
        return new Count();
    }

    public void accumulate(Count acc, Boolean condition) {
        if (Boolean.TRUE.equals(condition)) {
            acc.n++;
        }
    }

    public void retract(Count acc, Boolean condition) {
        if (Boolean.TRUE.equals(condition)) {
            acc.n--;
        }
    }

    /** Partial counts of a two-phase (local, then global) aggregation. */
    public void merge(Count acc, Iterable<Count> others) {
        for (Count other : others) {
            acc.n += other.n;
        }
    }

    @Override
    public Long getValue(Count acc) {
        return acc.n;
    }
}
