package io.vigil.bench;

import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.iceberg.IcebergTables;
import io.vigil.iceberg.JvmTableLocks;
import io.vigil.iceberg.VigilTables;
import io.vigil.model.AuthEvent;
import io.vigil.model.CommerceEvent;
import io.vigil.model.DataQualityAssertion;
import io.vigil.model.Dataset;
import io.vigil.model.Envelope;
import io.vigil.model.DeadLetter;
import io.vigil.model.Label;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RawRecord;
import io.vigil.query.ApproxPercentile;
import io.vigil.rules.RuleMatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableDescriptor;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.types.logical.utils.LogicalTypeUtils;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.flink.FlinkCatalogFactory;

/**
 * The Flink SQL peer: Vigil's default rules as the statements a Flink user would write instead
 * ({@code sql-peer/RULE.sql}, one per rule, each saying what it leaves out), run over the same
 * parsed events. The events become one view per family ({@code runs}, {@code metrics},
 * {@code auth}) plus {@code records} (every record, valid or not, for the invalid-rate and
 * staleness rules), each with an event-time attribute {@code ts} and a 30 s bounded watermark,
 * as Vigil's inputs have. All statements go into one statement set, optimized together (shared
 * scans), into counting sinks. With a warehouse, the same set also writes Vigil's event tables
 * ({@code sql-peer/tables/TABLE.sql}, Iceberg INSERTs through an Iceberg catalog of the
 * warehouse); the views then carry the further columns those tables need, and two more views,
 * {@code commerce} and {@code dead_letters}, feed them.
 */
final class SqlPeer {
    /** The bench's pinned rules ({@link Pipelines#RULES}), in order: each has {@code sql-peer/<id>.sql}. */
    static final List<String> RULES = List.of(
            "dataset_freshness", "source_stale", "job_failure_rate", "job_run_duration", "task_latency_p95",
            "dq_assertion_failed", "auth_invalid_records", "ecommerce_invalid_events", "kpi_par_90",
            "kpi_collection_rate", "kpi_rdr_90", "kpi_portfolio_health", "kinesis_iterator_age",
            "auth_user_fanout", "job_consecutive_failures", "auth_bruteforce", "job_flapping");

    /** Prefix of the result counts ({@link CountingSink#counts}). */
    static final String COUNTED = "sql ";

    /** The Iceberg catalog the table statements write to ({@code lake.vigil.TABLE}). */
    static final String CATALOG = "lake";

    private static final TypeInformation<Row> RECORDS = Types.ROW_NAMED(
            new String[] {"source", "family", "valid", "event_ms"},
            Types.STRING, Types.STRING, Types.BOOLEAN, Types.LONG);
    private static final TypeInformation<Row> ASSERTION = Types.ROW_NAMED(
            new String[] {"dataset", "assertion", "column_name", "success"},
            Types.STRING, Types.STRING, Types.STRING, Types.BOOLEAN);
    private static final TypeInformation<Row> RUNS = Types.ROW_NAMED(
            new String[] {"source", "job", "run_id", "event_type", "outputs", "assertions", "event_ms"},
            Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.OBJECT_ARRAY(Types.STRING),
            Types.OBJECT_ARRAY(ASSERTION), Types.LONG);
    private static final TypeInformation<Row> METRICS = Types.ROW_NAMED(
            new String[] {"source", "name", "metric_value", "labels", "series", "event_ms"},
            Types.STRING, Types.STRING, Types.DOUBLE, Types.MAP(Types.STRING, Types.STRING), Types.STRING, Types.LONG);
    private static final TypeInformation<Row> AUTH = Types.ROW_NAMED(
            new String[] {"source", "source_user", "destination_user", "source_computer", "destination_computer",
                "auth_type", "logon_type", "orientation", "success", "event_ms"},
            Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.STRING,
            Types.STRING, Types.BOOLEAN, Types.LONG);

