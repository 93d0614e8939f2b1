package io.vigil.bench;

import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.iceberg.IcebergTables;
import io.vigil.iceberg.VigilTables;
import io.vigil.model.Envelope;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The curated tables made from the events themselves, a row per event (or per output dataset of a
 * run), as opposed to the derived ones (windows, alerts, deliveries): what the ingest ceiling and
 * the SQL peer write, so that both write what Vigil's own run writes besides its aggregates.
 */
final class EventTables {
    /**
     * dq_results is left out: it mixes run assertions with per-source window aggregates, and the
     * pipeline records that carry assertions are under 1 % of the input.
     */
    static final List<CuratedTable> ALL = List.of(VigilTables.PIPELINE_RUNS, VigilTables.DATASET_UPDATES,
            VigilTables.METRIC_SAMPLES, VigilTables.AUTH_EVENTS, VigilTables.COMMERCE_EVENTS, VigilTables.DEAD_LETTER);

    private EventTables() {}

    /**
     * Creates the missing curated tables (all of them, as Vigil does) and appends the event tables'
     * rows, made and written by Vigil's own code ({@link IcebergTables#writeEventTables}).
     *
     * @param envelopes valid events and dead letters with event time and watermarks (pipeline_runs
     *     waits on the watermark for a run's START)
     */
    static void write(IcebergCatalogConfig warehouse, DataStream<Envelope> envelopes) {
        IcebergTables.in(warehouse).writeEventTables(envelopes);
    }
}
