package io.vigil.iceberg;

import io.vigil.model.Envelope;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * The rows of one table that are made record by record from envelopes (no state, no window):
 * each envelope gives zero or more rows of its table.
 */
public final class EnvelopeRows implements FlatMapFunction<Envelope, RowData> {
    private static final long serialVersionUID = 1L;

    private final String table;

    private EnvelopeRows(String table) {
        this.table = table;
    }

    /** The function for a table made record by record; other tables are refused. */
    public static EnvelopeRows of(CuratedTable table) {
        EnvelopeRows f = new EnvelopeRows(table.name());
        if (!f.madeRecordByRecord()) {
            throw new IllegalArgumentException(table + " is not made record by record from envelopes");
        }
        return f;
    }

    private boolean madeRecordByRecord() {
        switch (table) {
            case "dataset_updates":
            case "dq_results":
            case "metric_samples":
            case "auth_events":
            case "commerce_events":
            case "dead_letter":
                return true;
            default:
                return false;
        }
    }

    @Override
    public void flatMap(Envelope e, Collector<RowData> out) {
        switch (table) {
            case "dataset_updates":
                if (e.run != null) {
                    TableRows.datasetUpdates(e).forEach(out::collect);
                }
                break;
            case "dq_results":
                if (e.run != null) {
                    TableRows.dataQualityResults(e).forEach(out::collect);
                }
                break;
            case "metric_samples":
                if (e.metric != null) {
                    out.collect(TableRows.metricSample(e));
                }
                break;
            case "auth_events":
                if (e.auth != null) {
                    out.collect(TableRows.authEvent(e));
                }
                break;
            case "commerce_events":
                if (e.commerce != null) {
                    out.collect(TableRows.commerceEvent(e));
                }
                break;
            case "dead_letter":
                if (e.deadLetter != null) {
                    out.collect(TableRows.deadLetter(e));
                }
                break;
            default:
                throw new IllegalStateException("not made record by record: " + table);
        }
    }
}