    // With tables: the columns the tables need besides the rules', after the rules' columns.
    private static final TypeInformation<Row> OUTPUT_DATASET = Types.ROW_NAMED(
            new String[] {"namespace", "name", "row_count"}, Types.STRING, Types.STRING, Types.LONG);
    private static final TypeInformation<Row> RUNS_WIDE = wider(RUNS,
            new String[] {"job_namespace", "job_name", "error_message", "output_rows", "output_datasets",
                "parent_run_id", "parent_job_namespace", "parent_job_name", "job_type", "processing_type",
                "integration", "nominal_start_ms", "nominal_end_ms"},
            Types.STRING, Types.STRING, Types.STRING, Types.LONG, Types.OBJECT_ARRAY(OUTPUT_DATASET),
            Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.STRING, Types.LONG, Types.LONG);
    private static final TypeInformation<Row> AUTH_WIDE = wider(AUTH,
            new String[] {"source_user_name", "source_domain", "destination_user_name", "destination_domain"},
            Types.STRING, Types.STRING, Types.STRING, Types.STRING);
    private static final TypeInformation<Row> COMMERCE = Types.ROW_NAMED(
            new String[] {"source", "event_type", "product_id", "category_id", "category_code", "brand", "price",
                "user_id", "user_session", "event_ms"},
            Types.STRING, Types.STRING, Types.LONG, Types.LONG, Types.STRING, Types.STRING, Types.DOUBLE, Types.LONG,
            Types.STRING, Types.LONG);
    private static final TypeInformation<Row> DEAD_LETTERS = Types.ROW_NAMED(
            new String[] {"source", "format", "received_ms", "reason", "detail", "payload", "payload_encoding",
                "payload_truncated", "payload_bytes", "origin", "event_ms"},
            Types.STRING, Types.STRING, Types.LONG, Types.STRING, Types.STRING, Types.STRING, Types.STRING,
            Types.BOOLEAN, Types.LONG, Types.STRING, Types.LONG);

    private SqlPeer() {}

    /**
     * Adds the peer's statements to {@code parsed}'s job: {@code parsed} is the output of the
     * ingest (valid events and dead letters). With {@code warehouse} (a hadoop catalog, namespace
     * {@code vigil}), the event tables are created there if missing, as Vigil creates them, and
     * written by the same statement set; null: the rules alone.
     */
    static void wire(StreamTableEnvironment tables, DataStream<Envelope> parsed, long boundMs,
            IcebergCatalogConfig warehouse) {
        boolean withTables = warehouse != null;
        // the tables hold UTC instants (timestamp without zone): casts from ts must give UTC
        tables.getConfig().setLocalTimeZone(ZoneOffset.UTC);
        // approx_percentile: the project's own UDAF (there is no percentile aggregate in Flink SQL 1.20)
        tables.createTemporarySystemFunction("approx_percentile", ApproxPercentile.class);
        view(tables, "records", parsed.map(new RecordRow()).returns(RECORDS).name("view records"), boundMs);
        view(tables, "runs", parsed.flatMap(new RunRow(withTables)).returns(withTables ? RUNS_WIDE : RUNS)
                .name("view runs"), boundMs);
        view(tables, "metrics", parsed.flatMap(new MetricRow()).returns(METRICS).name("view metrics"), boundMs);
        view(tables, "auth", parsed.flatMap(new AuthRow(withTables)).returns(withTables ? AUTH_WIDE : AUTH)
                .name("view auth"), boundMs);

        StreamStatementSet set = tables.createStatementSet();
        for (String rule : RULES) {
            Table result;
            try {
                result = tables.sqlQuery(statement("/sql-peer/" + rule + ".sql"));
            } catch (RuntimeException e) {
                throw new IllegalStateException("sql-peer/" + rule + ".sql: " + e.getMessage(), e);
            }
            Schema.Builder schema = Schema.newBuilder();
            for (Column c : result.getResolvedSchema().getColumns()) {
                // a result's rowtime is a plain timestamp in a sink table
                schema.column(c.getName(), TypeConversions.fromLogicalToDataType(
                        LogicalTypeUtils.removeTimeAttributes(c.getDataType().getLogicalType())));
            }
            tables.createTemporaryTable("result_" + rule, TableDescriptor.forConnector(CountingTableSink.IDENTIFIER)
                    .schema(schema.build())
                    .option(CountingTableSink.NAME, COUNTED + rule)
                    .build());
            set.add(result.insertInto("result_" + rule));
        }
        if (withTables) {
            view(tables, "commerce", parsed.flatMap(new CommerceRow()).returns(COMMERCE).name("view commerce"), boundMs);
            view(tables, "dead_letters", parsed.flatMap(new DeadLetterRow()).returns(DEAD_LETTERS)
                    .name("view dead_letters"), boundMs);
            if (!warehouse.type().equals("hadoop") || !warehouse.namespace().equals(VigilTables.DEFAULT_NAMESPACE)) {
                throw new IllegalArgumentException("the SQL peer writes to a hadoop catalog, namespace "
                        + VigilTables.DEFAULT_NAMESPACE + ": " + warehouse);
            }
            IcebergTables.in(warehouse).createMissingTables(); // Vigil's schemas and table properties
            // CREATE CATALOG lake WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = ...)
            tables.registerCatalog(CATALOG, new IcebergCatalogs().hadoop(CATALOG, warehouse.warehouse()));
            for (CuratedTable t : EventTables.ALL) {
                String path = "/sql-peer/tables/" + t.name() + ".sql";
                try {
                    set.addInsertSql(statement(path));
                } catch (RuntimeException e) {
                    throw new IllegalStateException(path.substring(1) + ": " + e.getMessage(), e);
                }
            }
        }
        set.attachAsDataStream();
    }

