package io.vigil.iceberg;

import io.vigil.delivery.DeliveryRecord;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.AuthEvent;
import io.vigil.model.ColumnMetric;
import io.vigil.model.CommerceEvent;
import io.vigil.model.DataQualityAssertion;
import io.vigil.model.Dataset;
import io.vigil.model.DeadLetter;
import io.vigil.model.Envelope;
import io.vigil.model.Label;
import io.vigil.model.MetricSample;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RawRecord;
import io.vigil.model.RunEventType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.RowData;

/**
 * The rows of the curated tables, made from Vigil's events: one pure function per table (see
 * {@link VigilTables} for what each table holds).
 */
public final class TableRows {
    /** {@code subject_type} of data-quality results about an OpenLineage dataset. */
    public static final String DATASET = "dataset";
    /** {@code subject_type} of data-quality results about a Vigil input. */
    public static final String SOURCE = "source";

    private TableRows() {}

    /** A run is finished, and gets its pipeline_runs row, with COMPLETE, FAIL or ABORT. */
    public static boolean isFinish(RunEventType t) {
        return t == RunEventType.COMPLETE || t == RunEventType.FAIL || t == RunEventType.ABORT;
    }

    /**
     * The pipeline_runs row of a finished run. {@code startedAt} (the run's START time, epoch ms) is
     * null when no START was seen; then started_at and duration_ms are null. A start after the end
     * (producers' clocks disagree) is kept as reported, but gives no duration.
     */
    public static RowData pipelineRun(Envelope finish, Long startedAt) {
        PipelineRunEvent r = finish.run;
        if (!isFinish(r.eventType)) {
            throw new IllegalArgumentException("run " + r.runId + " is not finished: " + r.eventType);
        }
        Long duration = startedAt != null && startedAt <= r.eventTime ? r.eventTime - startedAt : null;
        return VigilTables.PIPELINE_RUNS.newRow()
                .setString("job_namespace", r.jobNamespace)
                .setString("job_name", r.jobName)
                .setString("run_id", r.runId)
                .setString("status", r.eventType.name())
                .setTimestamp("started_at", startedAt)
                .setTimestamp("ended_at", r.eventTime)
                .setLong("duration_ms", duration)
                .setString("error_message", r.errorMessage)
                .setLong("output_rows", outputRows(r))
                .setString("source", finish.source)
                .setString("parent_run_id", r.parentRunId)
                .setString("parent_job_namespace", r.parentJobNamespace)
                .setString("parent_job_name", r.parentJobName)
                .setString("job_type", r.jobType)
                .setString("processing_type", r.processingType)
                .setString("integration", r.integration)
                .setTimestamp("nominal_start_time", r.nominalStartTime)
                .setTimestamp("nominal_end_time", r.nominalEndTime)
                .build();
    }

    /** Rows written by the run's outputs, or null when no output reported a count. */
    private static Long outputRows(PipelineRunEvent r) {
        Long sum = null;
        for (Dataset d : r.outputs) {
            if (d.rowCount != null) {
                sum = (sum == null ? 0 : sum) + d.rowCount;
            }
        }
        return sum;
    }

    /** One dataset_updates row per output dataset of a COMPLETE run; none for other events. */
    public static List<RowData> datasetUpdates(Envelope e) {
        PipelineRunEvent r = e.run;
        List<RowData> rows = new ArrayList<>();
        if (r.eventType != RunEventType.COMPLETE) {
            return rows;
        }
        for (Dataset d : r.outputs) {
            rows.add(VigilTables.DATASET_UPDATES.newRow()
                    .setString("dataset_namespace", d.namespace)
                    .setString("dataset_name", d.name)
                    .setString("job_namespace", r.jobNamespace)
                    .setString("job_name", r.jobName)
                    .setString("run_id", r.runId)
                    .setTimestamp("updated_at", r.eventTime)
                    .setLong("row_count", d.rowCount)
                    .setString("source", e.source)
                    .build());
        }
        return rows;
    }

    /**
     * dq_results rows of a run event's input datasets: one per assertion (its verdict), and the
     * reported figures without a verdict: {@code row_count}, and {@code null_count} and
     * {@code distinct_count} per column.
     */
    public static List<RowData> dataQualityResults(Envelope e) {
        PipelineRunEvent r = e.run;
        List<RowData> rows = new ArrayList<>();
        for (Dataset d : r.inputs) {
            for (DataQualityAssertion a : d.assertions) {
                rows.add(datasetResult(e, d, a.assertion, a.column, null, a.success));
            }
            if (d.rowCount != null) {
                rows.add(datasetResult(e, d, "row_count", null, d.rowCount.doubleValue(), null));
            }
            for (ColumnMetric m : d.columnMetrics) {
                if (m.nullCount != null) {
                    rows.add(datasetResult(e, d, "null_count", m.column, m.nullCount.doubleValue(), null));
                }
                if (m.distinctCount != null) {
                    rows.add(datasetResult(e, d, "distinct_count", m.column, m.distinctCount.doubleValue(), null));
                }
            }
        }
        return rows;
    }

