package io.vigil.bench;

import io.vigil.model.DataQualityAssertion;
import io.vigil.model.Dataset;
import io.vigil.model.Envelope;
import io.vigil.model.Label;
import io.vigil.query.ApproxPercentile;
import io.vigil.rules.RuleMatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableDescriptor;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.types.logical.utils.LogicalTypeUtils;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * The Flink SQL peer: Vigil's default rules as the statements a Flink user would write instead
 * ({@code sql-peer/RULE.sql}, one per rule, each saying what it leaves out), run over the same
 * parsed events. The events become one view per family ({@code runs}, {@code metrics},
 * {@code auth}) plus {@code records} (every record, valid or not, for the invalid-rate and
 * staleness rules), each with an event-time attribute {@code ts} and a 30 s bounded watermark,
 * as Vigil's inputs have. All statements go into one statement set, optimized together (shared
 * scans), into counting sinks.
 */
final class SqlPeer {
    /** The default rules, in conf/rules.yaml order: each has {@code sql-peer/<id>.sql}. */
    static final List<String> RULES = List.of(
            "dataset_freshness", "source_stale", "job_failure_rate", "job_run_duration", "task_latency_p95",
            "dq_assertion_failed", "auth_invalid_records", "ecommerce_invalid_events", "kpi_par_90",
            "kpi_collection_rate", "kpi_rdr_90", "kpi_portfolio_health", "kinesis_iterator_age",
            "auth_user_fanout", "job_consecutive_failures", "auth_bruteforce", "job_flapping");

    /** Prefix of the result counts ({@link CountingSink#counts}). */
    static final String COUNTED = "sql ";

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

    private SqlPeer() {}

    /**
     * Adds the peer's statements to {@code parsed}'s job: {@code parsed} is the output of the
     * parse operator (valid events and dead letters, no watermarks yet).
     */
    static void wire(StreamTableEnvironment tables, DataStream<Envelope> parsed, long boundMs) {
        // approx_percentile: the project's own UDAF (there is no percentile aggregate in Flink SQL 1.20)
        tables.createTemporarySystemFunction("approx_percentile", ApproxPercentile.class);
        view(tables, "records", parsed.map(new RecordRow()).returns(RECORDS).name("view records"), boundMs);
        view(tables, "runs", parsed.flatMap(new RunRow()).returns(RUNS).name("view runs"), boundMs);
        view(tables, "metrics", parsed.flatMap(new MetricRow()).returns(METRICS).name("view metrics"), boundMs);
        view(tables, "auth", parsed.flatMap(new AuthRow()).returns(AUTH).name("view auth"), boundMs);

        StreamStatementSet set = tables.createStatementSet();
        for (String rule : RULES) {
            Table result;
            try {
                result = tables.sqlQuery(statement(rule));
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
        set.attachAsDataStream();
    }

    /** The statement of {@code sql-peer/<rule>.sql}, without its trailing semicolon. */
    static String statement(String rule) {
        String path = "/sql-peer/" + rule + ".sql";
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

    /** Valid pipeline run events, with their output datasets and data-quality assertions. */
    private static final class RunRow implements FlatMapFunction<Envelope, Row> {
        @Override
        public void flatMap(Envelope e, Collector<Row> out) {
            if (e.run == null || !e.isValid()) {
                return;
            }
            String[] outputs = new String[e.run.outputs.length];
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = e.run.outputs[i].qualifiedName();
            }
            List<Row> assertions = new ArrayList<>();
            for (Dataset d : e.run.inputs) {
                for (DataQualityAssertion a : d.assertions) {
                    assertions.add(Row.of(d.qualifiedName(), a.assertion, a.column, a.success));
                }
            }
            out.collect(Row.of(e.source, e.run.jobKey(), e.run.runId,
                    e.run.eventType == null ? null : e.run.eventType.name(), outputs,
                    assertions.toArray(new Row[0]), e.eventTime));
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

    /** Valid auth events; users as {@code user@domain}. */
    private static final class AuthRow implements FlatMapFunction<Envelope, Row> {
        @Override
        public void flatMap(Envelope e, Collector<Row> out) {
            if (e.auth == null || !e.isValid()) {
                return;
            }
            out.collect(Row.of(e.source, e.auth.sourcePrincipal(), e.auth.destinationPrincipal(), e.auth.sourceComputer,
                    e.auth.destinationComputer, e.auth.authType, e.auth.logonType, e.auth.orientation, e.auth.success,
                    e.eventTime));
        }
    }
}
