package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.iceberg.IcebergTables;
import io.vigil.iceberg.VigilTables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes known rows into the curated tables of a hadoop-catalog warehouse (through the job's own
 * Iceberg writer, in two commits), then runs every query of {@code ddl/queries} and some ad-hoc
 * statements through {@code vigil query} and checks the answers against those rows. The windows of
 * the queries are anchored at the newest row: rows just outside them would change every answer.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QueryCommandITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path QUERIES = Paths.get("../ddl/queries");
    /** The newest row of every table: what the queries take as "now". */
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 11, 2, 12, 0);

    @TempDir
    static Path tmp;

    private static Path warehouse;
    /** Rows and distinct days (partitions, so data files) of pipeline_runs in the first commit. */
    private static int firstCommitRuns;
    private static int firstCommitDays;

    @BeforeAll
    static void writeTables() throws Exception {
        warehouse = tmp.resolve("warehouse");
        IcebergTables tables = IcebergTables.in(IcebergCatalogConfig.hadoop(warehouse.toString()));
        tables.createMissingTables();

        Map<CuratedTable, List<RowData>> first = new LinkedHashMap<>();
        List<RowData> runs = pipelineRuns();
        first.put(VigilTables.PIPELINE_RUNS, runs);
        first.put(VigilTables.DATASET_UPDATES, datasetUpdates());
        first.put(VigilTables.DQ_RESULTS, dqResults());
        first.put(VigilTables.AUTH_EVENTS, authEvents());
        first.put(VigilTables.ALERTS, alerts());
        first.put(VigilTables.ALERT_DELIVERIES, deliveries());
        write(tables, first);
        firstCommitRuns = runs.size();
        firstCommitDays = (int) runs.stream()
                .map(r -> r.getTimestamp(5, 6).toLocalDateTime().toLocalDate()).distinct().count();

        // a second commit: the newest run, which moves pipeline_runs' "now" to T0
        write(tables, Map.of(VigilTables.PIPELINE_RUNS,
                List.of(run("airflow", "export.reports", "r-c3", "COMPLETE", T0, 45_000L))));
    }

    /** One bounded job appending the rows, one commit per table. */
    private static void write(IcebergTables tables, Map<CuratedTable, List<RowData>> rows) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        for (Map.Entry<CuratedTable, List<RowData>> t : rows.entrySet()) {
            tables.append(t.getKey(), env.fromData(t.getValue(), t.getKey().typeInfo()).name("rows " + t.getKey()));
        }
        env.execute("write curated tables");
    }

    private static long millis(LocalDateTime t) {
        return t.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static GenericRowData run(String ns, String job, String runId, String status, LocalDateTime ended,
            Long durationMs) {
        return VigilTables.PIPELINE_RUNS.newRow()
                .setString("job_namespace", ns)
                .setString("job_name", job)
                .setString("run_id", runId)
                .setString("status", status)
                .setTimestamp("started_at", durationMs == null ? null : millis(ended) - durationMs)
                .setTimestamp("ended_at", millis(ended))
                .setLong("duration_ms", durationMs)
                .setString("error_message", status.equals("FAIL") ? "boom" : null)
                .setString("source", "lineage")
                .build();
    }

    /**
     * dbt/analytics.load_loans: in the last 24 h 3 COMPLETE (60, 120, 180 s) and 1 FAIL, one more
     * FAIL 30 h back. airflow/ingest.payments: 10 COMPLETE runs 12 h apart from 2 h back (10 to
     * 100 s; two within 24 h), one COMPLETE without a start 3 h back, one of 10,000 s 10 days back.
     * airflow/export.reports: a FAIL and an ABORT (and, in the second commit, a COMPLETE at T0).
     */
    private static List<RowData> pipelineRuns() {
        List<RowData> rows = new ArrayList<>();
        rows.add(run("dbt", "analytics.load_loans", "r-a1", "COMPLETE", T0.minusHours(1), 60_000L));
        rows.add(run("dbt", "analytics.load_loans", "r-a2", "COMPLETE", T0.minusHours(5), 120_000L));
        rows.add(run("dbt", "analytics.load_loans", "r-a3", "FAIL", T0.minusHours(9), 30_000L));
        rows.add(run("dbt", "analytics.load_loans", "r-a4", "COMPLETE", T0.minusHours(20), 180_000L));
        rows.add(run("dbt", "analytics.load_loans", "r-a0", "FAIL", T0.minusHours(30), null));
        for (int k = 0; k < 10; k++) {
            rows.add(run("airflow", "ingest.payments", "r-b" + k, "COMPLETE", T0.minusHours(12L * k + 2),
                    (k + 1) * 10_000L));
        }
        rows.add(run("airflow", "ingest.payments", "r-b-nostart", "COMPLETE", T0.minusHours(3), null));
        rows.add(run("airflow", "ingest.payments", "r-b-old", "COMPLETE", T0.minusDays(10), 10_000_000L));
        rows.add(run("airflow", "export.reports", "r-c1", "FAIL", T0.minusHours(4), 5_000L));
        rows.add(run("airflow", "export.reports", "r-c2", "ABORT", T0.minusHours(6), 7_000L));
        return rows;
    }

    private static GenericRowData update(String dataset, String job, LocalDateTime at) {
        return VigilTables.DATASET_UPDATES.newRow()
                .setString("dataset_namespace", "s3://lake")
                .setString("dataset_name", dataset)
                .setString("job_namespace", "dbt")
                .setString("job_name", job)
                .setString("run_id", "run-" + at)
                .setTimestamp("updated_at", millis(at))
                .setLong("row_count", 100L)
                .setString("source", "lineage")
                .build();
    }

    /**
     * payments updated at T0 (the newest), loans_daily 2 h before by load_loans (and 26 h before by
     * a job whose name sorts last), reports 3 days 30 minutes before, legacy 40 days before.
     */
    private static List<RowData> datasetUpdates() {
        return List.of(
                update("curated/payments", "ingest.payments", T0),
                update("curated/payments", "ingest.payments", T0.minusHours(5)),
                update("curated/loans_daily", "analytics.load_loans", T0.minusHours(2)),
                update("curated/loans_daily", "zz_backfill", T0.minusHours(26)),
                update("curated/reports", "export.reports", T0.minusDays(3).minusMinutes(30)),
                update("curated/legacy", "legacy.job", T0.minusDays(40)));
    }

    private static GenericRowData dq(String type, String subject, String check, String column, Double observed,
            Boolean passed, LocalDateTime end) {
        return VigilTables.DQ_RESULTS.newRow()
                .setString("subject_type", type)
                .setString("subject", subject)
                .setString("check_name", check)
                .setString("column_name", column)
                .setDouble("observed_value", observed)
                .setBoolean("passed", passed)
                .setTimestamp("window_start", millis(type.equals("source") ? end.minusMinutes(5) : end))
                .setTimestamp("window_end", millis(end))
                .setString("source", type.equals("source") ? subject : "lineage")
                .build();
    }

    private static final String PAYMENTS = "snowflake://acme/raw.payments";

    /** A not_null check failing once of twice on Nov 2 and passing on Nov 1; a verdict-less rate; one too old. */
    private static List<RowData> dqResults() {
        return List.of(
                dq("dataset", PAYMENTS, "not_null", "amount", 3.0, false, T0.minusHours(4)),
                dq("dataset", PAYMENTS, "not_null", "amount", 0.0, true, T0.minusHours(1)),
                dq("dataset", PAYMENTS, "not_null", "amount", 0.0, true, T0.minusHours(27)),
                dq("source", "auth", "invalid_rate", null, 0.002, null, T0),
                dq("dataset", PAYMENTS, "row_count", null, 5.0, null, T0.minusDays(62)));
    }

    private static GenericRowData auth(String user, String from, String to, String orientation, boolean success,
            LocalDateTime at) {
        return VigilTables.AUTH_EVENTS.newRow()
                .setTimestamp("event_time", millis(at))
                .setString("source_user", user)
                .setString("source_domain", user.equals("U3") ? "DOM2" : "DOM1")
                .setString("destination_user", user)
                .setString("destination_domain", "DOM1")
                .setString("source_computer", from)
                .setString("destination_computer", to)
                .setString("auth_type", "NTLM")
                .setString("logon_type", "Network")
                .setString("orientation", orientation)
                .setBoolean("success", success)
                .setString("source", "auth")
                .build();
    }

    /** U1 fails 3 LogOns (to 2 computers from 1); U2 fails 1 LogOn and 1 LogOff; U3 fails 5, two days back. */
    private static List<RowData> authEvents() {
        List<RowData> rows = new ArrayList<>(List.of(
                auth("U1", "C9", "C1", "LogOn", false, T0.minusHours(3)),
                auth("U1", "C9", "C2", "LogOn", false, T0.minusHours(2)),
                auth("U1", "C9", "C2", "LogOn", false, T0.minusHours(1)),
                auth("U2", "C5", "C1", "LogOn", false, T0.minusMinutes(30)),
                auth("U2", "C5", "C1", "LogOff", false, T0.minusMinutes(10)),
                auth("U2", "C5", "C1", "LogOn", true, T0)));
        for (int i = 0; i < 5; i++) {
            rows.add(auth("U3", "C7", "C" + i, "LogOn", false, T0.minusHours(48).plusMinutes(i)));
        }
        return rows;
    }

    private static GenericRowData alert(String rule, String id, String state, LocalDateTime startsAt,
            LocalDateTime eventTime) {
        return VigilTables.ALERTS.newRow()
                .setString("alert_id", id)
                .setString("rule_id", rule)
                .setString("severity", "warning")
                .setString("state", state)
                .setString("entity", "entity of " + id)
                .setString("summary", rule + " on " + id)
                .setTimestamp("event_time", millis(eventTime))
                .setTimestamp("starts_at", millis(startsAt))
                .setTimestamp("ends_at", state.equals("resolved") ? millis(eventTime) : null)
                .setStringMap("labels", Map.of("team", "risk"))
                .setTimestamp("emitted_at", millis(eventTime))
                .build();
    }

    /**
     * kpi_par_90 resolves after 30 (delivered twice), 60 and 90 minutes; job_failed after 5 minutes,
     * once more 40 days back after 10 hours, and one of its alerts is still firing.
     */
    private static List<RowData> alerts() {
        LocalDateTime ten = T0.minusHours(2);
        return List.of(
                alert("kpi_par_90", "a1", "firing", ten, ten),
                alert("kpi_par_90", "a1", "resolved", ten, ten.plusMinutes(30)),
                alert("kpi_par_90", "a1", "resolved", ten, ten.plusMinutes(30)),
                alert("kpi_par_90", "a2", "firing", T0.minusHours(1), T0.minusHours(1)),
                alert("kpi_par_90", "a2", "resolved", T0.minusHours(1), T0),
                alert("kpi_par_90", "a6", "resolved", T0.minusHours(5), T0.minusHours(5).plusMinutes(90)),
                alert("job_failed", "a3", "resolved", T0.minusHours(3), T0.minusHours(3).plusMinutes(5)),
                alert("job_failed", "a4", "firing", T0.minusMinutes(30), T0.minusMinutes(30)),
                alert("job_failed", "a5", "resolved", T0.minusDays(40), T0.minusDays(40).plusHours(10)));
    }

    /** What {@code vigil query} printed and returned. */
    static final class Outcome {
        final int exit;
        final String out;
        final String err;

        Outcome(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        /** The printed table as rows of column name to cell, checking the header, rule and row count. */
        List<Map<String, String>> rows() {
            assertThat(exit).as("exit code; stderr: %s", err).isZero();
            List<String> lines = Arrays.asList(out.split("\n"));
            List<String> header = cells(lines.get(0));
            assertThat(lines.get(1)).matches("[-+]+");
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(2, lines.size() - 1)) {
                List<String> cells = cells(line);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), i < cells.size() ? cells.get(i) : "");
                }
                rows.add(row);
            }
            assertThat(lines.get(lines.size() - 1)).isEqualTo(rows.size() + (rows.size() == 1 ? " row" : " rows"));
            return rows;
        }

        private static List<String> cells(String line) {
            return Arrays.stream(line.split("\\|", -1)).map(String::trim).collect(Collectors.toList());
        }
    }

    static Outcome query(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("query"));
        all.addAll(Arrays.asList(args));
        int exit = VigilCli.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Outcome queryFile(String name) {
        return query("--warehouse", warehouse.toString(), "--file", QUERIES.resolve(name).toString());
    }

    private static Outcome sql(String statement) {
        return query("--warehouse", warehouse.toString(), statement);
    }

    private static List<String> column(List<Map<String, String>> rows, String column) {
        return rows.stream().map(r -> r.get(column)).collect(Collectors.toList());
    }

    /** A printed number, compared by value (60 and 60.0 alike). */
    private static BigDecimal number(Map<String, String> row, String column) {
        return new BigDecimal(row.get(column));
    }

    private static Map<String, String> rowWhere(List<Map<String, String>> rows, String column, String value) {
        return rows.stream().filter(r -> value.equals(r.get(column))).findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + column + " = " + value + " in " + rows));
    }

    @Test
    void everyQueryOfThePackIsCheckedHere() throws IOException {
        try (Stream<Path> files = Files.list(QUERIES)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertThat(names)
                    .containsExactly("alert_time_to_resolve.sql", "dq_trend.sql", "failure_rate_24h.sql",
                            "freshness_lag.sql", "p95_run_duration.sql", "top_failed_logons.sql",
                            "undelivered_alerts.sql");
        }
    }

    @Test
    void failureRatePerJobOverTheLast24Hours() {
        List<Map<String, String>> rows = queryFile("failure_rate_24h.sql").rows();
        // the FAIL 30 h back and the runs 26 h and more back are outside the window
        assertThat(column(rows, "job_name")).containsExactly("export.reports", "analytics.load_loans", "ingest.payments");
        Map<String, String> reports = rows.get(0);
        assertThat(reports).containsEntry("finished_runs", "3").containsEntry("failed_runs", "1")
                .containsEntry("aborted_runs", "1");
        assertThat(number(reports, "failure_rate")).isEqualByComparingTo("0.3333");
        Map<String, String> loans = rows.get(1);
        assertThat(loans).containsEntry("job_namespace", "dbt").containsEntry("finished_runs", "4")
                .containsEntry("failed_runs", "1").containsEntry("aborted_runs", "0");
        assertThat(number(loans, "failure_rate")).isEqualByComparingTo("0.25");
        assertThat(rows.get(2)).containsEntry("finished_runs", "3").containsEntry("failed_runs", "0");
        assertThat(number(rows.get(2), "failure_rate")).isEqualByComparingTo("0");
    }

    @Test
    void p50AndP95RunDurationPerJobOverTheLast7Days() {
        List<Map<String, String>> rows = queryFile("p95_run_duration.sql").rows();
        assertThat(column(rows, "job_name")).containsExactly("analytics.load_loans", "ingest.payments", "export.reports");
        Map<String, String> loans = rows.get(0);
        assertThat(loans).containsEntry("runs", "3");
        assertThat(number(loans, "p50_seconds")).isEqualByComparingTo("120");
        assertThat(number(loans, "p95_seconds")).isEqualByComparingTo("180");
        // 10, 20, ..., 100 s: the 6th and 10th values, as Trino's digest answers (not 55 and 95.5,
        // as interpolation would); the run without a start and the one 10 days back are left out
        Map<String, String> payments = rows.get(1);
        assertThat(payments).containsEntry("runs", "10");
        assertThat(number(payments, "p50_seconds")).isEqualByComparingTo("60");
        assertThat(number(payments, "p95_seconds")).isEqualByComparingTo("100");
        assertThat(number(payments, "max_seconds")).isEqualByComparingTo("100");
        assertThat(number(rows.get(2), "p95_seconds")).isEqualByComparingTo("45");
    }

    @Test
    void freshnessLagPerDataset() {
        List<Map<String, String>> rows = queryFile("freshness_lag.sql").rows();
        // legacy, 40 days back, is outside the 30-day window
        assertThat(column(rows, "dataset_name")).containsExactly("curated/reports", "curated/loans_daily", "curated/payments");
        assertThat(column(rows, "lag_minutes")).containsExactly("4350", "120", "0");
        Map<String, String> loans = rows.get(1);
        assertThat(loans).containsEntry("last_updated_at", "2026-11-02 10:00:00")
                .containsEntry("dataset_namespace", "s3://lake");
        // max_by: the job of the newest update, not the greatest job name (zz_backfill)
        assertThat(loans).containsEntry("last_updated_by", "analytics.load_loans");
    }

    @Test
    void usersWithTheMostFailedLogons() {
        List<Map<String, String>> rows = queryFile("top_failed_logons.sql").rows();
        // U3's five failures are two days old; U2's failed LogOff and successful LogOn do not count
        assertThat(column(rows, "source_user")).containsExactly("U1", "U2");
        assertThat(rows.get(0)).containsEntry("source_domain", "DOM1").containsEntry("failed_logons", "3")
                .containsEntry("destination_computers", "2").containsEntry("source_computers", "1")
                .containsEntry("first_failure", "2026-11-02 09:00:00")
                .containsEntry("last_failure", "2026-11-02 11:00:00");
        assertThat(rows.get(1)).containsEntry("failed_logons", "1");
    }

    @Test
    void alertTimeToResolveByRule() {
        List<Map<String, String>> rows = queryFile("alert_time_to_resolve.sql").rows();
        assertThat(column(rows, "rule_id")).containsExactly("kpi_par_90", "job_failed");
        Map<String, String> kpi = rows.get(0);
        // 30 (delivered twice, counted once), 60 and 90 minutes
        assertThat(kpi).containsEntry("resolved_alerts", "3");
        assertThat(number(kpi, "mean_minutes")).isEqualByComparingTo("60");
        assertThat(number(kpi, "p50_minutes")).isEqualByComparingTo("60");
        assertThat(number(kpi, "p95_minutes")).isEqualByComparingTo("90");
        // the still-firing alert and the one 40 days back are left out
        Map<String, String> job = rows.get(1);
        assertThat(job).containsEntry("resolved_alerts", "1");
        assertThat(number(job, "mean_minutes")).isEqualByComparingTo("5");
        assertThat(number(job, "p95_minutes")).isEqualByComparingTo("5");
    }

    private static GenericRowData delivery(String route, String alertId, String state, LocalDateTime emitted,
            long attempt, String status, LocalDateTime at) {
        return VigilTables.ALERT_DELIVERIES.newRow()
                .setString("sink", "slack")
                .setString("route", route)
                .setString("alert_id", alertId)
                .setString("rule_id", "kpi_par_90")
                .setString("severity", "critical")
                .setString("state", state)
                .setTimestamp("alert_emitted_at", millis(emitted))
                .setLong("attempt", attempt)
                .setString("status", status)
                .setLong("http_status", status.equals("delivered") ? 200L : 500L)
                .setTimestamp("attempted_at", millis(at))
                .build();
    }

    /**
     * a1 firing: failed twice, then delivered (not undelivered). a2 firing: failed on attempt 1
     * and 2, still failing (undelivered, 2 attempts). a1 resolved on route "pager": rejected
     * (undelivered). a3: failed 10 days back, outside the 7 days.
     */
    private static List<RowData> deliveries() {
        LocalDateTime e = T0.minusHours(2);
        List<RowData> rows = new ArrayList<>();
        rows.add(delivery("all", "a1", "firing", e, 1, "retrying", e.plusSeconds(1)));
        rows.add(delivery("all", "a1", "firing", e, 2, "failed", e.plusSeconds(3)));
        rows.add(delivery("all", "a1", "firing", e, 3, "delivered", e.plusMinutes(5)));
        rows.add(delivery("all", "a2", "firing", e, 1, "retrying", e.plusSeconds(1)));
        rows.add(delivery("all", "a2", "firing", e, 2, "failed", e.plusSeconds(3)));
        rows.add(delivery("pager", "a1", "resolved", e.plusHours(1), 1, "rejected", e.plusHours(1)));
        rows.add(delivery("all", "a3", "firing", T0.minusDays(10), 1, "failed", T0.minusDays(10)));
        return rows;
    }

    @Test
    void undeliveredAlertsAreTheLatestAttemptsThatFailed() {
        List<Map<String, String>> rows = queryFile("undelivered_alerts.sql").rows();
        assertThat(rows).extracting(r -> r.get("route") + " " + r.get("alert_id") + " " + r.get("state") + " "
                + r.get("attempts") + " " + r.get("status"))
                .containsExactly("all a2 firing 2 failed", "pager a1 resolved 1 rejected");
    }

    @Test
    void dataQualityTrendPerDay() {
        List<Map<String, String>> rows = queryFile("dq_trend.sql").rows();
        // the row_count figure of 62 days back is outside the window
        assertThat(rows).extracting(r -> r.get("day_start") + " " + r.get("subject") + " " + r.get("check_name")
                + " " + r.get("column_name")).containsExactly(
                        "2026-11-01 00:00:00 " + PAYMENTS + " not_null amount",
                        "2026-11-02 00:00:00 " + PAYMENTS + " not_null amount",
                        "2026-11-02 00:00:00 auth invalid_rate NULL");
        assertThat(rows.get(0)).containsEntry("results", "1").containsEntry("failed", "0");
        Map<String, String> nov2 = rows.get(1);
        assertThat(nov2).containsEntry("results", "2").containsEntry("failed", "1");
        assertThat(number(nov2, "mean_observed")).isEqualByComparingTo("1.5");
        assertThat(number(nov2, "max_observed")).isEqualByComparingTo("3");
        // a rate without a verdict counts as a result, not as a failure
        assertThat(rows.get(2)).containsEntry("subject_type", "source").containsEntry("results", "1")
                .containsEntry("failed", "0");
        assertThat(number(rows.get(2), "mean_observed")).isEqualByComparingTo("0.002");
    }

    @Test
    void metadataTablesShowTheFilesOfEachCommit() {
        List<Map<String, String>> rows = sql("SELECT operation, summary['added-data-files'] AS data_files, "
                + "summary['added-records'] AS added_rows FROM vigil.pipeline_runs$snapshots ORDER BY committed_at").rows();
        // the first commit wrote one file per day its runs fall on (writers distributed by partition)
        assertThat(rows).extracting(r -> r.get("operation") + " " + r.get("data_files") + " " + r.get("added_rows"))
                .containsExactly("append " + firstCommitDays + " " + firstCommitRuns, "append 1 1");
        assertThat(firstCommitDays).isGreaterThan(1);
        // Athena's spelling, with the name quoted, works too
        List<Map<String, String>> files = sql("SELECT count(*) AS n, sum(record_count) AS records "
                + "FROM \"vigil\".\"pipeline_runs$files\"").rows();
        assertThat(files.get(0)).containsEntry("n", String.valueOf(firstCommitDays + 1))
                .containsEntry("records", String.valueOf(firstCommitRuns + 1));
        assertThat(sql("SELECT count(*) AS n FROM vigil.pipeline_runs$history").rows().get(0)).containsEntry("n", "2");
        assertThat(sql("SELECT count(*) AS n FROM vigil.pipeline_runs$manifests").rows().get(0)).containsEntry("n", "2");
        // the second commit's day (T0's) is one of the first commit's
        assertThat(sql("SELECT count(*) AS n FROM vigil.pipeline_runs$partitions").rows().get(0))
                .containsEntry("n", String.valueOf(firstCommitDays));
    }

    @Test
    void showAndDescribeListTheTablesAndColumns() {
        assertThat(column(sql("SHOW TABLES").rows(), "table name"))
                .containsExactlyInAnyOrderElementsOf(VigilTables.all().stream().map(CuratedTable::name)
                        .collect(Collectors.toList()));
        assertThat(column(sql("DESCRIBE vigil.pipeline_runs").rows(), "name")).startsWith("job_namespace", "job_name");
    }

    @Test
    void trinoFunctionsBehaveAsInTrino() {
        List<Map<String, String>> rows = sql("SELECT "
                + "date_diff('hour', TIMESTAMP '2026-11-02 10:00:00', TIMESTAMP '2026-11-02 12:59:59') AS hours, "
                + "date_diff('second', TIMESTAMP '2026-11-02 10:00:01', TIMESTAMP '2026-11-02 10:00:00.5') AS back, "
                + "date_trunc('week', TIMESTAMP '2026-11-05 10:30:00') AS monday, "
                + "date_trunc('quarter', TIMESTAMP '2026-11-05 10:30:00') AS quarter_start").rows();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("hours", "2").containsEntry("back", "0")
                .containsEntry("monday", "2026-11-02 00:00:00").containsEntry("quarter_start", "2026-10-01 00:00:00");
        Map<String, String> agg = sql("SELECT count_if(x > 1) AS c, approx_percentile(x, 0.5) AS p50, "
                + "max_by(name, x) AS top FROM (VALUES (1, 'a'), (3, 'c'), (2, 'b'), (CAST(NULL AS INT), 'z')) AS t(x, name)")
                .rows().get(0);
        assertThat(agg).containsEntry("c", "2").containsEntry("p50", "2").containsEntry("top", "c");
    }

    @Test
    void statementsThatWriteAreRefused() {
        for (String statement : List.of("DROP TABLE vigil.alerts", "INSERT INTO vigil.alerts SELECT * FROM vigil.alerts",
                "CREATE TABLE vigil.x (a INT)", "-- a comment first\nDELETE FROM vigil.alerts",
                "SELECT 1; DROP TABLE vigil.alerts")) {
            Outcome o = sql(statement);
            assertThat(o.exit).as(statement).isEqualTo(2);
            assertThat(o.err).as(statement).startsWith("vigil query: ").doesNotContain("\tat ");
            assertThat(o.out).as(statement).isEmpty();
        }
        assertThat(sql("DROP TABLE vigil.alerts").err).contains("refused: 'DROP'", "read-only");
        assertThat(sql("SELECT 1; DROP TABLE vigil.alerts").err).contains("one statement at a time");
        assertThat(sql("-- a comment first\nDELETE FROM vigil.alerts").err).contains("refused: 'DELETE'");
        assertThat(column(sql("SHOW TABLES").rows(), "table name")).contains("alerts");
    }

    @Test
    void anUnknownTableIsNamedWithTheTablesThatExist() {
        Outcome o = sql("SELECT * FROM vigil.pipeline_run");
        assertThat(o.exit).isEqualTo(2);
        assertThat(o.err).contains("'pipeline_run' not found", "tables in vigil: alert_deliveries, alert_digests, alerts, auth_events,", "pipeline_runs")
                .doesNotContain("\tat ");
        Outcome typo = sql("SELEC * FROM vigil.alerts");
        assertThat(typo.exit).isEqualTo(2);
        assertThat(typo.err).contains("refused: 'SELEC'");
        Outcome column = sql("SELECT nope FROM vigil.alerts");
        assertThat(column.exit).isEqualTo(2);
        assertThat(column.err).contains("Column 'nope' not found").doesNotContain("\tat ");
    }

    @Test
    void aMissingWarehouseOrNamespaceIsAClearError() throws IOException {
        Outcome missing = query("--warehouse", tmp.resolve("nowhere").toString(), "SELECT 1");
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.err).contains("no warehouse at", "nowhere", "--warehouse").doesNotContain("\tat ");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Outcome noNamespace = query("--warehouse", empty.toString(), "SELECT 1");
        assertThat(noNamespace.exit).isEqualTo(2);
        assertThat(noNamespace.err).contains("no namespace 'vigil'").doesNotContain("\tat ");
    }

    @Test
    void helpAndUsage() {
        Outcome help = query("--help");
        assertThat(help.exit).isZero();
        assertThat(help.out).contains("vigil query [--warehouse DIR] \"SQL\"", "--file FILE", "./warehouse",
                "count_if, approx_percentile", "$snapshots");
        Outcome none = query("--warehouse", warehouse.toString());
        assertThat(none.exit).isEqualTo(2);
        assertThat(none.err).contains("no statement", "'vigil query --help' for usage");
        Outcome noFile = query("--file", "/no/such.sql");
        assertThat(noFile.exit).isEqualTo(2);
        assertThat(noFile.err).contains("no such file /no/such.sql");
        assertThat(VigilCli.USAGE).contains("query");
        // a leading comment is SQL, not an option
        assertThat(sql("-- why\nSELECT 1 AS answer").rows()).containsExactly(Map.of("answer", "1"));
    }

    @Test
    void aFailureWhileRunningExitsOneWithTheCause() {
        Outcome o = sql("SELECT date_diff(unit, ended_at, ended_at) AS d FROM vigil.pipeline_runs "
                + "CROSS JOIN (VALUES ('fortnight')) AS u(unit)");
        assertThat(o.exit).isNotZero();
        assertThat(o.err).contains("'fortnight' is not a valid Timestamp field").doesNotContain("\tat ");
    }

    @Test
    void nullsAndTimesPrintReadably() {
        Map<String, String> row = sql("SELECT error_message, started_at, ended_at, duration_ms "
                + "FROM vigil.pipeline_runs WHERE run_id = 'r-a0'").rows().get(0);
        assertThat(row).containsEntry("error_message", "boom").containsEntry("started_at", "NULL")
                .containsEntry("ended_at", "2026-11-01 06:00:00").containsEntry("duration_ms", "NULL");
    }
}
