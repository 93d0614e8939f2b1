package io.vigil.model;

import java.util.Objects;

/** One entry of OpenLineage's {@code dataQualityAssertions} input facet. */
public class DataQualityAssertion {
    public String assertion;
    public boolean success;
    /** The column checked; null for table-level assertions. */
    public String column;

    public DataQualityAssertion() {}

    public DataQualityAssertion(String assertion, boolean success, String column) {
        this.assertion = assertion;
        this.success = success;
        this.column = column;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DataQualityAssertion)) {
            return false;
        }
        DataQualityAssertion that = (DataQualityAssertion) o;
        return success == that.success
                && Objects.equals(assertion, that.assertion)
                && Objects.equals(column, that.column);
    }

    @Override
    public int hashCode() {
        return Objects.hash(assertion, success, column);
    }

    @Override
    public String toString() {
        return assertion + (column == null ? "" : "(" + column + ")") + "=" + success;
    }
}
