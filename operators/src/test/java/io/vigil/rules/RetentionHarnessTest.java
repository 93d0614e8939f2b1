package io.vigil.rules;

import static io.vigil.rules.EvaluatorDriver.MIN;
import static io.vigil.rules.EvaluatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.InputFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * Bounded state: entities silent for their rule's retention are retired (a firing alert resolves as
 * expired, state and timers go), keys that hold nothing are released at once, and each rule tracks
 * at most max_entities, with one alert saying how many were turned away.
 */
class RetentionHarnessTest {
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;

    private static String complete(String runId, long t, String dataset) {
        return EvaluatorDriver.run("COMPLETE", runId, "loader", t,
                ",\"outputs\":[{\"namespace\":\"s3://lake\",\"name\":\"" + dataset + "\"}]");
    }

    @Test
    void aDatasetNeverWrittenAgainIsRetiredAfterItsRetentionAndLeavesNothing() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(
                "  - id: dataset_freshness\n    kind: dataset_freshness\n    warning: 2h\n    critical: 4h\n"))) {
            d.h.open();
            assertThat(d.set.rule("dataset_freshness").retentionMs).isEqualTo(7 * DAY); // the default
            d.line(InputFormat.OPENLINEAGE, "ol", complete("r1", T0, "orders"));
            d.time(T0 + 6 * DAY);
            List<String> alerts = d.alerts();
            assertThat(alerts).first().isEqualTo("dataset_freshness firing warning @7200s dataset s3://lake/orders");
            assertThat(alerts).allMatch(a -> a.startsWith("dataset_freshness firing"));
            assertThat(alerts).hasSize(2 + 35); // warning, critical, then every 4h up to day 6
            d.time(T0 + 8 * DAY);
            List<AlertEvent> out = d.h.extractOutputValues();
            AlertEvent last = out.get(out.size() - 1);
            assertThat(last.state).isEqualTo(AlertState.RESOLVED);
            assertThat(last.eventTime).isEqualTo(T0 + 7 * DAY);
            assertThat(last.summary).isEqualTo("dataset s3://lake/orders: no input for 168h; expired (retention 168h), no longer tracked");
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
            assertThat(d.h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aSeriesThatStopsWhileFiringResolvesAsExpiredAtItsRetention() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules("  - id: kpi\n    kind: metric_threshold\n"
                + "    select: {metric: par_90_pct}\n    warning: 3\n    retention: 2d\n    repeat_interval: 1d\n"))) {
            d.h.open();
            d.line(InputFormat.METRICS, "kpi", EvaluatorDriver.metric("par_90_pct", 4, T0));
            d.line(InputFormat.METRICS, "kpi", EvaluatorDriver.metric("par_90_pct", 4, T0 + HOUR)); // then nothing
            d.time(T0 + 3 * DAY);
            assertThat(d.alerts()).containsExactly(
                    "kpi firing warning @0s metric par_90_pct{portfolio=abaco}",
                    "kpi firing warning @86400s metric par_90_pct{portfolio=abaco}",
                    "kpi firing warning @172800s metric par_90_pct{portfolio=abaco}",
                    "kpi resolved warning @176400s metric par_90_pct{portfolio=abaco}"); // 1h + 2d
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aKeyThatHoldsNothingIsReleasedAtOnceNotAtItsRetention() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules("  - id: kpi\n    kind: metric_threshold\n"
                + "    select: {metric: par_90_pct}\n    warning: 3\n    max_entities: 1\n"))) {
            d.h.open();
            // two series that never breach: each is released after its sample, so the cap of one never bites
            for (int i = 0; i < 10; i++) {
                d.line(InputFormat.METRICS, "kpi", "{\"name\":\"par_90_pct\",\"value\":1,\"time\":" + (T0 + i * MIN)
                        + ",\"labels\":{\"portfolio\":\"p" + (i % 2) + "\"}}");
                d.time(T0 + i * MIN); // the watermark follows, as in the pipeline: held samples are judged
            }
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
            assertThat(d.h.extractOutputValues()).isEmpty();
        }
    }

    /**
     * 100,000 distinct dataset names within an hour, then silence: the rule tracks its cap of them
     * (10,000 by default), alerts only for those, says once how many it turned away, and frees all
     * of it at the retention.
     */
    @Test
    void aFloodOfDistinctNamesStaysUnderTheCapAndIsFreedByRetention() throws Exception {
        int names = 100_000;
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules("  - id: dataset_freshness\n"
                + "    kind: dataset_freshness\n    warning: 2h\n    critical: 4h\n    repeat_interval: 1d\n"))) {
            d.h.open();
            int cap = d.set.rule("dataset_freshness").maxEntities;
            assertThat(cap).isEqualTo(10_000); // the default
            for (int i = 0; i < names; i++) {
                d.line(InputFormat.OPENLINEAGE, "ol", complete("r" + i, T0 + i * 36L, "flood_" + i));
            }
            int during = d.keyedState();
            // per tracked dataset: its active and last-seen times; without the cap, ten times as many
            assertThat(during).isEqualTo(2 * cap);
            List<AlertEvent> early = d.h.extractOutputValues();
            assertThat(early).hasSize(1); // the over-cap alert, once
            assertThat(early.get(0).entity).isEqualTo(RuleEvaluator.OVER_CAP_ENTITY);
            assertThat(early.get(0).state).isEqualTo(AlertState.FIRING);
            assertThat(early.get(0).summary).contains("max_entities 10000");

            d.time(T0 + 6 * DAY);
            int peak = d.keyedState();
            assertThat(peak).as("state stays under the cap while the alerts fire").isLessThanOrEqualTo(4 * cap);
            List<AlertEvent> alerts = d.h.extractOutputValues();
            assertThat(alerts.stream().map(a -> a.entity).distinct().count()).as("entities that alerted")
                    .isEqualTo(cap + 1);
            d.time(T0 + 9 * DAY);
            alerts = d.h.extractOutputValues();
            assertThat(alerts.stream().filter(a -> a.state == AlertState.RESOLVED && a.summary.contains("expired")))
                    .hasSize(cap);
            // the over-cap alert resolves once a tenth of the cap is free again
            List<AlertEvent> overCap = alerts.stream().filter(a -> a.entity.equals(RuleEvaluator.OVER_CAP_ENTITY))
                    .collect(Collectors.toList());
            assertThat(overCap).extracting(a -> a.state).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            assertThat(overCap.get(1).summary)
                    .contains((names - cap) + " inputs of entities over max_entities 10000 were not judged");
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
            System.out.printf("hostile-key flood: %d names; keyed state entries %d after the flood, %d at the peak, %d"
                    + " after retention; %d alert events%n", names, during, peak, d.keyedState(), alerts.size());
        }
    }

    @Test
    void theEntityCountsSurviveARestore() throws Exception {
        RuleSet set = EvaluatorDriver.rules("  - id: s\n    kind: source_stale\n    warning: 5m\n    max_entities: 2\n");
        OperatorSubtaskState snapshot;
        try (EvaluatorDriver d = new EvaluatorDriver(set)) {
            d.h.open();
            d.line(InputFormat.LANL_AUTH, "a", EvaluatorDriver.lanl(T0, "U1", "C2", "Success"));
            d.line(InputFormat.LANL_AUTH, "b", EvaluatorDriver.lanl(T0, "U1", "C2", "Success"));
            snapshot = d.h.snapshot(1, T0);
        }
        EvaluatorHarness h = new EvaluatorHarness(set, true);
        h.initializeState(snapshot);
        h.open();
        h.processElement(new RuleInput("s", "source c", T0 + MIN), T0 + MIN);
        List<String> out = h.extractOutputValues().stream().map(a -> a.entity + " " + a.state.wire())
                .collect(Collectors.toList());
        assertThat(out).containsExactly(RuleEvaluator.OVER_CAP_ENTITY + " firing"); // still two tracked after the restore
        h.close();
    }

    @Test
    void retentionAndMaxEntitiesAreValidated() {
        assertThatThrownBy(() -> EvaluatorDriver.rules("  - id: f\n    kind: dataset_freshness\n    warning: 2h\n"
                + "    critical: 4h\n    retention: 3h\n"))
                .hasMessageContaining("field 'retention': must be longer than the longest span the rule waits for (4h)");
        assertThatThrownBy(() -> EvaluatorDriver.rules("  - id: f\n    kind: dataset_freshness\n    warning: 2h\n"
                + "    max_entities: 0\n"))
                .hasMessageContaining("field 'max_entities': must be a whole number of at least 1, got 0");
    }
}