    /** The statement of a resource ({@code /sql-peer/...}), without its trailing semicolon. */
    private static String statement(String path) {
        try (InputStream in = SqlPeer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing " + path);
            }
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A view with {@code ts}, the event-time attribute, from {@code event_ms}, and a watermark {@code boundMs} (whole seconds) behind. */
    private static void view(StreamTableEnvironment tables, String name, DataStream<Row> rows, long boundMs) {
        tables.createTemporaryView(name, tables.fromDataStream(rows, Schema.newBuilder()
                .columnByExpression("ts", "TO_TIMESTAMP_LTZ(event_ms, 3)")
                .watermark("ts", "ts - INTERVAL '" + boundMs / 1000 + "' SECOND")
                .build()));
    }

    /** Every record, valid or not, with the time it counts at. */
    private static final class RecordRow implements MapFunction<Envelope, Row> {
        @Override
        public Row map(Envelope e) {
            return Row.of(e.source, e.family.name(), e.isValid(), e.eventTime);
        }
    }

    /**
     * Valid pipeline run events, with their output datasets and data-quality assertions; wide, also
     * what pipeline_runs and dataset_updates need.
     */
    private static final class RunRow implements FlatMapFunction<Envelope, Row> {
        private final boolean wide;

        RunRow(boolean wide) {
            this.wide = wide;
        }

        @Override
        public void flatMap(Envelope e, Collector<Row> out) {
            if (e.run == null || !e.isValid()) {
                return;
            }
            PipelineRunEvent r = e.run;
            String[] outputs = new String[r.outputs.length];
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = r.outputs[i].qualifiedName();
            }
            List<Row> assertions = new ArrayList<>();
            for (Dataset d : r.inputs) {
                for (DataQualityAssertion a : d.assertions) {
                    assertions.add(Row.of(d.qualifiedName(), a.assertion, a.column, a.success));
                }
            }
            Row row = Row.of(e.source, r.jobKey(), r.runId, r.eventType == null ? null : r.eventType.name(), outputs,
                    assertions.toArray(new Row[0]), e.eventTime);
            if (wide) {
                // output_rows: the outputs' reported row counts added up, as the OpenLineage JSON
                // would be read into a column; null when no output reports one
                Row[] datasets = new Row[r.outputs.length];
                Long outputRows = null;
                for (int i = 0; i < datasets.length; i++) {
                    Dataset d = r.outputs[i];
                    datasets[i] = Row.of(d.namespace, d.name, d.rowCount);
                    if (d.rowCount != null) {
                        outputRows = (outputRows == null ? 0 : outputRows) + d.rowCount;
                    }
                }
                row = Row.join(row, Row.of(r.jobNamespace, r.jobName, r.errorMessage, outputRows, datasets,
                        r.parentRunId, r.parentJobNamespace, r.parentJobName, r.jobType, r.processingType,
                        r.integration, r.nominalStartTime, r.nominalEndTime));
            }
            out.collect(row);
        }
    }

