package io.vigil.rules;

import static io.vigil.rules.EvaluatorDriver.MIN;
import static io.vigil.rules.EvaluatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AlertEvent;
import io.vigil.model.InputFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code count}: events the selector and {@code where} admit per entity over a window, with
 * info, warning and critical thresholds. Ends with no state and no timer left.
 */
class CountHarnessTest {
    private static final long H = 60 * MIN;

    @Test
    void failedRunsPerJobClimbThroughInfoWarningAndCriticalAndResolveAsTheyLeaveTheWindow() throws Exception {
        String rule = "  - id: errors\n    kind: count\n    select: {family: pipeline_run, job: \"etl/*\", key: job}\n"
                + "    where: {event_type: FAIL}\n    window: 1h\n    evaluation_interval: 10m\n"
                + "    info: 0\n    warning: 5\n    critical: 10\n";
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(rule))) {
            d.h.open();
            // a FAIL every 2 minutes from 00:00 to 00:22 (12 failures); COMPLETE runs are not counted
            for (int k = 0; k < 12; k++) {
                long t = T0 + k * 2 * MIN;
                d.line(InputFormat.OPENLINEAGE, "ol", EvaluatorDriver.run("FAIL", "f" + k, "load", t, ""));
                d.line(InputFormat.OPENLINEAGE, "ol", EvaluatorDriver.run("COMPLETE", "c" + k, "load", t + MIN, ""));
                d.time(t + 2 * MIN);
            }
            d.time(T0 + 2 * H);
            // 00:10 window holds 5 (not above 5: info), 00:20 holds 10 (warning), 00:30 holds 12 (critical);
            // they leave the window from 01:00 (6 left at 01:10: warning), all gone at 01:30
            assertThat(d.alerts()).containsExactly(
                    "errors firing info @600s job etl/load",
                    "errors firing warning @1200s job etl/load",
                    "errors firing critical @1800s job etl/load",
                    "errors firing warning @4200s job etl/load",
                    "errors firing info @4800s job etl/load",
                    "errors resolved info @5400s job etl/load");
            AlertEvent critical = d.h.extractOutputValues().get(2);
            assertThat(critical.summary).isEqualTo("job etl/load: 12 events (event_type FAIL) in the last 1h (critical: above 10)");
            assertThat(critical.threshold).isEqualTo(10);
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void failedLogonsPerUserCountOnlyTheirOwnAndTheSourceIsTheEntityWithoutAKey() throws Exception {
        String rules = "  - id: failed_logons\n    kind: count\n    select: {family: auth, key: destination_user}\n"
                + "    where: {outcome: failure, auth_type: [NTLM, Kerb*]}\n    window: 5m\n    warning: 2\n"
                + "  - id: all_logons\n    kind: count\n    select: {family: auth}\n    window: 5m\n    critical: 4\n";
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(rules))) {
            d.h.open();
            for (int k = 0; k < 3; k++) {
                long t = T0 + k * 1000;
                d.line(InputFormat.LANL_AUTH, "auth", EvaluatorDriver.lanl(t, "U1", "C1", "Fail"));
                d.line(InputFormat.LANL_AUTH, "auth", EvaluatorDriver.lanl(t, "U2", "C1", k == 0 ? "Fail" : "Success"));
            }
            d.time(T0 + 20 * MIN);
            assertThat(d.alerts()).containsExactly(
                    "failed_logons firing warning @60s destination user U1@DOM1",
                    "all_logons firing critical @60s source auth",
                    "failed_logons resolved warning @360s destination user U1@DOM1",
                    "all_logons resolved critical @360s source auth");
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void metricSamplesOfOneNameAndLabelsAreCounted() throws Exception {
        String rule = "  - id: error_samples\n    kind: count\n    select: {metric: pipeline_error, labels: {portfolio: abaco}}\n"
                + "    window: 10m\n    warning: 2\n";
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(rule))) {
            d.h.open();
            for (int k = 0; k < 3; k++) {
                d.line(InputFormat.METRICS, "kpi", EvaluatorDriver.metric("pipeline_error", 1, T0 + k * MIN));
                d.line(InputFormat.METRICS, "kpi", EvaluatorDriver.metric("par_90_pct", 1, T0 + k * MIN));
            }
            d.time(T0 + H);
            assertThat(d.alerts()).containsExactly(
                    "error_samples firing warning @180s source kpi",
                    // the 00:00 sample leaves the window at 00:11: 2 left, not above 2
                    "error_samples resolved warning @660s source kpi");
        }
    }

    /**
     * Metric samples' labels as event fields: CodeArtifact's refused calls (CloudTrail records via
     * EventBridge, eventbridge/real/codeartifact-cloudtrail.jsonl) counted per {@code labels.source}
     * with a wildcard on {@code labels.error_code}; the successful calls of the same source are not.
     */
    @Test
    void refusedCloudTrailCallsAreCountedByTheirLabels() throws Exception {
        String rule = "  - id: denied\n    kind: count\n"
                + "    select: {metric: eventbridge_event, labels: {source: aws.codeartifact}, key: labels.source}\n"
                + "    where: {labels.error_code: \"AccessDenied*\"}\n    window: 15m\n    warning: 0\n    critical: 2\n";
        List<String> lines;
        try (java.io.InputStream in = getClass().getResourceAsStream("/eventbridge/real/codeartifact-cloudtrail.jsonl")) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().collect(java.util.stream.Collectors.toList());
        }
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(rule))) {
            d.h.open();
            // every minute a successful token and a read; three refused token calls at 00:02, 00:03, 00:04
            for (int k = 0; k < 6; k++) {
                String at = "\"" + java.time.Instant.ofEpochMilli(T0 + k * MIN) + "\"";
                d.line(InputFormat.EVENTBRIDGE, "ca", lines.get(0).replace("\"2018-12-11T13:31:37Z\"", at));
                d.line(InputFormat.EVENTBRIDGE, "ca", lines.get(1).replace("\"2018-12-17T02:05:46Z\"", at));
                if (k >= 2 && k <= 4) {
                    d.line(InputFormat.EVENTBRIDGE, "ca", lines.get(2).replace("\"2018-12-11T13:31:37Z\"", at));
                }
                d.time(T0 + (k + 1) * MIN);
            }
            d.time(T0 + H);
            assertThat(d.alerts()).containsExactly(
                    "denied firing warning @180s source aws.codeartifact",
                    "denied firing critical @300s source aws.codeartifact",
                    // 00:02 leaves the 15-minute window at 00:17, the last one at 00:19
                    "denied firing warning @1080s source aws.codeartifact",
                    "denied resolved warning @1200s source aws.codeartifact");
            assertThat(d.h.extractOutputValues().get(1).summary).isEqualTo(
                    "source aws.codeartifact: 3 events (labels.error_code AccessDenied*) in the last 15m (critical: above 2)");
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    /** {@code !v} in {@code where}: any value but v; a sample without the field is not counted. */
    @Test
    void aNegatedValueCountsEveryOtherValue() throws Exception {
        String rule = "  - id: other_versions\n    kind: count\n    select: {metric: app_info, key: labels.cluster_id}\n"
                + "    where: {labels.version: [\"!1.3.0\", \"!1.3.1\"]}\n    window: 10m\n    warning: 0\n";
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(rule))) {
            d.h.open();
            String[][] reports = {{"c1", "1.3.0"}, {"c2", "1.3.1"}, {"c3", "1.2.0"}, {"c4", null}};
            for (String[] r : reports) {
                d.line(InputFormat.METRICS, "m", "{\"name\":\"app_info\",\"value\":1,\"time\":" + T0 + ",\"labels\":{"
                        + "\"cluster_id\":\"" + r[0] + "\"" + (r[1] == null ? "" : ",\"version\":\"" + r[1] + "\"") + "}}");
            }
            d.time(T0 + H);
            assertThat(d.alerts()).containsExactly(
                    "other_versions firing warning @60s cluster id c3", "other_versions resolved warning @660s cluster id c3");
            assertThat(d.keyedState()).isZero();
        }
    }
}
