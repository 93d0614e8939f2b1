package io.vigil.iceberg;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.types.Types;

/**
 * The curated tables Vigil writes, as Iceberg schemas and partition specs: the contract that
 * {@code ddl/athena} mirrors and analysts query. Every table is partitioned by the day of its event
 * time (dead letters excepted, see {@link #DEAD_LETTER}); instants are UTC, see {@link CuratedTable#INSTANT}.
 */
public final class VigilTables {
    public static final String DEFAULT_NAMESPACE = "vigil";

    private static final Types.StringType STRING = Types.StringType.get();
    private static final Types.LongType LONG = Types.LongType.get();
    private static final Types.DoubleType DOUBLE = Types.DoubleType.get();
    private static final Types.BooleanType BOOLEAN = Types.BooleanType.get();

    /**
     * One row per finished run (COMPLETE, FAIL, ABORT); started_at from the run's START event; the
     * parent run and job (OpenLineage {@code parent} facet: a dbt test or model run's invocation, an
     * Airflow task's DAG run), the job's type ({@code jobType} facet) and the nominal times
     * ({@code nominalTime} facet) from the finishing event, null when it does not carry them.
     */
    public static final CuratedTable PIPELINE_RUNS = CuratedTable.named("pipeline_runs")
            .required("job_namespace", STRING)
            .required("job_name", STRING)
            .required("run_id", STRING)
            .required("status", STRING)
            .optional("started_at", CuratedTable.INSTANT)
            .required("ended_at", CuratedTable.INSTANT)
            .optional("duration_ms", LONG)
            .optional("error_message", STRING)
            .optional("output_rows", LONG)
            .required("source", STRING)
            // added for issue 14; new columns go last, optional: existing tables gain them at start-up
            .optional("parent_run_id", STRING)
            .optional("parent_job_namespace", STRING)
            .optional("parent_job_name", STRING)
            .optional("job_type", STRING)
            .optional("processing_type", STRING)
            .optional("integration", STRING)
            .optional("nominal_start_time", CuratedTable.INSTANT)
            .optional("nominal_end_time", CuratedTable.INSTANT)
            .partitionedByDayOf("ended_at");

    /** One row per output dataset of a COMPLETE run. */
    public static final CuratedTable DATASET_UPDATES = CuratedTable.named("dataset_updates")
            .required("dataset_namespace", STRING)
            .required("dataset_name", STRING)
            .required("job_namespace", STRING)
            .required("job_name", STRING)
            .required("run_id", STRING)
            .required("updated_at", CuratedTable.INSTANT)
            .optional("row_count", LONG)
            .required("source", STRING)
            .partitionedByDayOf("updated_at");

    /**
     * Data-quality results: OpenLineage assertions and metrics of a run's input datasets
     * ({@code subject_type} dataset, a point in time: window_start = window_end = the run event's
     * time), and each source's invalid-record rate per window ({@code subject_type} source).
     * {@code passed} is null for a figure reported without a verdict (a null count).
     */
    public static final CuratedTable DQ_RESULTS = CuratedTable.named("dq_results")
            .required("subject_type", STRING)
            .required("subject", STRING)
            .required("check_name", STRING)
            .optional("column_name", STRING)
            .optional("observed_value", DOUBLE)
            .optional("threshold", DOUBLE)
            .optional("passed", BOOLEAN)
            .required("window_start", CuratedTable.INSTANT)
            .required("window_end", CuratedTable.INSTANT)
            .optional("job_namespace", STRING)
            .optional("job_name", STRING)
            .optional("run_id", STRING)
            .required("source", STRING)
            .partitionedByDayOf("window_end");

    public static final CuratedTable METRIC_SAMPLES = CuratedTable.named("metric_samples")
            .required("name", STRING)
            .required("value", DOUBLE)
            .required("event_time", CuratedTable.INSTANT)
            .optionalStringMap("labels")
            .required("source", STRING)
            .partitionedByDayOf("event_time");

