package io.vigil.model;

import java.util.Objects;

/** Per-column figures of OpenLineage's {@code dataQualityMetrics} input facet. */
public class ColumnMetric {
    public String column;
    /** Null when the producer did not report it. */
    public Long nullCount;
    public Long distinctCount;

    public ColumnMetric() {}

    public ColumnMetric(String column, Long nullCount, Long distinctCount) {
        this.column = column;
        this.nullCount = nullCount;
        this.distinctCount = distinctCount;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ColumnMetric)) {
            return false;
        }
        ColumnMetric that = (ColumnMetric) o;
        return Objects.equals(column, that.column)
                && Objects.equals(nullCount, that.nullCount)
                && Objects.equals(distinctCount, that.distinctCount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, nullCount, distinctCount);
    }
}
