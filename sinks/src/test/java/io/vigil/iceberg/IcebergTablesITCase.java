package io.vigil.iceberg;

import static io.vigil.iceberg.SampleEnvelopes.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.delivery.DeliveryRecord;
import io.vigil.delivery.DeliveryStatus;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.AuthEvent;
import io.vigil.model.Envelope;
import io.vigil.model.Family;
import io.vigil.model.InputFormat;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import io.vigil.testing.Samples;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replays every sample format, with invalid records among them, through the parse step into the
 * curated tables of a hadoop catalog on a MiniCluster, checkpointing every 500 ms, and reads every
 * table back.
 */
class IcebergTablesITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    final HadoopCatalogExtension warehouse = new HadoopCatalogExtension();

    /** A replay job on the MiniCluster: checkpoints every 500 ms, and a failure fails the test. */
    static StreamExecutionEnvironment replayEnvironment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IcebergTables.forBoundedInputs(conf));
        env.setParallelism(2);
        env.enableCheckpointing(500);
        return env;
    }

    static final String BAD_AUTH = "3,U9@DOM1,U9@DOM1,C1,C2,NTLM,Network,LogOn";
    static final String BAD_SHOP = "2019-10-01 00:00:30 UTC,purchase,1004856,2053013555631882655,,samsung,-1.00,543272936,s1";

    static ReplayedInputs everyFormat() {
        List<String> auth = new ArrayList<>(Samples.records(InputFormat.LANL_AUTH));
        auth.add(BAD_AUTH);
        List<String> shop = new ArrayList<>(Samples.lines(InputFormat.REES46));
        shop.add(BAD_SHOP);
        return new ReplayedInputs()
                .add("lineage", InputFormat.OPENLINEAGE, Samples.records(InputFormat.OPENLINEAGE))
                .add("kpi", InputFormat.METRICS, Samples.records(InputFormat.METRICS))
                .add("auth", InputFormat.LANL_AUTH, auth)
                .add("shop", InputFormat.REES46, shop)
                .add("shop-json", InputFormat.COMMERCE_JSON, Samples.records(InputFormat.COMMERCE_JSON));
    }

    static List<AlertEvent> alerts() {
        List<AlertEvent> out = new ArrayList<>();
        for (AlertState state : AlertState.values()) {
            AlertEvent a = new AlertEvent();
            a.alertId = "3785b94b8cf93c58fca89f49b2c355f3";
            a.ruleId = "kpi_par_90";
            a.severity = Severity.WARNING;
            a.state = state;
            a.entity = "metric par_90_pct{portfolio=abaco}";
            a.summary = "metric par_90_pct{portfolio=abaco} is 4.2 (warning: above 3)";
            a.value = 4.2;
            a.threshold = 3.0;
            a.startsAt = at("2026-11-02T10:00:00Z");
            a.eventTime = state == AlertState.FIRING ? a.startsAt : at("2026-11-02T10:30:00Z");
            a.endsAt = state == AlertState.RESOLVED ? a.eventTime : 0;
            a.labels = new Label[] {new Label("team", "risk")};
            a.runbookUrl = "deploy/rules-runbook.md#kpi_par_90";
            a.emittedAt = a.eventTime;
            out.add(a);
        }
        return out;
    }

    /** A failed and a successful attempt to deliver the firing alert to Slack. */
    static List<DeliveryRecord> deliveries() {
        List<DeliveryRecord> out = new ArrayList<>();
        for (int attempt = 1; attempt <= 2; attempt++) {
            DeliveryRecord d = new DeliveryRecord();
            AlertEvent a = alerts().get(0);
            d.sink = "slack";
            d.route = "risk-oncall";
            d.alertId = a.alertId;
            d.ruleId = a.ruleId;
            d.severity = a.severity.wire();
            d.state = a.state.wire();
            d.alertEmittedAt = a.emittedAt;
            d.attempt = attempt;
            d.status = attempt == 1 ? DeliveryStatus.RETRYING : DeliveryStatus.DELIVERED;
            d.httpStatus = attempt == 1 ? 500 : 200;
            d.latencyMs = 12L;
            d.attemptedAt = a.emittedAt + attempt * 1000 - 1000;
            d.nextAttemptAt = attempt == 1 ? a.emittedAt + 2000 : null;
            d.error = attempt == 1 ? "HTTP 500" : null;
            d.alertIds = new String[] {a.alertId};
            out.add(d);
        }
        return out;
    }

    /** One route's digest of the day of the alerts. */
    static List<io.vigil.delivery.AlertDigest> digests() {
        io.vigil.delivery.AlertDigest d = new io.vigil.delivery.AlertDigest();
        d.sink = "slack";
        d.route = "risk-oncall";
        d.periodStart = at("2026-11-02T07:00:00Z");
        d.periodEnd = at("2026-11-03T07:00:00Z");
        d.zone = "Europe/Madrid";
        d.fired = 1;
        d.resolved = 1;
        d.topEntities = new String[] {alerts().get(0).entity};
        d.topEntityFirings = new int[] {1};
        d.meanResolveMs = 1_800_000L;
        d.medianResolveMs = 1_800_000L;
        return java.util.Collections.singletonList(d);
    }

    private static long millis(Object localDateTime) {
        return ((LocalDateTime) localDateTime).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static List<Record> where(List<Record> rows, Predicate<Record> p) {
        return rows.stream().filter(p).collect(Collectors.toList());
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void replayWritesEveryTable() throws Exception {
        StreamExecutionEnvironment env = replayEnvironment();
        IcebergTables tables = IcebergTables.in(warehouse.config())
                .invalidRateThresholds(Map.of(Family.AUTH, 0.001, Family.COMMERCE, 0.1));
        tables.write(everyFormat().envelopes(env), env.fromData(alerts(), TypeInformation.of(AlertEvent.class)));
        tables.writeDeliveries(env.fromData(deliveries(), TypeInformation.of(DeliveryRecord.class)));
        tables.writeDigests(env.fromData(digests(), TypeInformation.of(io.vigil.delivery.AlertDigest.class)));
        env.execute("iceberg-tables-it");

        // families: counts equal the valid input per family, dead_letter the invalid ones
        assertThat(warehouse.rows(VigilTables.METRIC_SAMPLES)).hasSize(3);
        assertThat(warehouse.rows(VigilTables.AUTH_EVENTS)).hasSize(14);
        assertThat(warehouse.rows(VigilTables.COMMERCE_EVENTS)).hasSize(8 + 2);
        List<Record> dead = warehouse.rows(VigilTables.DEAD_LETTER);
        assertThat(dead).extracting(r -> r.getField("source") + ":" + r.getField("reason"))
                .containsExactlyInAnyOrder("auth:MALFORMED_CSV", "shop:OUT_OF_RANGE");
        Record badShop = where(dead, r -> r.getField("source").equals("shop")).get(0);
        assertThat(badShop.getField("payload")).isEqualTo(BAD_SHOP);
        assertThat(millis(badShop.getField("counted_at"))).isEqualTo(at("2019-10-01T00:00:30Z"));
        assertThat(badShop.getField("received_at")).as("replay: arrival is the counting time")
                .isEqualTo(badShop.getField("counted_at"));

        // runs: the COMPLETE with its START, the FAIL without; the RUNNING run is not finished
        List<Record> runs = warehouse.rows(VigilTables.PIPELINE_RUNS);
        assertThat(runs).extracting(r -> r.getField("status")).containsExactlyInAnyOrder("COMPLETE", "FAIL");
        Record complete = where(runs, r -> r.getField("status").equals("COMPLETE")).get(0);
        assertThat(complete.getField("duration_ms")).isEqualTo(460_878L);
        assertThat(millis(complete.getField("started_at"))).isEqualTo(at("2026-11-02T10:00:00.123Z"));
        assertThat(complete.getField("output_rows")).isEqualTo(120_438L);
        Record failed = where(runs, r -> r.getField("status").equals("FAIL")).get(0);
        assertThat(failed.getField("started_at")).isNull();
        assertThat(failed.getField("job_name")).isEqualTo("analytics.stg_payments");

        List<Record> updates = warehouse.rows(VigilTables.DATASET_UPDATES);
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).getField("dataset_name")).isEqualTo("curated/loans_daily");
        assertThat(updates.get(0).getField("row_count")).isEqualTo(120_438L);

        List<Record> dq = warehouse.rows(VigilTables.DQ_RESULTS);
        assertThat(where(dq, r -> r.getField("subject_type").equals("dataset"))).hasSize(9);
        List<Record> failedChecks = where(dq, r -> Boolean.FALSE.equals(r.getField("passed")));
        assertThat(failedChecks).extracting(r -> r.getField("subject") + " " + r.getField("check_name"))
                .containsExactlyInAnyOrder("snowflake://acme/raw.payments not_null", "auth invalid_rate",
                        "shop invalid_rate");
        Record shopRate = where(dq, r -> r.getField("subject").equals("shop")).get(0);
        assertThat(shopRate.getField("observed_value")).isEqualTo(1.0 / 9);
        assertThat(shopRate.getField("threshold")).isEqualTo(0.1);
        assertThat(shopRate.getField("passed")).isEqualTo(false);
        assertThat(where(dq, r -> r.getField("subject").equals("kpi")).get(0).getField("passed")).isNull();

        // auth_user_features: one row per user with a known name, all in the first window
        Set<String> users = new HashSet<>();
        for (Envelope e : SampleEnvelopes.of(InputFormat.LANL_AUTH)) {
            AuthEvent a = e.auth;
            if (a.sourceUser != null) {
                users.add(a.sourcePrincipal());
            }
        }
        List<Record> features = warehouse.rows(VigilTables.AUTH_USER_FEATURES);
        assertThat(features).hasSize(users.size());
        Record u22 = where(features, r -> r.getField("source_user").equals("U22")).get(0);
        assertThat(u22.getField("auth_events")).isEqualTo(2L);
        assertThat(u22.getField("failures")).isEqualTo(2L);
        assertThat(u22.getField("failure_rate")).isEqualTo(1.0);
        assertThat(u22.getField("distinct_destination_computers")).isEqualTo(1L);
        assertThat(millis(u22.getField("window_end"))).isEqualTo(300_000L);

        List<Record> commerce = warehouse.rows(VigilTables.COMMERCE_METRICS);
        assertThat(commerce).hasSize(3); // shop: one minute; shop-json: two minutes seven years apart
        Record shopMinute = where(commerce, r -> r.getField("source").equals("shop")).get(0);
        assertThat(shopMinute.getField("views")).isEqualTo(5L);
        assertThat(shopMinute.getField("purchases")).isEqualTo(1L);
        assertThat(shopMinute.getField("revenue")).isEqualTo(130.76);
        assertThat(shopMinute.getField("invalid_events")).isEqualTo(1L);
        assertThat(shopMinute.getField("view_to_purchase")).isEqualTo(0.2);

        List<Record> alertRows = warehouse.rows(VigilTables.ALERTS);
        assertThat(alertRows).extracting(r -> r.getField("state")).containsExactlyInAnyOrder("firing", "resolved");
        Record resolved = where(alertRows, r -> r.getField("state").equals("resolved")).get(0);
        assertThat(millis(resolved.getField("ends_at"))).isEqualTo(at("2026-11-02T10:30:00Z"));
        assertThat(resolved.getField("labels")).isEqualTo(Map.of("team", "risk"));

        List<Record> deliveryRows = warehouse.rows(VigilTables.ALERT_DELIVERIES);
        assertThat(deliveryRows).extracting(r -> r.getField("status") + " " + r.getField("http_status"))
                .containsExactlyInAnyOrder("retrying 500", "delivered 200");
        Record retrying = where(deliveryRows, r -> r.getField("status").equals("retrying")).get(0);
        assertThat(millis(retrying.getField("next_attempt_at"))).isEqualTo(at("2026-11-02T10:00:02Z"));
        assertThat(retrying.getField("attempt")).isEqualTo(1L);
        assertThat(retrying.getField("alert_ids")).isEqualTo(List.of(alerts().get(0).alertId));

        List<Record> digestRows = warehouse.rows(VigilTables.ALERT_DIGESTS);
        assertThat(digestRows).hasSize(1);
        assertThat(millis(digestRows.get(0).getField("period_end"))).isEqualTo(at("2026-11-03T07:00:00Z"));
        assertThat(digestRows.get(0).getField("top_entities")).isEqualTo(List.of(alerts().get(0).entity));

        // committed by the job's checkpoints: every table's snapshot carries the Flink job id
        for (CuratedTable t : VigilTables.all()) {
            Table table = warehouse.table(t);
            Snapshot current = table.currentSnapshot();
            assertThat(current).as(t.name()).isNotNull();
            assertThat(current.summary()).as(t.name()).containsKey("flink.job-id");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theTablePathNeedsNoKryo() throws Exception {
        // rows, writers and committers, with generic types off (FlinkSink's writers sent their
        // results through Kryo; TableFileWriter's are a checkpoint id and bytes)
        StreamExecutionEnvironment env = replayEnvironment();
        env.getConfig().disableGenericTypes();
        IcebergTables tables = IcebergTables.in(warehouse.config());
        tables.createMissingTables();
        Map<CuratedTable, DataStream<RowData>> rows = tables.rows(everyFormat().envelopes(env),
                        env.fromData(alerts(), TypeInformation.of(AlertEvent.class)));
        // alert_deliveries comes from the delivery records, not the envelopes and alerts
        List<CuratedTable> fromEnvelopes = new ArrayList<>(VigilTables.all());
        fromEnvelopes.remove(VigilTables.ALERT_DELIVERIES);
        fromEnvelopes.remove(VigilTables.ALERT_DIGESTS);
        assertThat(rows.keySet()).containsExactlyElementsOf(fromEnvelopes);
        rows.put(VigilTables.ALERT_DELIVERIES, env.fromData(deliveries(), TypeInformation.of(DeliveryRecord.class))
                .map(TableRows::delivery, VigilTables.ALERT_DELIVERIES.typeInfo()));
        rows.put(VigilTables.ALERT_DIGESTS, env.fromData(digests(), TypeInformation.of(io.vigil.delivery.AlertDigest.class))
                .map(TableRows::digest, VigilTables.ALERT_DIGESTS.typeInfo()));
        for (Map.Entry<CuratedTable, DataStream<RowData>> t : rows.entrySet()) {
            tables.append(t.getKey(), t.getValue());
        }
        env.execute("row-streams-without-kryo");
        assertThat(warehouse.rows(VigilTables.AUTH_EVENTS)).isNotEmpty();
        assertThat(warehouse.rows(VigilTables.ALERT_DELIVERIES)).hasSize(deliveries().size());
    }
}