    /** Every valid auth event; a {@code ?} in the source (unknown to the collector) is null. */
    public static final CuratedTable AUTH_EVENTS = CuratedTable.named("auth_events")
            .required("event_time", CuratedTable.INSTANT)
            .optional("source_user", STRING)
            .optional("source_domain", STRING)
            .optional("destination_user", STRING)
            .optional("destination_domain", STRING)
            .optional("source_computer", STRING)
            .optional("destination_computer", STRING)
            .optional("auth_type", STRING)
            .optional("logon_type", STRING)
            .optional("orientation", STRING)
            .required("success", BOOLEAN)
            .required("source", STRING)
            .partitionedByDayOf("event_time");

    /**
     * Per source user (the account that authenticates, {@code user@domain}) and 5-minute window:
     * auth events, LogOn events, failed events, failures / events, and the distinct computers the
     * user authenticated to and from, counted exactly.
     */
    public static final CuratedTable AUTH_USER_FEATURES = CuratedTable.named("auth_user_features")
            .required("window_start", CuratedTable.INSTANT)
            .required("window_end", CuratedTable.INSTANT)
            .required("source_user", STRING)
            .optional("source_domain", STRING)
            .required("auth_events", LONG)
            .required("logons", LONG)
            .required("failures", LONG)
            .required("failure_rate", DOUBLE)
            .required("distinct_destination_computers", LONG)
            .required("distinct_source_computers", LONG)
            .partitionedByDayOf("window_start");

    /** Every valid commerce event. Price stays double, as parsed: revenue is summed in queries. */
    public static final CuratedTable COMMERCE_EVENTS = CuratedTable.named("commerce_events")
            .required("event_time", CuratedTable.INSTANT)
            .required("event_type", STRING)
            .required("product_id", LONG)
            .required("category_id", LONG)
            .optional("category_code", STRING)
            .optional("brand", STRING)
            .required("price", DOUBLE)
            .required("user_id", LONG)
            .optional("user_session", STRING)
            .required("source", STRING)
            .partitionedByDayOf("event_time");

    /**
     * Per commerce source and 1-minute window, over valid and invalid records: events by type,
     * revenue (sum of purchase prices), invalid / all records, and purchases / views (null
     * without views).
     */
    public static final CuratedTable COMMERCE_METRICS = CuratedTable.named("commerce_metrics")
            .required("window_start", CuratedTable.INSTANT)
            .required("window_end", CuratedTable.INSTANT)
            .required("source", STRING)
            .required("views", LONG)
            .required("carts", LONG)
            .required("removals", LONG)
            .required("purchases", LONG)
            .required("revenue", DOUBLE)
            .required("valid_events", LONG)
            .required("invalid_events", LONG)
            .required("invalid_rate", DOUBLE)
            .optional("view_to_purchase", DOUBLE)
            .partitionedByDayOf("window_start");

    /**
     * Every alert state change, the alert event contract: value and threshold null when the rule
     * has none, ends_at set on resolved events only.
     */
    public static final CuratedTable ALERTS = CuratedTable.named("alerts")
            .required("alert_id", STRING)
            .required("rule_id", STRING)
            .required("severity", STRING)
            .required("state", STRING)
            .required("entity", STRING)
            .required("summary", STRING)
            .optional("value", DOUBLE)
            .optional("threshold", DOUBLE)
            .required("event_time", CuratedTable.INSTANT)
            .required("starts_at", CuratedTable.INSTANT)
            .optional("ends_at", CuratedTable.INSTANT)
            .optionalStringMap("labels")
            .optional("runbook_url", STRING)
            .required("emitted_at", CuratedTable.INSTANT)
            .partitionedByDayOf("event_time");