    /** Valid metric samples; {@code series} is the sample's name and labels as Vigil names its alerts. */
    private static final class MetricRow implements FlatMapFunction<Envelope, Row> {
        @Override
        public void flatMap(Envelope e, Collector<Row> out) {
            if (e.metric == null || !e.isValid()) {
                return;
            }
            Map<String, String> labels = new HashMap<>();
            for (Label l : e.metric.labels) {
                labels.put(l.key, l.value);
            }
            out.collect(Row.of(e.source, e.metric.name, e.metric.value, labels, RuleMatcher.series(e), e.eventTime));
        }
    }

    /** Valid auth events; users as {@code user@domain}; wide, also user and domain apart, as auth_events has them. */
    private static final class AuthRow implements FlatMapFunction<Envelope, Row> {
        private final boolean wide;

        AuthRow(boolean wide) {
            this.wide = wide;
        }

        @Override
        public void flatMap(Envelope e, Collector<Row> out) {
            if (e.auth == null || !e.isValid()) {
                return;
            }
            AuthEvent a = e.auth;
            if (!wide) {
                out.collect(Row.of(e.source, a.sourcePrincipal(), a.destinationPrincipal(), a.sourceComputer,
                        a.destinationComputer, a.authType, a.logonType, a.orientation, a.success, e.eventTime));
                return;
            }
            out.collect(Row.of(e.source, a.sourcePrincipal(), a.destinationPrincipal(), a.sourceComputer,
                    a.destinationComputer, a.authType, a.logonType, a.orientation, a.success, e.eventTime,
                    a.sourceUser, a.sourceDomain, a.destinationUser, a.destinationDomain));
        }
    }

    /** Valid commerce events (tables only: no default rule reads them in SQL). */
    private static final class CommerceRow implements FlatMapFunction<Envelope, Row> {
        @Override
        public void flatMap(Envelope e, Collector<Row> out) {
            if (e.commerce == null || !e.isValid()) {
                return;
            }
            CommerceEvent c = e.commerce;
            out.collect(Row.of(e.source, c.eventType.wire(), c.productId, c.categoryId, c.categoryCode, c.brand,
                    c.price, c.userId, c.userSession, e.eventTime));
        }
    }

    /** Refused records, with their reasons and payloads (tables only). */
    private static final class DeadLetterRow implements FlatMapFunction<Envelope, Row> {
        @Override
        public void flatMap(Envelope e, Collector<Row> out) {
            DeadLetter d = e.deadLetter;
            if (d == null) {
                return;
            }
            // a replayed record's arrival is its counting time, as Vigil's dead_letter rows have it
            long receivedAt = d.receivedAt == RawRecord.NO_RECEIVE_TIME ? e.eventTime : d.receivedAt;
            out.collect(Row.of(d.source, d.format.id(), receivedAt, d.reason.name(), d.detail, d.payload,
                    d.payloadEncoding, d.payloadTruncated, d.payloadBytes, d.origin, e.eventTime));
        }
    }

    /** {@code base}'s fields followed by {@code names} of {@code types}. */
    private static TypeInformation<Row> wider(TypeInformation<Row> base, String[] names, TypeInformation<?>... types) {
        RowTypeInfo b = (RowTypeInfo) base;
        List<String> allNames = new ArrayList<>(List.of(b.getFieldNames()));
        allNames.addAll(List.of(names));
        List<TypeInformation<?>> allTypes = new ArrayList<>(List.of(b.getFieldTypes()));
        allTypes.addAll(List.of(types));
        return Types.ROW_NAMED(allNames.toArray(new String[0]), allTypes.toArray(new TypeInformation<?>[0]));
    }

    /**
     * What {@code CREATE CATALOG ... WITH ('type' = 'iceberg')} makes, with Hadoop's default
     * configuration: the factory's own setup of it needs the HDFS client, which this classpath
     * (and a local warehouse) does without. Its commits take Vigil's JVM-wide lock: Iceberg's
     * default one stops its shared scheduler when any catalog closes, which failed a run whose
     * previous job's catalogs closed while this one committed.
     */
    private static final class IcebergCatalogs extends FlinkCatalogFactory {
        Catalog hadoop(String name, String warehouse) {
            return createCatalog(name, Map.of("type", "iceberg", "catalog-type", "hadoop", "warehouse", warehouse,
                    CatalogProperties.LOCK_IMPL, JvmTableLocks.class.getName()),
                    new Configuration());
        }
    }
}