    private static RowData datasetResult(
            Envelope e, Dataset d, String check, String column, Double observed, Boolean passed) {
        PipelineRunEvent r = e.run;
        return VigilTables.DQ_RESULTS.newRow()
                .setString("subject_type", DATASET)
                .setString("subject", d.qualifiedName())
                .setString("check_name", check)
                .setString("column_name", column)
                .setDouble("observed_value", observed)
                .setDouble("threshold", null)
                .setBoolean("passed", passed)
                .setTimestamp("window_start", r.eventTime)
                .setTimestamp("window_end", r.eventTime)
                .setString("job_namespace", r.jobNamespace)
                .setString("job_name", r.jobName)
                .setString("run_id", r.runId)
                .setString("source", e.source)
                .build();
    }

    /**
     * The dq_results row of a source's invalid-record rate over a window: invalid / all records.
     * It passes when at or below {@code threshold}; with no threshold it carries no verdict.
     */
    public static RowData sourceInvalidRate(
            String source, long windowStart, long windowEnd, long valid, long invalid, Double threshold) {
        double rate = valid + invalid == 0 ? 0 : (double) invalid / (valid + invalid);
        return VigilTables.DQ_RESULTS.newRow()
                .setString("subject_type", SOURCE)
                .setString("subject", source)
                .setString("check_name", "invalid_rate")
                .setDouble("observed_value", rate)
                .setDouble("threshold", threshold)
                .setBoolean("passed", threshold == null ? null : rate <= threshold)
                .setTimestamp("window_start", windowStart)
                .setTimestamp("window_end", windowEnd)
                .setString("source", source)
                .build();
    }

    public static RowData metricSample(Envelope e) {
        MetricSample m = e.metric;
        return VigilTables.METRIC_SAMPLES.newRow()
                .setString("name", m.name)
                .setDouble("value", m.value)
                .setTimestamp("event_time", m.time)
                .setStringMap("labels", labels(m.labels))
                .setString("source", e.source)
                .build();
    }

    public static RowData authEvent(Envelope e) {
        AuthEvent a = e.auth;
        return VigilTables.AUTH_EVENTS.newRow()
                .setTimestamp("event_time", a.time)
                .setString("source_user", a.sourceUser)
                .setCategory("source_domain", a.sourceDomain)
                .setString("destination_user", a.destinationUser)
                .setCategory("destination_domain", a.destinationDomain)
                .setString("source_computer", a.sourceComputer)
                .setString("destination_computer", a.destinationComputer)
                .setCategory("auth_type", a.authType)
                .setCategory("logon_type", a.logonType)
                .setCategory("orientation", a.orientation)
                .setBoolean("success", a.success)
                .setCategory("source", e.source)
                .build();
    }

    /** The auth_user_features row of one user's window. */
    public static RowData authUserFeatures(String user, String domain, long windowStart, long windowEnd,
            AuthUserWindow w) {
        return VigilTables.AUTH_USER_FEATURES.newRow()
                .setTimestamp("window_start", windowStart)
                .setTimestamp("window_end", windowEnd)
                .setString("source_user", user)
                .setString("source_domain", domain)
                .setLong("auth_events", w.events)
                .setLong("logons", w.logons)
                .setLong("failures", w.failures)
                .setDouble("failure_rate", w.events == 0 ? 0.0 : (double) w.failures / w.events)
                .setLong("distinct_destination_computers", (long) w.destinationComputers.size())
                .setLong("distinct_source_computers", (long) w.sourceComputers.size())
                .build();
    }

    public static RowData commerceEvent(Envelope e) {
        CommerceEvent c = e.commerce;
        return VigilTables.COMMERCE_EVENTS.newRow()
                .setTimestamp("event_time", c.eventTime)
                .setCategory("event_type", c.eventType.wire())
                .setLong("product_id", c.productId)
                .setLong("category_id", c.categoryId)
                .setCategory("category_code", c.categoryCode)
                .setCategory("brand", c.brand)
                .setDouble("price", c.price)
                .setLong("user_id", c.userId)
                .setString("user_session", c.userSession)
                .setCategory("source", e.source)
                .build();
    }