    /**
     * Every attempt to deliver an alert state change to a Slack route or SNS topic (see
     * io.vigil.delivery): status delivered, retrying, failed (fast retries used up; still pending),
     * rejected (refused by the channel; still pending) or unrouted (no route, attempt 0). A state
     * change is identified by alert_id, state and alert_emitted_at; a group notification by its
     * group id in alert_id and its time; alert_ids lists the alerts a notification carried. No secrets: routes are names
     * and topic ARNs, errors are redacted.
     */
    public static final CuratedTable ALERT_DELIVERIES = CuratedTable.named("alert_deliveries")
            .required("sink", STRING)
            .required("route", STRING)
            .required("alert_id", STRING)
            .required("rule_id", STRING)
            .required("severity", STRING)
            .required("state", STRING)
            .required("alert_emitted_at", CuratedTable.INSTANT)
            .required("attempt", LONG)
            .required("status", STRING)
            .optional("http_status", LONG)
            .optional("latency_ms", LONG)
            .required("attempted_at", CuratedTable.INSTANT)
            .optional("next_attempt_at", CuratedTable.INSTANT)
            .optional("error", STRING)
            .optional("message_id", STRING)
            .optionalStringList("alert_ids")
            .partitionedByDayOf("attempted_at");

    /**
     * Every refused record. Partitioned by arrival, not by event time: a dead letter's own time is
     * often the very thing that was broken (BAD_TIMESTAMP), and dead letters are looked for by
     * arrival ("what broke since the deploy"). {@code counted_at} is the event time it counts at in
     * invalid rates; in replay, which has no arrival clock, received_at equals it.
     */
    public static final CuratedTable DEAD_LETTER = CuratedTable.named("dead_letter")
            .required("source", STRING)
            .required("format", STRING)
            .required("received_at", CuratedTable.INSTANT)
            .required("counted_at", CuratedTable.INSTANT)
            .required("reason", STRING)
            .optional("detail", STRING)
            .optional("payload", STRING)
            .optional("payload_encoding", STRING)
            .required("payload_truncated", BOOLEAN)
            .required("payload_bytes", LONG)
            .optional("origin", STRING)
            .partitionedByDayOf("received_at");

    /**
     * One route's digest of a period (see io.vigil.delivery.AlertDigest): alerts fired, resolved
     * and still firing, the entities that fired most (most first), and the mean and median time to
     * resolve (null without a resolution). Partitioned by the period's end.
     */
    public static final CuratedTable ALERT_DIGESTS = CuratedTable.named("alert_digests")
            .required("sink", STRING)
            .required("route", STRING)
            .required("period_start", CuratedTable.INSTANT)
            .required("period_end", CuratedTable.INSTANT)
            .required("zone", STRING)
            .required("fired", LONG)
            .required("resolved", LONG)
            .required("still_firing", LONG)
            .optional("mean_resolve_ms", LONG)
            .optional("median_resolve_ms", LONG)
            .optionalStringList("top_entities")
            .partitionedByDayOf("period_end");

    private static final List<CuratedTable> ALL = Collections.unmodifiableList(Arrays.asList(
            PIPELINE_RUNS, DATASET_UPDATES, DQ_RESULTS, METRIC_SAMPLES, AUTH_EVENTS, AUTH_USER_FEATURES,
            COMMERCE_EVENTS, COMMERCE_METRICS, ALERTS, ALERT_DELIVERIES, ALERT_DIGESTS, DEAD_LETTER));

    private VigilTables() {}

    public static List<CuratedTable> all() {
        return ALL;
    }

    /** The table of that name, or an exception listing the names. */
    public static CuratedTable named(String name) {
        for (CuratedTable t : ALL) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no curated table '" + name + "'; tables are " + ALL);
    }

    /**
     * Properties of every table the job creates. Format v2, Parquet with zstd (Athena's own choice
     * for Iceberg); other engines' writers distributed by partition (Vigil's own take their rows
     * unshuffled, see {@link IcebergTables#append}); and old metadata files deleted on commit, since a commit per
     * checkpoint (every 60 s in the cloud) would otherwise leave 1,440 metadata files a day.
     */
    public static Map<String, String> tableProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("format-version", "2");
        p.put("write.format.default", "parquet");
        p.put("write.parquet.compression-codec", "zstd");
        p.put("write.distribution-mode", "hash");
        p.put("write.metadata.delete-after-commit.enabled", "true");
        p.put("write.metadata.previous-versions-max", "100");
        return p;
    }
}
