package io.vigil.iceberg;

import io.vigil.model.Envelope;
import io.vigil.model.Family;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One input's share of the curated tables, run in the input's own chain: each envelope becomes
 * the rows of the event tables it belongs to (dead letters on the main output, the others on side
 * outputs) and, when a derived table is built from it, goes to that table's side output. One
 * operator reads the envelope once, instead of one operator per table each reading (and, without
 * object reuse, copying) every envelope.
 */
final class InputTableRows extends ProcessFunction<Envelope, RowData> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<RowData> DATASET_UPDATES = rows(VigilTables.DATASET_UPDATES);
    /** The OpenLineage assertions of dq_results; the per-source rows come from {@link SourceQuality}. */
    static final OutputTag<RowData> ASSERTIONS = rows(VigilTables.DQ_RESULTS);
    static final OutputTag<RowData> METRIC_SAMPLES = rows(VigilTables.METRIC_SAMPLES);
    static final OutputTag<RowData> AUTH_EVENTS = rows(VigilTables.AUTH_EVENTS);
    static final OutputTag<RowData> COMMERCE_EVENTS = rows(VigilTables.COMMERCE_EVENTS);
    /** Pipeline-run envelopes, for pipeline_runs. */
    static final OutputTag<Envelope> RUNS = envelopes("runs");
    /** Valid auth envelopes with a known source user, for auth_user_features. */
    static final OutputTag<Envelope> AUTH_USERS = envelopes("auth-users");
    /** Commerce envelopes, valid and invalid, for commerce_metrics. */
    static final OutputTag<Envelope> COMMERCE = envelopes("commerce");

    private static OutputTag<RowData> rows(CuratedTable table) {
        return new OutputTag<>("rows-" + table.name(), table.typeInfo());
    }

    private static OutputTag<Envelope> envelopes(String name) {
        return new OutputTag<>("envelopes-" + name, TypeInformation.of(Envelope.class));
    }

    @Override
    public void processElement(Envelope e, Context ctx, Collector<RowData> deadLetters) {
        if (e.deadLetter != null) {
            deadLetters.collect(TableRows.deadLetter(e));
            if (e.family == Family.COMMERCE) {
                ctx.output(COMMERCE, e);
            }
            return;
        }
        if (e.run != null) {
            for (RowData r : TableRows.datasetUpdates(e)) {
                ctx.output(DATASET_UPDATES, r);
            }
            for (RowData r : TableRows.dataQualityResults(e)) {
                ctx.output(ASSERTIONS, r);
            }
            ctx.output(RUNS, e);
        } else if (e.metric != null) {
            ctx.output(METRIC_SAMPLES, TableRows.metricSample(e));
        } else if (e.auth != null) {
            ctx.output(AUTH_EVENTS, TableRows.authEvent(e));
            if (AuthUserFeatures.counted(e)) {
                ctx.output(AUTH_USERS, e);
            }
        } else if (e.commerce != null) {
            ctx.output(COMMERCE_EVENTS, TableRows.commerceEvent(e));
            ctx.output(COMMERCE, e);
        }
    }
}