    /** The commerce_metrics row of one source's window. */
    public static RowData commerceMetrics(String source, long windowStart, long windowEnd, CommerceWindow w) {
        long all = w.valid + w.invalid;
        return VigilTables.COMMERCE_METRICS.newRow()
                .setTimestamp("window_start", windowStart)
                .setTimestamp("window_end", windowEnd)
                .setString("source", source)
                .setLong("views", w.views)
                .setLong("carts", w.carts)
                .setLong("removals", w.removals)
                .setLong("purchases", w.purchases)
                .setDouble("revenue", w.revenue)
                .setLong("valid_events", w.valid)
                .setLong("invalid_events", w.invalid)
                .setDouble("invalid_rate", all == 0 ? 0.0 : (double) w.invalid / all)
                .setDouble("view_to_purchase", w.views == 0 ? null : (double) w.purchases / w.views)
                .build();
    }

    public static RowData alert(AlertEvent a) {
        return VigilTables.ALERTS.newRow()
                .setString("alert_id", a.alertId)
                .setString("rule_id", a.ruleId)
                .setString("severity", a.severity.wire())
                .setString("state", a.state.wire())
                .setString("entity", a.entity)
                .setString("summary", a.summary)
                .setDouble("value", a.value)
                .setDouble("threshold", a.threshold)
                .setTimestamp("event_time", a.eventTime)
                .setTimestamp("starts_at", a.startsAt)
                .setTimestamp("ends_at", a.state == AlertState.RESOLVED ? a.endsAt : null)
                .setStringMap("labels", labels(a.labels))
                .setString("runbook_url", a.runbookUrl)
                .setTimestamp("emitted_at", a.emittedAt)
                .build();
    }

    /** The alert_deliveries row of one delivery attempt. */
    public static RowData delivery(DeliveryRecord d) {
        return VigilTables.ALERT_DELIVERIES.newRow()
                .setString("sink", d.sink)
                .setString("route", d.route)
                .setString("alert_id", d.alertId)
                .setString("rule_id", d.ruleId)
                .setString("severity", d.severity)
                .setString("state", d.state)
                .setTimestamp("alert_emitted_at", d.alertEmittedAt)
                .setLong("attempt", (long) d.attempt)
                .setString("status", d.status == null ? null : d.status.wire())
                .setLong("http_status", d.httpStatus == null ? null : d.httpStatus.longValue())
                .setLong("latency_ms", d.latencyMs)
                .setTimestamp("attempted_at", d.attemptedAt)
                .setTimestamp("next_attempt_at", d.nextAttemptAt)
                .setString("error", d.error)
                .setString("message_id", d.messageId)
                .setStringList("alert_ids", d.alertIds)
                .build();
    }

    /** The alert_digests row of one route's digest. */
    public static RowData digest(io.vigil.delivery.AlertDigest d) {
        return VigilTables.ALERT_DIGESTS.newRow()
                .setString("sink", d.sink)
                .setString("route", d.route)
                .setTimestamp("period_start", d.periodStart)
                .setTimestamp("period_end", d.periodEnd)
                .setString("zone", d.zone)
                .setLong("fired", (long) d.fired)
                .setLong("resolved", (long) d.resolved)
                .setLong("still_firing", (long) d.stillFiring)
                .setLong("mean_resolve_ms", d.meanResolveMs)
                .setLong("median_resolve_ms", d.medianResolveMs)
                .setStringList("top_entities", d.topEntities)
                .build();
    }

    public static RowData deadLetter(Envelope e) {
        DeadLetter d = e.deadLetter;
        // The parse operator stamps replayed records' arrival with their counting time; a dead
        // letter made elsewhere may still carry "no arrival clock".
        long receivedAt = d.receivedAt == RawRecord.NO_RECEIVE_TIME ? e.eventTime : d.receivedAt;
        return VigilTables.DEAD_LETTER.newRow()
                .setString("source", d.source)
                .setString("format", d.format.id())
                .setTimestamp("received_at", receivedAt)
                .setTimestamp("counted_at", e.eventTime)
                .setString("reason", d.reason.name())
                .setString("detail", d.detail)
                .setString("payload", d.payload)
                .setString("payload_encoding", d.payloadEncoding)
                .setBoolean("payload_truncated", d.payloadTruncated)
                .setLong("payload_bytes", d.payloadBytes)
                .setString("origin", d.origin)
                .build();
    }

    /** Labels keep their sorted order. */
    private static Map<String, String> labels(Label[] labels) {
        Map<String, String> m = new LinkedHashMap<>();
        if (labels != null) {
            for (Label l : labels) {
                m.put(l.key, l.value);
            }
        }
        return m;
    }
}
