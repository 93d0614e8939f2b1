package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.parse.RecordDecoder;
import io.vigil.testing.Samples;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Drives the evaluator per rule kind through elements, clock ticks and watermarks: fires at the
 * right event time, pending never notifies, escalation, resolve, and no state or timer left after
 * an alert resolves and its entity goes quiet.
 */
class RuleEvaluatorHarnessTest {
    private static final long T0 = EvaluatorDriver.T0;
    private static final long MIN = EvaluatorDriver.MIN;

    private static RuleSet rules(String yaml) throws Exception {
        return EvaluatorDriver.rules(yaml);
    }

    private static String metric(String name, double v, long t) {
        return EvaluatorDriver.metric(name, v, t);
    }

    private static String lanl(long t, String user, String dst, String outcome) {
        return EvaluatorDriver.lanl(t, user, dst, outcome);
    }

    private static String run(String type, String runId, String job, long t, String extra) {
        return EvaluatorDriver.run(type, runId, job, t, extra);
    }

    @Test
    void metricThresholdFiresEscalatesResolvesAndLeavesNothing() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: kpi_par_90\n    kind: metric_threshold\n    select: {metric: par_90_pct}\n"
                + "    warning: 3\n    critical: 5\n"))) {
            d.h.open();
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 2.0, T0));
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 3.5, T0 + MIN));
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 5.5, T0 + 2 * MIN));
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 1.0, T0 + 3 * MIN));
            d.line(InputFormat.METRICS, "kpi", metric("other_metric", 99, T0 + 3 * MIN));
            assertThat(d.h.extractOutputValues()).as("samples wait for the watermark").isEmpty();
            d.time(T0 + 3 * MIN);
            assertThat(d.alerts()).containsExactly(
                    "kpi_par_90 firing warning @60s metric par_90_pct{portfolio=abaco}",
                    "kpi_par_90 firing critical @120s metric par_90_pct{portfolio=abaco}",
                    "kpi_par_90 resolved critical @180s metric par_90_pct{portfolio=abaco}");
            assertThat(d.h.extractOutputValues().get(1).summary)
                    .isEqualTo("metric par_90_pct{portfolio=abaco} is 5.5 (critical: above 5)");
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void samplesOfASeriesArrivingOutOfOrderAreJudgedInEventTimeOrder() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: kpi_par_90\n    kind: metric_threshold\n    select: {metric: par_90_pct}\n"
                + "    warning: 3\n    critical: 5\n"))) {
            d.h.open();
            // as two parallel readers may deliver them: each reader's in order, the two interleaved
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 3.5, T0 + MIN));
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 1.0, T0 + 3 * MIN));
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 2.0, T0));
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 5.5, T0 + 2 * MIN));
            d.time(T0 + 3 * MIN);
            assertThat(d.alerts()).containsExactly(
                    "kpi_par_90 firing warning @60s metric par_90_pct{portfolio=abaco}",
                    "kpi_par_90 firing critical @120s metric par_90_pct{portfolio=abaco}",
                    "kpi_par_90 resolved critical @180s metric par_90_pct{portfolio=abaco}");
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aSilenceMutesMatchingAlertsInsideItsWindowAndDeliversTheCurrentStateWhenItEnds() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: kpi_par_90\n    kind: metric_threshold\n    select: {metric: par_90_pct}\n"
                + "    warning: 3\n    critical: 5\n    labels: {team: risk}\n"))) {
            d.h.open();
            d.control(ControlLines.parse("{\"silence\":{\"id\":\"maint\",\"matchers\":{\"team\":\"risk\","
                    + "\"entity\":\"*portfolio=abaco*\"},\"starts_at\":\"2026-11-02T10:00:00Z\",\"ends_at\":\"2026-11-02T10:02:00Z\"}}"), T0);
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 4.0, T0)); // muted
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 6.0, T0 + MIN)); // muted
            d.time(T0 + MIN);
            assertThat(d.alerts()).isEmpty();
            d.policy.setProcessingTime(T0 + 2 * MIN); // live, a silence ends on the wall clock
            assertThat(d.alerts()).containsExactly("kpi_par_90 firing critical @120s metric par_90_pct{portfolio=abaco}");
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 4.0, T0 + 3 * MIN)); // after the silence
            d.time(T0 + 3 * MIN);
            d.line(InputFormat.METRICS, "kpi", "{\"name\":\"par_90_pct\",\"value\":4.5,\"time\":" + T0
                    + ",\"labels\":{\"portfolio\":\"norte\"}}"); // another entity: not muted
            assertThat(d.alerts()).containsExactly(
                    "kpi_par_90 firing critical @120s metric par_90_pct{portfolio=abaco}",
                    "kpi_par_90 firing warning @180s metric par_90_pct{portfolio=abaco}",
                    "kpi_par_90 firing warning @0s metric par_90_pct{portfolio=norte}");
            assertThat(d.h.extractOutputValues()).hasSize(4); // the lifecycle itself went on under the silence
        }
    }

    @Test
    void aRuleUpdateTakesEffectWithoutRestart() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: kpi_par_90\n    kind: metric_threshold\n    select: {metric: par_90_pct}\n"
                + "    warning: 3\n"))) {
            d.h.open();
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 4.0, T0));
            d.time(T0); // judged under the rule in force at its time
            d.control(Control.rules(rules("  - id: kpi_par_90\n    kind: metric_threshold\n"
                    + "    select: {metric: par_90_pct}\n    warning: 10\n")), T0);
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 4.0, T0 + MIN)); // fine under the new threshold
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 11.0, T0 + 2 * MIN));
            d.time(T0 + 2 * MIN);
            assertThat(d.alerts()).containsExactly(
                    "kpi_par_90 firing warning @0s metric par_90_pct{portfolio=abaco}",
                    "kpi_par_90 resolved warning @60s metric par_90_pct{portfolio=abaco}",
                    "kpi_par_90 firing warning @120s metric par_90_pct{portfolio=abaco}");
        }
    }

    @Test
    void pendingNeverNotifiesAndForDelaysFiring() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: lag\n    kind: metric_threshold\n    select: {metric: lag}\n"
                + "    warning: 300000\n    for: 3m\n"))) {
            d.h.open();
            d.line(InputFormat.METRICS, "m", metric("lag", 400_000, T0));
            d.time(T0 + 2 * MIN);
            d.line(InputFormat.METRICS, "m", metric("lag", 10, T0 + 2 * MIN + 1)); // clears while pending
            d.time(T0 + 10 * MIN);
            assertThat(d.alerts()).isEmpty();
            d.line(InputFormat.METRICS, "m", metric("lag", 400_000, T0 + 10 * MIN));
            d.time(T0 + 12 * MIN);
            assertThat(d.alerts()).isEmpty();
            d.time(T0 + 13 * MIN);
            assertThat(d.alerts()).containsExactly("lag firing warning @780s metric lag{portfolio=abaco}");
        }
    }

    @Test
    void aSilentSourceGoesStaleAtItsDeadlinesAndRecoversOnItsNextEvent() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: source_stale\n    kind: source_stale\n    select: {family: auth}\n"
                + "    warning: 5m\n    critical: 15m\n"))) {
            d.h.open();
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0, "U1", "C2", "Success"));
            d.time(T0 + 4 * MIN);
            assertThat(d.alerts()).isEmpty();
            d.time(T0 + 20 * MIN); // other inputs moved on
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 21 * MIN, "U1", "C2", "Success"));
            assertThat(d.alerts()).containsExactly(
                    "source_stale firing warning @300s source auth",
                    "source_stale firing critical @900s source auth",
                    "source_stale resolved critical @1260s source auth");
            assertThat(d.h.extractOutputValues().get(0).summary).isEqualTo("source auth silent for 5m (warning: at least 5m)");
        }
    }

    @Test
    void liveWhenEveryInputGoesSilentStalenessStillFiresOnProcessingTime() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: source_stale\n    kind: source_stale\n    warning: 5m\n    critical: 15m\n"), false)) {
            d.h.open();
            long p0 = 1_000_000;
            d.h.setProcessingTime(p0);
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0, "U1", "C2", "Success"));
            d.time(T0); // then nothing: no record, no watermark
            d.h.setProcessingTime(p0 + 5 * MIN - 1);
            assertThat(d.alerts()).isEmpty();
            d.h.setProcessingTime(p0 + 5 * MIN);
            assertThat(d.alerts()).containsExactly("source_stale firing warning @300s source auth");
            d.h.setProcessingTime(p0 + 15 * MIN);
            assertThat(d.alerts()).containsExactly("source_stale firing warning @300s source auth",
                    "source_stale firing critical @900s source auth");
            // the source comes back: resolved once, and the event-time timers do not repeat anything
            d.h.setProcessingTime(p0 + 21 * MIN);
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 20 * MIN, "U1", "C2", "Success"));
            d.time(T0 + 20 * MIN);
            assertThat(d.alerts()).containsExactly("source_stale firing warning @300s source auth",
                    "source_stale firing critical @900s source auth", "source_stale resolved critical @1200s source auth");
        }
    }

    @Test
    void aBusyLiveSourceKeepsOnlyItsCurrentFallbackTimers() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: s\n    kind: source_stale\n    warning: 5m\n    critical: 15m\n"), false)) {
            d.h.open();
            for (int i = 0; i < 200; i++) {
                d.h.setProcessingTime(1_000_000 + i * 1000L);
                d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + i * 1000L, "U1", "C2", "Success"));
            }
            assertThat(d.h.numProcessingTimeTimers()).isEqualTo(2);
            assertThat(d.h.numEventTimeTimers()).isEqualTo(3); // two deadlines and the retention
            assertThat(d.alerts()).isEmpty();
        }
    }

    @Test
    void aBusySourceKeepsOnlyItsCurrentDeadlineTimers() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: s\n    kind: source_stale\n    warning: 5m\n    critical: 15m\n"))) {
            d.h.open();
            for (int i = 0; i < 500; i++) {
                d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + i * 1000L, "U1", "C2", "Success"));
            }
            assertThat(d.h.numEventTimeTimers()).isEqualTo(3); // two deadlines and the retention
            assertThat(d.keyedState()).isEqualTo(2); // the source's last-seen and active times
        }
    }

    @Test
    void staleAlertsDoNotDependOnWhetherTheWatermarkOrTheNextEventComesFirst() throws Exception {
        List<String> timerFirst;
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: s\n    kind: source_stale\n    warning: 5m\n"))) {
            d.h.open();
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0, "U1", "C2", "Success"));
            d.time(T0 + 9 * MIN);
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 8 * MIN, "U1", "C2", "Success"));
            timerFirst = d.alerts();
        }
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: s\n    kind: source_stale\n    warning: 5m\n"))) {
            d.h.open();
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0, "U1", "C2", "Success"));
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 8 * MIN, "U1", "C2", "Success")); // ahead of the watermark
            d.time(T0 + 9 * MIN);
            assertThat(d.alerts()).isEqualTo(timerFirst).containsExactly(
                    "s firing warning @300s source auth", "s resolved warning @480s source auth");
        }
    }

    @Test
    void theEndOfABoundedInputIsNotAnIncident() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: s\n    kind: source_stale\n    warning: 5m\n"))) {
            d.h.open();
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0, "U1", "C2", "Success"));
            d.line(InputFormat.LANL_AUTH, "other", lanl(T0 + 3 * MIN, "U1", "C2", "Success"));
            d.h.processBroadcastElement(Control.tick(T0 + 3 * MIN), T0);
            d.end();
            assertThat(d.alerts()).isEmpty();
        }
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: s\n    kind: source_stale\n    warning: 5m\n"))) {
            d.h.open(); // but a source that stopped long before the others ended is stale
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0, "U1", "C2", "Success"));
            d.line(InputFormat.LANL_AUTH, "other", lanl(T0 + 30 * MIN, "U1", "C2", "Success"));
            d.h.processBroadcastElement(Control.tick(T0 + 30 * MIN), T0);
            d.end();
            assertThat(d.alerts()).containsExactly("s firing warning @300s source auth");
        }
    }

    @Test
    void invalidRateJudgesEachWindowAndResolvesWhenTheWindowEmpties() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: ecommerce_invalid_events\n    kind: invalid_rate\n"
                + "    select: {family: commerce}\n    window: {size: 5m, slide: 1m}\n    warning: 10%\n    critical: 50%\n"))) {
            d.h.open();
            String ok = "2026-11-02 10:00:10 UTC,view,1,2,,,1.0,3,s";
            for (int i = 0; i < 8; i++) {
                d.line(InputFormat.REES46, "shop", ok);
            }
            d.line(InputFormat.REES46, "shop", "broken");
            d.line(InputFormat.REES46, "shop", "2026-11-02 10:00:20 UTC,refund,1,2,,,1.0,3,s");
            d.time(T0 + MIN);
            assertThat(d.alerts()).containsExactly("ecommerce_invalid_events firing warning @60s source shop");
            assertThat(d.h.extractOutputValues().get(0).summary)
                    .isEqualTo("source shop: invalid records 2 of 10 (20.00%) in the last 5m (warning: above 10.00%)");
            d.time(T0 + 5 * MIN);
            assertThat(d.alerts()).hasSize(1);
            d.time(T0 + 6 * MIN); // the slot left the window: nothing to judge
            assertThat(d.alerts()).containsExactly("ecommerce_invalid_events firing warning @60s source shop",
                    "ecommerce_invalid_events resolved warning @360s source shop");
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    @Timeout(30)
    void aWindowDecadesAheadIsNotReachedByWalkingEveryEmptyWindowBetween() throws Exception {
        // replay: the dead letters of a source without a valid event count at epoch 0, the rest at their own time
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: ecommerce_invalid_events\n    kind: invalid_rate\n"
                + "    select: {family: commerce}\n    window: {size: 5m, slide: 1m}\n    warning: 10%\n    critical: 50%\n"))) {
            d.h.open();
            d.line(InputFormat.REES46, "shop", "broken", 0);
            d.line(InputFormat.REES46, "shop", "2026-11-02 10:00:20 UTC,refund,1,2,,,1.0,3,s", T0 + 20_000);
            d.time(T0 + 10 * MIN);
            long epoch = -T0 / 1000;
            assertThat(d.alerts()).containsExactly(
                    "ecommerce_invalid_events firing critical @" + (epoch + 60) + "s source shop",
                    "ecommerce_invalid_events resolved critical @" + (epoch + 360) + "s source shop",
                    "ecommerce_invalid_events firing critical @60s source shop",
                    "ecommerce_invalid_events resolved critical @360s source shop");
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aHungRunAlertsWhileItRunsAndResolvesWhenItEnds() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: job_run_duration\n    kind: run_duration\n    warning: 12m\n    critical: 15m\n"))) {
            d.h.open();
            d.line(InputFormat.OPENLINEAGE, "ol", run("START", "r1", "loan_tape", T0, ""));
            d.time(T0 + 13 * MIN);
            assertThat(d.alerts()).containsExactly("job_run_duration firing warning @720s job etl/loan_tape run r1");
            d.time(T0 + 16 * MIN);
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r1", "loan_tape", T0 + 20 * MIN, ""));
            assertThat(d.alerts()).containsExactly("job_run_duration firing warning @720s job etl/loan_tape run r1",
                    "job_run_duration firing critical @900s job etl/loan_tape run r1",
                    "job_run_duration resolved critical @1200s job etl/loan_tape run r1");
            d.time(T0 + 60 * MIN);
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aQuickRunNeverAlerts() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: job_run_duration\n    kind: run_duration\n    warning: 12m\n"))) {
            d.h.open();
            d.line(InputFormat.OPENLINEAGE, "ol", run("START", "r1", "j", T0, ""));
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r1", "j", T0 + 11 * MIN, ""));
            d.time(T0 + 60 * MIN);
            assertThat(d.alerts()).isEmpty();
            assertThat(d.keyedState()).isZero();
        }
    }

    @Test
    void failureRateWithForFiresOnlyAfterTheShareHeldTenMinutes() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: job_failure_rate\n    kind: failure_rate\n    window: {size: 1h, slide: 5m}\n"
                + "    warning: 5%\n    for: 10m\n"))) {
            d.h.open();
            for (int i = 0; i < 9; i++) {
                d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r" + i, "j", T0 + i * 1000, ""));
            }
            d.line(InputFormat.OPENLINEAGE, "ol", run("FAIL", "rf", "j", T0 + 10_000, ""));
            d.time(T0 + 5 * MIN);
            d.time(T0 + 10 * MIN);
            assertThat(d.alerts()).isEmpty(); // pending since the window ending at 5m
            d.time(T0 + 15 * MIN);
            assertThat(d.alerts()).containsExactly("job_failure_rate firing warning @900s job etl/j");
        }
    }

    /**
     * The window is judged every evaluation interval (1m by default), so {@code for} starts at the
     * first failing evaluation: a failure at 21:15:57 with {@code for: 10m} alerts at 21:26, as
     * Prometheus evaluating every minute would, not after the next 5-minute slide (21:30 and later).
     */
    @Test
    void windowsAreJudgedEveryMinuteSoForStartsAtTheFirstFailingEvaluation() throws Exception {
        long at2115 = Instant.parse("2026-11-02T21:15:00Z").toEpochMilli();
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: job_failure_rate\n    kind: failure_rate\n    window: 1h\n"
                + "    warning: 5%\n    for: 10m\n"))) {
            d.h.open();
            assertThat(d.set.rule("job_failure_rate").windowSlideMs).isEqualTo(MIN);
            for (int i = 0; i < 9; i++) {
                d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r" + i, "j", at2115 - 30 * MIN + i * 1000, ""));
            }
            d.line(InputFormat.OPENLINEAGE, "ol", run("FAIL", "rf", "j", at2115 + 57_000, ""));
            for (long m = 1; m <= 10; m++) {
                d.time(at2115 + m * MIN);
            }
            assertThat(d.alerts()).isEmpty(); // pending since the evaluation at 21:16
            d.time(at2115 + 11 * MIN);
            assertThat(d.h.extractOutputValues()).filteredOn(a -> a.state == io.vigil.model.AlertState.FIRING)
                    .extracting(a -> Instant.ofEpochMilli(a.eventTime).toString())
                    .containsExactly("2026-11-02T21:26:00Z");
        }
    }

    @Test
    void theOlderWindowSlideSpellingStaysTheEvaluationInterval() throws Exception {
        RuleSet set = rules("  - id: fr\n    kind: failure_rate\n    window: {size: 1h, slide: 5m}\n    warning: 5%\n"
                + "  - id: q\n    kind: latency_quantile\n    quantile: 0.95\n    window: 90s\n    warning: 1m\n"
                + "  - id: e\n    kind: invalid_rate\n    window: 10m\n    evaluation_interval: 2m\n    warning: 1%\n");
        assertThat(set.rule("fr").windowSlideMs).isEqualTo(5 * MIN);
        assertThat(set.rule("q").windowSlideMs).isEqualTo(90_000L); // 1m does not divide 90s: the window itself
        assertThat(set.rule("e").windowSlideMs).isEqualTo(2 * MIN);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rules("  - id: e\n    kind: invalid_rate\n"
                + "    window: {size: 10m, slide: 1m}\n    evaluation_interval: 2m\n    warning: 1%\n"))
                .hasMessageContaining("give evaluation_interval or window.slide (its older name), not both");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rules("  - id: e\n    kind: invalid_rate\n"
                + "    window: 10m\n    evaluation_interval: 3m\n    warning: 1%\n"))
                .hasMessageContaining("field 'evaluation_interval': must divide the window size evenly");
    }

    @Test
    void aFailedAssertionFiresAndItsNextSuccessResolves() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: dq_assertion_failed\n    kind: dq_assertion\n    severity: warning\n"))) {
            d.h.open();
            String in = ",\"inputs\":[{\"namespace\":\"s3://lake\",\"name\":\"orders\",\"inputFacets\":{\"dataQualityAssertions\":"
                    + "{\"assertions\":[{\"assertion\":\"not_null\",\"success\":%s,\"column\":\"amount\"},"
                    + "{\"assertion\":\"unique\",\"success\":true,\"column\":\"id\"}]}}}]";
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r1", "j", T0, String.format(in, "false")));
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r2", "j", T0 + MIN, String.format(in, "true")));
            assertThat(d.alerts()).containsExactly(
                    "dq_assertion_failed firing warning @0s dataset s3://lake/orders assertion not_null column amount",
                    "dq_assertion_failed resolved warning @60s dataset s3://lake/orders assertion not_null column amount");
            assertThat(d.keyedState()).isZero();
        }
    }

    @Test
    void assertionsReportedOnAnOutputAreJudgedAndADatasetOnBothSidesOnce() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: dq_assertion_failed\n    kind: dq_assertion\n    severity: warning\n"))) {
            d.h.open();
            String ds = "{\"namespace\":\"s3://lake\",\"name\":\"orders\",\"facets\":{\"dataQualityAssertions\":{"
                    + "\"_producer\":\"p\",\"_schemaURL\":\"s\",\"assertions\":[{\"assertion\":\"not_null\",\"success\":%s,"
                    + "\"column\":\"amount\"}]}}}";
            String out = ",\"outputs\":[" + ds + "]";
            String both = ",\"inputs\":[" + ds + "],\"outputs\":[" + ds + "]";
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r1", "j", T0, String.format(out, "false")));
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r2", "j", T0 + MIN, String.format(both, "true", "true")));
            assertThat(d.h.extractOutputValues()).hasSize(2);
            assertThat(d.alerts()).containsExactly(
                    "dq_assertion_failed firing warning @0s dataset s3://lake/orders assertion not_null column amount",
                    "dq_assertion_failed resolved warning @60s dataset s3://lake/orders assertion not_null column amount");
            assertThat(d.keyedState()).isZero();
        }
    }

    @Test
    void nullRatesFromDataQualityMetricsAreJudgedPerColumn() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: null_rate\n    kind: dq_assertion\n    warning: 5%\n    critical: 20%\n"))) {
            d.h.open();
            String in = ",\"inputs\":[{\"namespace\":\"s3://lake\",\"name\":\"orders\",\"inputFacets\":{\"dataQualityMetrics\":"
                    + "{\"rowCount\":1000,\"columnMetrics\":{\"amount\":{\"nullCount\":%d},\"id\":{\"nullCount\":0}}}}}]";
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r1", "j", T0, String.format(in, 10)));
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r2", "j", T0 + MIN, String.format(in, 60)));
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r3", "j", T0 + 2 * MIN, String.format(in, 250)));
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r4", "j", T0 + 3 * MIN, String.format(in, 0)));
            assertThat(d.alerts()).containsExactly(
                    "null_rate firing warning @60s dataset s3://lake/orders column amount null rate",
                    "null_rate firing critical @120s dataset s3://lake/orders column amount null rate",
                    "null_rate resolved critical @180s dataset s3://lake/orders column amount null rate");
            assertThat(d.h.extractOutputValues().get(0).summary).isEqualTo("dataset s3://lake/orders column amount: 60 nulls "
                    + "in 1000 rows (6.00%) in run r2 of job etl/j (warning: above 5.00%)");
            assertThat(d.keyedState()).isZero();
        }
    }

    private static io.vigil.cep.PatternMatch match(String rule, String entity, long t) {
        io.vigil.cep.PatternMatch m = new io.vigil.cep.PatternMatch();
        m.ruleId = rule;
        m.entity = entity;
        m.eventTime = t;
        m.events = 6;
        m.summary = "matched";
        return m;
    }

    @Test
    void aPatternMatchFiresAndResolvesAfterItsQuietTime() throws Exception {
        RuleSet set = RulesFile.load(java.nio.file.Paths.get("../conf/rules.yaml"));
        try (EvaluatorDriver d = new EvaluatorDriver(set)) {
            d.h.open();
            String entity = "destination user U9@DOM1 from C1";
            d.h.processElement(RuleInput.of(match("auth_bruteforce", entity, T0)), T0);
            d.time(T0 + 30 * MIN);
            d.h.processElement(RuleInput.of(match("auth_bruteforce", entity, T0 + 40 * MIN)), T0 + 40 * MIN); // again
            d.time(T0 + 99 * MIN);
            assertThat(d.alerts()).containsExactly("auth_bruteforce firing critical @0s " + entity);
            d.time(T0 + 100 * MIN); // an hour after the last match
            assertThat(d.alerts()).containsExactly("auth_bruteforce firing critical @0s " + entity,
                    "auth_bruteforce resolved critical @6000s " + entity);
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void consecutiveFailuresResolveOnTheJobsNextCompleteRunEvenIfTheMatchArrivesAfterIt() throws Exception {
        RuleSet set = RulesFile.load(java.nio.file.Paths.get("../conf/rules.yaml"));
        try (EvaluatorDriver d = new EvaluatorDriver(set)) {
            d.h.open();
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r2", "nightly", T0 + 10 * MIN, "")); // first, as can happen
            d.h.processElement(RuleInput.of(match("job_consecutive_failures", "job etl/nightly", T0 + 2 * MIN)), T0 + 2 * MIN);
            d.time(T0 + 11 * MIN);
            assertThat(d.alerts()).filteredOn(a -> a.startsWith("job_consecutive")).containsExactly(
                    "job_consecutive_failures firing critical @120s job etl/nightly",
                    "job_consecutive_failures resolved critical @600s job etl/nightly");
            d.time(T0 + 3 * 60 * MIN); // past the hour-long failure-rate window the COMPLETE also counts in
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void consecutiveFailuresResolveOnTheJobsNextCompleteRun() throws Exception {
        RuleSet set = RulesFile.load(java.nio.file.Paths.get("../conf/rules.yaml"));
        try (EvaluatorDriver d = new EvaluatorDriver(set)) {
            d.h.open();
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r0", "loan_tape", T0 - MIN, "")); // nothing to resolve
            d.h.processElement(RuleInput.of(match("job_consecutive_failures", "job etl/loan_tape", T0)), T0);
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r1", "other", T0 + MIN, "")); // another job
            d.line(InputFormat.OPENLINEAGE, "ol", run("START", "r2", "loan_tape", T0 + 2 * MIN, ""));
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r2", "loan_tape", T0 + 3 * MIN, ""));
            d.time(T0 + 3 * MIN - 1);
            assertThat(d.alerts()).noneMatch(a -> a.startsWith("job_consecutive_failures resolved"));
            d.time(T0 + 3 * MIN); // judged when the watermark passes it: a CEP match before it has arrived by then
            assertThat(d.alerts()).filteredOn(a -> a.startsWith("job_consecutive")).containsExactly(
                    "job_consecutive_failures firing critical @0s job etl/loan_tape",
                    "job_consecutive_failures resolved critical @180s job etl/loan_tape");
            assertThat(d.h.extractOutputValues()).filteredOn(a -> a.ruleId.equals("job_consecutive_failures")).last()
                    .satisfies(a -> assertThat(a.summary).startsWith("job etl/loan_tape: the resolving event (resolve.when) came at "));
            d.time(T0 + 10 * MIN);
            assertThat(d.alerts()).filteredOn(a -> a.startsWith("job_consecutive")).hasSize(2);
        }
    }

    /**
     * A replay reads ahead of the watermark: the routed COMPLETE and the CEP matches of a later
     * incident can all reach the evaluator before the watermark passes the COMPLETE. The later
     * match must not hide the resolve (it did: the resolve compared with the newest match, 10 h
     * later, and the alert stayed firing until the next FAIL → COMPLETE pair).
     */
    @Test
    void aLaterIncidentsMatchArrivingEarlyDoesNotHideTheResolve() throws Exception {
        RuleSet set = RulesFile.load(java.nio.file.Paths.get("../conf/rules.yaml"));
        try (EvaluatorDriver d = new EvaluatorDriver(set)) {
            d.h.open();
            String entity = "job etl/nightly";
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r1", "nightly", T0 + 65 * MIN, ""));
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "r2", "nightly", T0 + 610 * MIN, ""));
            d.h.processElement(RuleInput.of(match("job_consecutive_failures", entity, T0)), T0);
            d.h.processElement(RuleInput.of(match("job_consecutive_failures", entity, T0 + 600 * MIN)), T0 + 600 * MIN);
            d.time(T0 + 11 * 60 * MIN);
            assertThat(d.alerts()).filteredOn(a -> a.startsWith("job_consecutive")).containsExactly(
                    "job_consecutive_failures firing critical @0s " + entity,
                    "job_consecutive_failures resolved critical @3900s " + entity,
                    "job_consecutive_failures firing critical @36000s " + entity,
                    "job_consecutive_failures resolved critical @36600s " + entity);
            d.time(T0 + 14 * 60 * MIN); // past the failure-rate window the COMPLETEs also count in
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    /**
     * A pattern keyed by a metric label resolves on the same key's next matching sample: the
     * stock-release pack's version drift, resolved by the cluster's next report of the pinned
     * version, not by another cluster's.
     */
    @Test
    void aDriftedClusterResolvesOnItsOwnReportOfThePinnedVersion() throws Exception {
        RuleSet set = RulesFile.load(java.nio.file.Paths.get("../conf/packs/stock-release.yaml"));
        try (EvaluatorDriver d = new EvaluatorDriver(set)) {
            d.h.open();
            String entity = "cluster id 0110-b";
            d.h.processElement(RuleInput.of(match("stock_version_drift", entity, T0)), T0);
            d.line(InputFormat.METRICS, "m", info("0110-a", "1.3.0", T0 + MIN)); // another cluster
            d.line(InputFormat.METRICS, "m", info("0110-b", "1.2.0", T0 + 2 * MIN)); // still drifted: no resolve
            d.time(T0 + 5 * MIN);
            assertThat(d.alerts()).containsExactly("stock_version_drift firing critical @0s " + entity);
            d.line(InputFormat.METRICS, "m", info("0110-b", "1.3.0", T0 + 10 * MIN));
            d.time(T0 + 11 * MIN);
            assertThat(d.alerts()).containsExactly("stock_version_drift firing critical @0s " + entity,
                    "stock_version_drift resolved critical @600s " + entity);
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    private static String info(String cluster, String version, long t) {
        return "{\"name\":\"stock_pipeline_info\",\"value\":1,\"time\":" + t + ",\"labels\":{\"cluster_id\":\"" + cluster
                + "\",\"version\":\"" + version + "\"}}";
    }

    @Test
    void fanoutCountsDistinctDestinationsPerUserAndForgetsThem() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: auth_user_fanout\n    kind: distinct_count\n"
                + "    select: {family: auth, field: destination_computer, key: source_user}\n    window: 10m\n    warning: 3\n"))) {
            d.h.open();
            for (int i = 1; i <= 4; i++) {
                d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + i * 1000, "U666", "C" + i, "Success"));
            }
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 5000, "U1", "C9", "Success"));
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 11 * MIN, "U666", "C1", "Success")); // next window
            d.time(T0 + 10 * MIN); // judged every minute: the fourth computer shows at the first evaluation
            assertThat(d.alerts()).containsExactly("auth_user_fanout firing warning @60s source user U666@DOM1");
            assertThat(d.h.extractOutputValues().get(0).summary)
                    .isEqualTo("source user U666@DOM1: 4 distinct destination computers in the last 10m (warning: above 3)");
            d.time(T0 + 40 * MIN);
            assertThat(d.alerts()).containsExactly("auth_user_fanout firing warning @60s source user U666@DOM1",
                    "auth_user_fanout resolved warning @660s source user U666@DOM1"); // the window that left them out
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void fanoutSlotsOfTheVersionBeforeHashesAreCarriedOverOnRestore() throws Exception {
        RuleSet set = rules("  - id: auth_user_fanout\n    kind: distinct_count\n"
                + "    select: {family: auth, field: destination_computer, key: source_user}\n    window: 10m\n    warning: 3\n");
        OperatorSubtaskState before;
        try (EvaluatorDriver d = new EvaluatorDriver(set)) {
            d.h.open();
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 1000, "U666", "C1", "Success"));
            // the slot as the previous version kept it: the values themselves, unsorted, one twice
            @SuppressWarnings("unchecked")
            KeyedStateBackend<String> b = (KeyedStateBackend<String>) (KeyedStateBackend<?>) d.h.getOperator().getKeyedStateBackend();
            List<Tuple2<String, String>> held = b.<String>getKeysAndNamespaces(RuleStates.DISTINCT.getName())
                    .collect(Collectors.toList());
            assertThat(held).hasSize(1);
            b.setCurrentKey(held.get(0).f0);
            MapState<Long, long[]> now = b.getPartitionedState(held.get(0).f1, StringSerializer.INSTANCE, RuleStates.DISTINCT);
            MapState<Long, String[]> old = b.getPartitionedState(held.get(0).f1, StringSerializer.INSTANCE,
                    RuleStates.DISTINCT_VALUES);
            for (Long slot : now.keys()) {
                old.put(slot, new String[] {"C3", "C1", "C4", "C2", "C1"});
            }
            now.clear();
            before = d.h.snapshot(1, T0);
        }
        try (EvaluatorDriver d = new EvaluatorDriver(set)) {
            d.h.initializeState(before);
            d.h.open();
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 2000, "U666", "C2", "Success")); // one it has: still 4
            d.time(T0 + 10 * MIN);
            assertThat(d.alerts()).containsExactly("auth_user_fanout firing warning @60s source user U666@DOM1");
            assertThat(d.h.extractOutputValues().get(0).summary)
                    .isEqualTo("source user U666@DOM1: 4 distinct destination computers in the last 10m (warning: above 3)");
            d.time(T0 + 40 * MIN);
            assertThat(d.alerts()).containsExactly("auth_user_fanout firing warning @60s source user U666@DOM1",
                    "auth_user_fanout resolved warning @660s source user U666@DOM1");
            assertThat(d.keyedState()).as("the old state too is gone").isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void fanoutBuiltOverSeveralMinutesFiresAtTheWindowEndAfterTheAddition() throws Exception {
        // window ends with nothing added are not counted (a count that only fell cannot breach):
        // the breach that the minute-5 logons complete must still show at the 6m end
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: auth_user_fanout\n    kind: distinct_count\n"
                + "    select: {family: auth, field: destination_computer, key: source_user}\n    window: 10m\n    warning: 3\n"))) {
            d.h.open();
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 1000, "U666", "C1", "Success"));
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 2000, "U666", "C2", "Success"));
            d.time(T0 + 5 * MIN);
            assertThat(d.alerts()).isEmpty();
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 5 * MIN + 1000, "U666", "C3", "Success"));
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 5 * MIN + 2000, "U666", "C4", "Success"));
            d.time(T0 + 30 * MIN);
            assertThat(d.alerts()).containsExactly("auth_user_fanout firing warning @360s source user U666@DOM1",
                    "auth_user_fanout resolved warning @660s source user U666@DOM1"); // C1 and C2 left the window
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void fanoutCountsRepeatsOnceWhateverOrderTheyCome() throws Exception {
        // a busy user: 40 logons in a minute to 6 computers in scrambled order; slots keep them sorted
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: auth_user_fanout\n    kind: distinct_count\n"
                + "    select: {family: auth, field: destination_computer, key: source_user}\n    window: 10m\n    warning: 5\n"))) {
            d.h.open();
            String[] computers = {"C9", "C10", "C1", "C586", "C10", "C1", "C2", "C9", "C99"};
            for (int i = 0; i < 40; i++) {
                d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + i * 1000, "U7", computers[(i * 7) % computers.length], "Success"));
            }
            d.time(T0 + 2 * MIN);
            assertThat(d.alerts()).containsExactly("auth_user_fanout firing warning @60s source user U7@DOM1");
            assertThat(d.h.extractOutputValues().get(0).summary)
                    .isEqualTo("source user U7@DOM1: 6 distinct destination computers in the last 10m (warning: above 5)");
        }
    }

    @Test
    void fanoutWhoseSlotsAddUpPastTheThresholdButNotItsDistinctValuesStaysSilent() throws Exception {
        // the slots' sizes (4 + 4) only bound the count: the same four computers each minute are four
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: auth_user_fanout\n    kind: distinct_count\n"
                + "    select: {family: auth, field: destination_computer, key: source_user}\n    window: 10m\n    warning: 4\n"))) {
            d.h.open();
            for (int minute = 0; minute < 2; minute++) {
                for (int c = 1; c <= 4; c++) {
                    d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + minute * MIN + c * 1000, "U7", "C" + c, "Success"));
                }
            }
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 2 * MIN + 1000, "U7", "C5", "Success"));
            d.time(T0 + 4 * MIN);
            assertThat(d.alerts()).containsExactly("auth_user_fanout firing warning @180s source user U7@DOM1");
            d.time(T0 + 20 * MIN);
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void fanoutBelowAThresholdIsJudgedAtEveryWindowEnd() throws Exception {
        // direction below: a count that falls can breach, so no window end is skipped
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: auth_user_fanout\n    kind: distinct_count\n"
                + "    select: {family: auth, field: destination_computer, key: source_user}\n    window: 10m\n"
                + "    direction: below\n    warning: 2\n"))) {
            d.h.open();
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 1000, "U666", "C1", "Success"));
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 2000, "U666", "C2", "Success"));
            d.line(InputFormat.LANL_AUTH, "auth", lanl(T0 + 5 * MIN + 1000, "U666", "C3", "Success"));
            d.time(T0 + 10 * MIN);
            assertThat(d.alerts()).isEmpty();
            d.time(T0 + 11 * MIN); // C1 and C2 leave the window at 11m with nothing added: 1 left
            assertThat(d.alerts()).containsExactly("auth_user_fanout firing warning @660s source user U666@DOM1");
        }
    }

    @Test
    void latencyQuantileJudgesThePercentileOfFinishedRuns() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules("  - id: task_latency_p95\n    kind: latency_quantile\n    quantile: 0.95\n"
                + "    window: 5m\n    warning: 600s\n"))) {
            d.h.open();
            d.line(InputFormat.OPENLINEAGE, "ol", run("START", "a", "j", T0, ""));
            d.line(InputFormat.OPENLINEAGE, "ol", run("START", "b", "j", T0 + 1000, ""));
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "a", "j", T0 + 11 * MIN, ""));
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "b", "j", T0 + 11 * MIN + 1000, ""));
            d.time(T0 + 15 * MIN);
            // the evaluation at 12m sees both runs (they ended in the minute before), not the 15m window end
            assertThat(d.alerts()).containsExactly("task_latency_p95 firing warning @720s job etl/j");
            d.time(T0 + 20 * MIN);
            assertThat(d.alerts()).hasSize(2).last().asString().startsWith("task_latency_p95 resolved");
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    private static final String JOB_RULES = "  - id: job_failure_rate\n    kind: failure_rate\n    window: {size: 1h, slide: 5m}\n"
            + "    warning: 40%\n  - id: task_latency_p95\n    kind: latency_quantile\n    quantile: 0.95\n"
            + "    window: 5m\n    warning: 600s\n";

    /** The rules of one key family that an event concerns reach the evaluator together, once per entity. */
    @Test
    void anEventReachesTheEvaluatorOncePerEntityWithAnInputForEachRuleOfItsFamily() throws Exception {
        RuleSet set = rules(JOB_RULES + "  - id: run_budget\n    kind: run_duration\n    warning: 1h\n");
        Envelope complete = new RecordDecoder().decode(Samples.raw(InputFormat.OPENLINEAGE,
                run("COMPLETE", "a", "j", T0, "")));
        List<RuleInput> inputs = new ArrayList<>();
        List<KeyFamily> families = new ArrayList<>();
        for (Rule r : set.rules) {
            RuleRouter.route(r, complete, inputs, families);
        }
        List<EntityInputs> sent = new ArrayList<>();
        RuleRouter.group(inputs, families, new ListCollector<>(sent));
        assertThat(sent).extracting(e -> e.family + " " + e.entity + " " + Arrays.stream(e.inputs).map(in -> in.ruleId)
                .collect(Collectors.toList())).containsExactly(
                        "JOB job etl/j [job_failure_rate, task_latency_p95]", "RUN " + sent.get(1).entity + " [run_budget]");
        assertThat(sent.get(0).key()).isNotEqualTo(sent.get(1).key());
    }

    /** Two rules of one job: one key, each rule's windows, timers and alert in its own namespace. */
    @Test
    void rulesOfOneEntityKeepTheirOwnStateTimersAndAlertsUnderOneKey() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules(JOB_RULES))) {
            d.h.open();
            d.line(InputFormat.OPENLINEAGE, "ol", run("START", "a", "j", T0, ""));
            d.line(InputFormat.OPENLINEAGE, "ol", run("START", "b", "j", T0 + 1000, ""));
            d.line(InputFormat.OPENLINEAGE, "ol", run("COMPLETE", "a", "j", T0 + 11 * MIN, ""));
            d.line(InputFormat.OPENLINEAGE, "ol", run("FAIL", "b", "j", T0 + 11 * MIN + 1000, ""));
            d.time(T0 + 15 * MIN); // the quantile is judged every minute, the failure share at its 5m slides
            assertThat(d.alerts()).containsExactly("task_latency_p95 firing warning @720s job etl/j",
                    "job_failure_rate firing warning @900s job etl/j");
            d.time(T0 + 20 * MIN); // the quantile's 5m window empties; the failure share holds for the hour
            assertThat(d.alerts()).hasSize(3).last().asString().startsWith("task_latency_p95 resolved");
            d.time(T0 + 75 * MIN);
            assertThat(d.alerts()).hasSize(4).last().asString().startsWith("job_failure_rate resolved");
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    /** A rule removed by an update leaves nothing behind, and the other rules of its key go on. */
    @Test
    void aRemovedRulesNamespaceIsClearedAndItsKeysOtherRulesGoOn() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules(JOB_RULES))) {
            d.h.open();
            d.line(InputFormat.OPENLINEAGE, "ol", run("START", "a", "j", T0, ""));
            d.line(InputFormat.OPENLINEAGE, "ol", run("FAIL", "a", "j", T0 + 11 * MIN, ""));
            d.time(T0 + 15 * MIN);
            assertThat(d.alerts()).containsExactly("task_latency_p95 firing warning @720s job etl/j",
                    "job_failure_rate firing warning @900s job etl/j");
            d.control(Control.rules(rules("  - id: job_failure_rate\n    kind: failure_rate\n"
                    + "    window: {size: 1h, slide: 5m}\n    warning: 40%\n")), T0 + 15 * MIN);
            d.time(T0 + 20 * MIN); // the removed rule's timers fire into nothing and take its state with them
            assertThat(d.alerts()).hasSize(2);
            d.time(T0 + 75 * MIN);
            assertThat(d.alerts()).hasSize(3).last().asString().startsWith("job_failure_rate resolved");
            assertThat(d.keyedState()).isZero();
            d.end(); // the removed rule's later timers (its retention) fire into nothing too
            assertThat(d.alerts()).hasSize(3);
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    private static final String HELD_RULES = "  - id: kpi_par_90\n    kind: metric_threshold\n"
            + "    select: {metric: par_90_pct}\n    warning: 3\n    critical: 5\n";

    /** Rule inputs held ahead of the watermark (the held-inputs state), no watermark yet. */
    private static OperatorSubtaskState stateWithHeldInputs() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(rules(HELD_RULES))) {
            d.h.open();
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 3.5, T0 + MIN));
            d.line(InputFormat.METRICS, "kpi", metric("par_90_pct", 5.5, T0 + 2 * MIN));
            assertThat(d.h.extractOutputValues()).as("held").isEmpty();
            return d.h.snapshot(1, T0);
        }
    }

    /** The alerts the held inputs give once the watermark passes them, after restoring {@code state}. */
    private static List<String> afterRestore(OperatorSubtaskState state) throws Exception {
        EvaluatorHarness h = new EvaluatorHarness(rules(HELD_RULES), true);
        try (h) {
            h.initializeState(state);
            h.open();
            h.processBroadcastElement(Control.tick(T0 + 3 * MIN), T0 + 3 * MIN);
            h.processWatermark(T0 + 3 * MIN);
            h.processBroadcastWatermark(T0 + 3 * MIN);
            return h.extractOutputValues().stream().map(a -> a.ruleId + " " + a.state.wire() + " " + a.severity.wire()
                    + " @" + (a.eventTime - T0) / 1000 + "s " + a.entity + ": " + a.summary).collect(Collectors.toList());
        }
    }

    @Test
    void ruleInputsHeldAheadOfTheWatermarkRestore() throws Exception {
        assertThat(afterRestore(stateWithHeldInputs())).containsExactly(
                "kpi_par_90 firing warning @60s metric par_90_pct{portfolio=abaco}: metric par_90_pct{portfolio=abaco} is 3.5 (warning: above 3)",
                "kpi_par_90 firing critical @120s metric par_90_pct{portfolio=abaco}: metric par_90_pct{portfolio=abaco} is 5.5 (critical: above 5)");
    }
}
