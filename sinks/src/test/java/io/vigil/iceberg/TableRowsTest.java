package io.vigil.iceberg;

import static io.vigil.iceberg.SampleEnvelopes.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.delivery.DeliveryRecord;
import io.vigil.delivery.DeliveryStatus;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.Label;
import io.vigil.model.ReasonCode;
import io.vigil.model.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class TableRowsTest {
    private final List<Envelope> lineage = SampleEnvelopes.of(InputFormat.OPENLINEAGE);
    private final Envelope start = lineage.get(0);
    private final Envelope complete = lineage.get(1);
    private final Envelope fail = lineage.get(2);
    private final Envelope running = lineage.get(3);

    /** Every field has the class its Flink type needs: the table's own serializer takes the row. */
    private static RowValues written(CuratedTable table, RowData row) throws Exception {
        TypeSerializer<RowData> s = table.typeInfo().createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(row, out);
        RowData back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.getArity()).isEqualTo(table.schema().columns().size());
        return new RowValues(table, back);
    }

    @Test
    void finishedRunWithItsStartHasDurationAndOutputRows() throws Exception {
        RowValues r = written(VigilTables.PIPELINE_RUNS, TableRows.pipelineRun(complete, start.run.eventTime));
        assertThat(r.get("job_namespace")).isEqualTo("airflow-prod");
        assertThat(r.get("job_name")).isEqualTo("loans_daily.transform");
        assertThat(r.get("run_id")).isEqualTo("01932d4e-7a3b-7c1e-9a55-3f1c2b8e4d01");
        assertThat(r.get("status")).isEqualTo("COMPLETE");
        assertThat(r.get("started_at")).isEqualTo(at("2026-11-02T10:00:00.123Z"));
        assertThat(r.get("ended_at")).isEqualTo(at("2026-11-02T10:07:41.001Z"));
        assertThat(r.get("duration_ms")).isEqualTo(460_878L);
        assertThat(r.get("error_message")).isNull();
        assertThat(r.get("output_rows")).isEqualTo(120_438L);
        assertThat(r.get("source")).isEqualTo("test-openlineage");
    }

    @Test
    void finishedRunWithoutStartHasNoStartNorDuration() throws Exception {
        RowValues r = written(VigilTables.PIPELINE_RUNS, TableRows.pipelineRun(fail, null));
        assertThat(r.get("status")).isEqualTo("FAIL");
        assertThat(r.get("started_at")).isNull();
        assertThat(r.get("duration_ms")).isNull();
        assertThat(r.get("output_rows")).as("no output reported a count").isNull();
        assertThat((String) r.get("error_message")).startsWith("Database Error in model stg_payments");
    }

    @Test
    void startAfterEndIsKeptWithoutDuration() throws Exception {
        long end = complete.run.eventTime;
        RowValues r = written(VigilTables.PIPELINE_RUNS, TableRows.pipelineRun(complete, end + 5));
        assertThat(r.get("started_at")).isEqualTo(end + 5);
        assertThat(r.get("duration_ms")).isNull();
    }

    @Test
    void onlyFinishedRunsHaveARunRow() {
        assertThatThrownBy(() -> TableRows.pipelineRun(running, null))
                .hasMessageContaining("01932dab-2222-7000-8000-0000000000ef is not finished: RUNNING");
    }

    @Test
    void completeRunUpdatesItsOutputs() throws Exception {
        assertThat(TableRows.datasetUpdates(fail)).isEmpty();
        assertThat(TableRows.datasetUpdates(start)).isEmpty();
        List<RowData> rows = TableRows.datasetUpdates(complete);
        assertThat(rows).hasSize(1);
        RowValues r = written(VigilTables.DATASET_UPDATES, rows.get(0));
        assertThat(r.get("dataset_namespace")).isEqualTo("s3://abaco-lake");
        assertThat(r.get("dataset_name")).isEqualTo("curated/loans_daily");
        assertThat(r.get("job_name")).isEqualTo("loans_daily.transform");
        assertThat(r.get("run_id")).isEqualTo("01932d4e-7a3b-7c1e-9a55-3f1c2b8e4d01");
        assertThat(r.get("updated_at")).isEqualTo(at("2026-11-02T10:07:41.001Z"));
        assertThat(r.get("row_count")).isEqualTo(120_438L);
    }

    @Test
    void inputFacetsGiveAssertionsWithVerdictsAndFiguresWithout() throws Exception {
        List<RowData> rows = TableRows.dataQualityResults(complete);
        // 3 assertions, the row count, null and distinct counts of 2 columns
        assertThat(rows).hasSize(8);
        Map<String, RowValues> byCheck = new LinkedHashMap<>();
        for (RowData row : rows) {
            RowValues r = written(VigilTables.DQ_RESULTS, row);
            byCheck.put(r.get("check_name") + "(" + r.get("column_name") + ")", r);
            assertThat(r.get("subject_type")).isEqualTo("dataset");
            assertThat(r.get("subject")).isEqualTo("postgres://loans-db:5432/public.loans");
            assertThat(r.get("window_start")).isEqualTo(complete.run.eventTime);
            assertThat(r.get("window_end")).isEqualTo(complete.run.eventTime);
            assertThat(r.get("run_id")).isEqualTo(complete.run.runId);
            assertThat(r.get("threshold")).isNull();
        }
        assertThat(byCheck).containsOnlyKeys("not_null(loan_id)", "unique(loan_id)", "row_count_between(null)",
                "row_count(null)", "null_count(loan_id)", "distinct_count(loan_id)", "null_count(borrower_id)",
                "distinct_count(borrower_id)");
        assertThat(byCheck.get("not_null(loan_id)").get("passed")).isEqualTo(true);
        assertThat(byCheck.get("not_null(loan_id)").get("observed_value")).isNull();
        assertThat(byCheck.get("row_count(null)").get("observed_value")).isEqualTo(120_450.0);
        assertThat(byCheck.get("row_count(null)").get("passed")).isNull();
        assertThat(byCheck.get("null_count(borrower_id)").get("observed_value")).isEqualTo(12.0);

        List<RowData> failed = TableRows.dataQualityResults(fail);
        assertThat(failed).hasSize(1);
        RowValues f = written(VigilTables.DQ_RESULTS, failed.get(0));
        assertThat(f.get("check_name")).isEqualTo("not_null");
        assertThat(f.get("column_name")).isEqualTo("amount");
        assertThat(f.get("passed")).isEqualTo(false);
        assertThat(f.get("subject")).isEqualTo("snowflake://acme/raw.payments");
    }

    @Test
    void sourceInvalidRateIsJudgedAgainstItsThresholdWhenThereIsOne() throws Exception {
        RowValues judged = written(VigilTables.DQ_RESULTS, TableRows.sourceInvalidRate("shop", 0, 300_000, 9, 1, 0.05));
        assertThat(judged.get("subject_type")).isEqualTo("source");
        assertThat(judged.get("subject")).isEqualTo("shop");
        assertThat(judged.get("check_name")).isEqualTo("invalid_rate");
        assertThat(judged.get("observed_value")).isEqualTo(0.1);
        assertThat(judged.get("threshold")).isEqualTo(0.05);
        assertThat(judged.get("passed")).isEqualTo(false);
        assertThat(judged.get("window_end")).isEqualTo(300_000L);
        assertThat(judged.get("run_id")).isNull();
        RowValues atThreshold = written(VigilTables.DQ_RESULTS, TableRows.sourceInvalidRate("shop", 0, 1, 19, 1, 0.05));
        assertThat(atThreshold.get("passed")).isEqualTo(true);
        RowValues unjudged = written(VigilTables.DQ_RESULTS, TableRows.sourceInvalidRate("kpi", 0, 1, 0, 3, null));
        assertThat(unjudged.get("observed_value")).isEqualTo(1.0);
        assertThat(unjudged.get("passed")).isNull();
    }

    @Test
    void metricSampleKeepsItsLabels() throws Exception {
        List<Envelope> metrics = SampleEnvelopes.of(InputFormat.METRICS);
        RowValues r = written(VigilTables.METRIC_SAMPLES, TableRows.metricSample(metrics.get(1)));
        assertThat(r.get("name")).isEqualTo("collection_rate_pct");
        assertThat(r.get("value")).isEqualTo(1.37);
        assertThat(r.get("event_time")).isEqualTo(1_793_613_600_000L);
        assertThat(r.get("labels")).isEqualTo(Map.of("portfolio", "abaco", "segment", "sme"));
        RowValues unlabelled = written(VigilTables.METRIC_SAMPLES, TableRows.metricSample(metrics.get(2)));
        assertThat(unlabelled.get("labels")).isEqualTo(Map.of());
        assertThat(unlabelled.get("event_time")).isEqualTo(at("2026-11-02T10:00:30.500Z"));
    }

    @Test
    void authEventHasUsersAndDomainsSplitAndUnknownsNull() throws Exception {
        Envelope e = SampleEnvelopes.decode(InputFormat.LANL_AUTH, "1,C1154$@DOM1,SYSTEM@C1154,C1154,C625,?,?,TGS,Fail");
        RowValues r = written(VigilTables.AUTH_EVENTS, TableRows.authEvent(e));
        assertThat(r.get("event_time")).isEqualTo(1_000L);
        assertThat(r.get("source_user")).isEqualTo("C1154$");
        assertThat(r.get("source_domain")).isEqualTo("DOM1");
        assertThat(r.get("destination_user")).isEqualTo("SYSTEM");
        assertThat(r.get("destination_domain")).isEqualTo("C1154");
        assertThat(r.get("source_computer")).isEqualTo("C1154");
        assertThat(r.get("destination_computer")).isEqualTo("C625");
        assertThat(r.get("auth_type")).isNull();
        assertThat(r.get("logon_type")).isNull();
        assertThat(r.get("orientation")).isEqualTo("TGS");
        assertThat(r.get("success")).isEqualTo(false);
        assertThat(r.get("source")).isEqualTo("test-lanl-auth");
    }

    @Test
    void commerceEventIsTyped() throws Exception {
        List<Envelope> shop = SampleEnvelopes.of(InputFormat.REES46);
        Envelope purchase = shop.get(shop.size() - 1);
        RowValues r = written(VigilTables.COMMERCE_EVENTS, TableRows.commerceEvent(purchase));
        assertThat(r.get("event_time")).isEqualTo(at("2019-10-01T00:00:12Z"));
        assertThat(r.get("event_type")).isEqualTo("purchase");
        assertThat(r.get("product_id")).isEqualTo(1_004_856L);
        assertThat(r.get("category_id")).isEqualTo(2_053_013_555_631_882_655L);
        assertThat(r.get("category_code")).isEqualTo("electronics.smartphone");
        assertThat(r.get("brand")).isEqualTo("samsung");
        assertThat(r.get("price")).isEqualTo(130.76);
        assertThat(r.get("user_id")).isEqualTo(543_272_936L);
        assertThat(r.get("user_session")).isEqualTo("8187d148-3c41-46d4-b0c0-9c08cd9dc564");
        RowValues noCategory = written(VigilTables.COMMERCE_EVENTS, TableRows.commerceEvent(shop.get(0)));
        assertThat(noCategory.get("category_code")).isNull();
    }

    private static AlertEvent alert(AlertState state) {
        AlertEvent a = new AlertEvent();
        a.alertId = "0f3c";
        a.ruleId = "dataset_freshness";
        a.severity = Severity.CRITICAL;
        a.state = state;
        a.entity = "dataset s3://lake/silver/orders";
        a.summary = "dataset s3://lake/silver/orders not updated for 4h01m (critical above 4h)";
        a.value = 14_460_000;
        a.threshold = Double.NaN;
        a.eventTime = 1_793_613_600_000L;
        a.startsAt = 1_793_606_400_000L;
        a.endsAt = state == AlertState.RESOLVED ? a.eventTime : 0;
        a.labels = new Label[] {new Label("team", "data-platform"), new Label("tier", "1")};
        a.runbookUrl = "deploy/rules-runbook.md#dataset_freshness";
        a.emittedAt = 1_793_613_600_123L;
        return a;
    }

    @Test
    void alertFollowsTheContract() throws Exception {
        RowValues firing = written(VigilTables.ALERTS, TableRows.alert(alert(AlertState.FIRING)));
        assertThat(firing.get("alert_id")).isEqualTo("0f3c");
        assertThat(firing.get("rule_id")).isEqualTo("dataset_freshness");
        assertThat(firing.get("severity")).isEqualTo("critical");
        assertThat(firing.get("state")).isEqualTo("firing");
        assertThat(firing.get("value")).isEqualTo(14_460_000.0);
        assertThat(firing.get("threshold")).as("NaN: the rule has none").isNull();
        assertThat(firing.get("event_time")).isEqualTo(1_793_613_600_000L);
        assertThat(firing.get("starts_at")).isEqualTo(1_793_606_400_000L);
        assertThat(firing.get("ends_at")).as("firing: no end").isNull();
        assertThat(firing.get("labels")).isEqualTo(Map.of("team", "data-platform", "tier", "1"));
        assertThat(firing.get("runbook_url")).isEqualTo("deploy/rules-runbook.md#dataset_freshness");
        assertThat(firing.get("emitted_at")).isEqualTo(1_793_613_600_123L);
        RowValues resolved = written(VigilTables.ALERTS, TableRows.alert(alert(AlertState.RESOLVED)));
        assertThat(resolved.get("state")).isEqualTo("resolved");
        assertThat(resolved.get("ends_at")).isEqualTo(1_793_613_600_000L);
    }

    @Test
    void deliveryAttemptsKeepTheirOutcomeAndLeaveUnknownsNull() throws Exception {
        DeliveryRecord d = new DeliveryRecord();
        d.sink = "sns";
        d.route = "arn:aws:sns:eu-west-1:123456789012:vigil-critical.fifo";
        d.alertId = "0f3c";
        d.alertIds = new String[] {"0f3c"};
        d.ruleId = "dataset_freshness";
        d.severity = "critical";
        d.state = "firing";
        d.alertEmittedAt = 1_793_613_600_123L;
        d.attempt = 3;
        d.status = DeliveryStatus.FAILED;
        d.httpStatus = 400;
        d.latencyMs = 41L;
        d.attemptedAt = 1_793_613_660_000L;
        d.nextAttemptAt = 1_793_613_960_000L;
        d.error = "Throttling: Rate exceeded";
        RowValues r = written(VigilTables.ALERT_DELIVERIES, TableRows.delivery(d));
        assertThat(r.get("sink")).isEqualTo("sns");
        assertThat(r.get("route")).isEqualTo("arn:aws:sns:eu-west-1:123456789012:vigil-critical.fifo");
        assertThat(r.get("alert_id")).isEqualTo("0f3c");
        assertThat(r.get("rule_id")).isEqualTo("dataset_freshness");
        assertThat(r.get("severity")).isEqualTo("critical");
        assertThat(r.get("state")).isEqualTo("firing");
        assertThat(r.get("alert_emitted_at")).isEqualTo(1_793_613_600_123L);
        assertThat(r.get("attempt")).isEqualTo(3L);
        assertThat(r.get("status")).isEqualTo("failed");
        assertThat(r.get("http_status")).isEqualTo(400L);
        assertThat(r.get("latency_ms")).isEqualTo(41L);
        assertThat(r.get("attempted_at")).isEqualTo(1_793_613_660_000L);
        assertThat(r.get("next_attempt_at")).isEqualTo(1_793_613_960_000L);
        assertThat(r.get("error")).isEqualTo("Throttling: Rate exceeded");
        assertThat(r.get("message_id")).isNull();
        assertThat(r.get("alert_ids")).isEqualTo(java.util.Arrays.asList("0f3c"));

        DeliveryRecord timeout = new DeliveryRecord();
        timeout.sink = "slack";
        timeout.route = "oncall";
        timeout.alertId = "0f3c";
        timeout.ruleId = "dataset_freshness";
        timeout.severity = "critical";
        timeout.state = "resolved";
        timeout.attempt = 1;
        timeout.status = DeliveryStatus.RETRYING;
        timeout.attemptedAt = 1L;
        RowValues t = written(VigilTables.ALERT_DELIVERIES, TableRows.delivery(timeout));
        assertThat(t.get("http_status")).as("no response").isNull();
        assertThat(t.get("latency_ms")).isNull();
        assertThat(t.get("next_attempt_at")).isNull();
        assertThat(t.get("alert_ids")).as("a record from before alert_ids").isNull();
        DeliveryRecord noStatus = timeout;
        noStatus.status = null;
        assertThatThrownBy(() -> TableRows.delivery(noStatus)).hasMessage("alert_deliveries.status is required but not set");
    }

    @Test
    void aDigestKeepsItsPeriodCountsTopEntitiesAndNullTimesWithoutResolutions() throws Exception {
        io.vigil.delivery.AlertDigest d = new io.vigil.delivery.AlertDigest();
        d.sink = "slack";
        d.route = "risk";
        d.periodStart = 1_793_613_600_000L;
        d.periodEnd = 1_793_689_200_000L;
        d.zone = "Europe/Madrid";
        d.fired = 5;
        d.resolved = 3;
        d.stillFiring = 2;
        d.topEntities = new String[] {"portfolio=e1", "portfolio=e2"};
        d.topEntityFirings = new int[] {2, 1};
        d.meanResolveMs = 2_000_000L;
        d.medianResolveMs = 1_800_000L;
        RowValues r = written(VigilTables.ALERT_DIGESTS, TableRows.digest(d));
        assertThat(r.get("period_start")).isEqualTo(1_793_613_600_000L);
        assertThat(r.get("period_end")).isEqualTo(1_793_689_200_000L);
        assertThat(r.get("zone")).isEqualTo("Europe/Madrid");
        assertThat(r.get("fired")).isEqualTo(5L);
        assertThat(r.get("resolved")).isEqualTo(3L);
        assertThat(r.get("still_firing")).isEqualTo(2L);
        assertThat(r.get("top_entities")).isEqualTo(java.util.Arrays.asList("portfolio=e1", "portfolio=e2"));
        assertThat(r.get("mean_resolve_ms")).isEqualTo(2_000_000L);
        assertThat(r.get("median_resolve_ms")).isEqualTo(1_800_000L);
        d.meanResolveMs = null;
        d.medianResolveMs = null;
        assertThat(written(VigilTables.ALERT_DIGESTS, TableRows.digest(d)).get("median_resolve_ms")).isNull();
    }

    @Test
    void deadLetterKeepsReasonPayloadAndBothTimes() throws Exception {
        Envelope e = SampleEnvelopes.decode(InputFormat.REES46,
                "2019-10-01 00:00:12 UTC,purchase,1004856,2053013555631882655,,samsung,-1.00,543272936,s1");
        assertThat(e.isValid()).isFalse();
        e.eventTime = 42_000L; // the parse operator's counting time
        RowValues r = written(VigilTables.DEAD_LETTER, TableRows.deadLetter(e));
        assertThat(r.get("source")).isEqualTo("test-rees46");
        assertThat(r.get("format")).isEqualTo("rees46");
        assertThat(r.get("received_at")).isEqualTo(1_000L);
        assertThat(r.get("counted_at")).isEqualTo(42_000L);
        assertThat(r.get("reason")).isEqualTo(ReasonCode.OUT_OF_RANGE.name());
        assertThat((String) r.get("detail")).contains("price");
        assertThat((String) r.get("payload")).endsWith(",-1.00,543272936,s1");
        assertThat(r.get("payload_encoding")).isEqualTo("utf8");
        assertThat(r.get("payload_truncated")).isEqualTo(false);
        assertThat(r.get("payload_bytes")).isEqualTo((long) ((String) r.get("payload")).length());
        assertThat(r.get("origin")).isEqualTo("test");

        e.deadLetter.receivedAt = io.vigil.model.RawRecord.NO_RECEIVE_TIME;
        assertThat(written(VigilTables.DEAD_LETTER, TableRows.deadLetter(e)).get("received_at"))
                .as("no arrival clock: counts at its counting time").isEqualTo(42_000L);
    }

    @Test
    void rowBuilderNamesTheColumnOfAMistake() {
        assertThatThrownBy(() -> VigilTables.ALERTS.newRow().setString("severty", "x"))
                .hasMessage("alerts has no column 'severty'");
        assertThatThrownBy(() -> VigilTables.ALERTS.newRow().setLong("value", 3L))
                .hasMessage("alerts.value is DOUBLE, not LONG");
        assertThatThrownBy(() -> VigilTables.METRIC_SAMPLES.newRow().setString("name", "m").build())
                .hasMessage("metric_samples.value is required but not set");
    }

    /** Strings are encoded to UTF-8 when the row is made: text beyond ASCII and beyond the BMP reads back whole. */
    @Test
    void textBeyondAsciiReadsBackWhole() throws Exception {
        String name = "d\u00e9bit_r\u00e4te_\u65e5\u672c_\ud83d\udea8";
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("r\u00e9gion", "\u00e5land \ud83c\udf0d");
        labels.put("empty", "");
        RowValues r = written(VigilTables.METRIC_SAMPLES, VigilTables.METRIC_SAMPLES.newRow()
                .setString("name", name).setDouble("value", 1.0).setTimestamp("event_time", 0L)
                .setStringMap("labels", labels).setString("source", "").build());
        assertThat(r.get("name")).isEqualTo(name);
        assertThat(r.get("labels")).isEqualTo(labels);
        assertThat(r.get("source")).isEqualTo("");
    }
}
