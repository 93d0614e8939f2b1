package io.vigil.rules;

import static io.vigil.rules.EvaluatorDriver.MIN;
import static io.vigil.rules.EvaluatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.InputFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule kind through the whole lifecycle, evaluator and notification policy together: a
 * three-hour script (quiet, warning, critical, warning, quiet) fires, escalates, de-escalates,
 * repeats every {@code repeat_interval} while firing and resolves; a silence over the incident
 * delivers nothing while the lifecycle runs the same; an inhibiting alert delivers nothing of it;
 * and the entity leaves no state or timer behind once it is quiet.
 */
class RuleKindLifecycleHarnessTest {
    private static final int MINUTES = 180;
    private static final String COMMON = "    repeat_interval: 20m\n    labels: {team: t}\n";
    private static final DateTimeFormatter REES46_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private enum Level {
        OK,
        WARNING,
        CRITICAL
    }

    /** The script of the thresholded kinds: quiet, warning, critical, back to warning, quiet. */
    private static Level level(int minute) {
        if (minute < 10 || minute >= 130) {
            return Level.OK;
        }
        return minute >= 60 && minute < 90 ? Level.CRITICAL : Level.WARNING;
    }

    /** One input record of a script, at its event time. */
    private static final class Record {
        final long t;
        final InputFormat format;
        final String source;
        final String text;

        Record(long t, InputFormat format, String source, String text) {
            this.t = t;
            this.format = format;
            this.source = source;
            this.text = text;
        }
    }

    private static Arguments kind(String id, String rule, IntFunction<List<Record>> perMinute, String severities,
            boolean watchesForSilence) {
        return Arguments.of(id, "  - id: " + id + "\n" + rule + COMMON, perMinute, severities, watchesForSilence);
    }

    static Stream<Arguments> kinds() {
        return Stream.of(
                kind("metric_threshold", "    kind: metric_threshold\n    select: {metric: par_90_pct}\n    warning: 3\n    critical: 5\n",
                        m -> List.of(metric(m, level(m) == Level.OK ? 1 : level(m) == Level.WARNING ? 4 : 6)),
                        "warning critical warning", false),
                kind("invalid_rate", "    kind: invalid_rate\n    window: {size: 5m, slide: 1m}\n    warning: 10%\n    critical: 50%\n",
                        m -> commerce(m, level(m) == Level.OK ? 0 : level(m) == Level.WARNING ? 2 : 6),
                        "warning critical warning", false),
                kind("failure_rate", "    kind: failure_rate\n    window: {size: 10m, slide: 1m}\n    warning: 5%\n    critical: 50%\n",
                        m -> finishedRuns(m, level(m) == Level.OK ? 0 : level(m) == Level.WARNING ? 2 : 6),
                        "warning critical warning", false),
                kind("latency_quantile", "    kind: latency_quantile\n    quantile: 0.95\n    window: {size: 5m, slide: 1m}\n"
                                + "    warning: 600s\n    critical: 900s\n",
                        m -> timedRun(m, level(m) == Level.OK ? 60 : level(m) == Level.WARNING ? 700 : 1000),
                        "warning critical warning", false),
                kind("distinct_count", "    kind: distinct_count\n    select: {family: auth, field: destination_computer, key: source_user}\n"
                                + "    window: {size: 5m, slide: 1m}\n    warning: 3\n    critical: 8\n",
                        m -> logons(m, level(m) == Level.OK ? 1 : level(m) == Level.WARNING ? 5 : 10),
                        "warning critical warning", false),
                kind("dq_assertion", "    kind: dq_assertion\n    severity: warning\n",
                        m -> List.of(assertion(m, level(m) == Level.OK)), "warning", false),
                // the deadline kinds: silent from minute 5 to 130, warning after 5m, critical after 45m
                kind("source_stale", "    kind: source_stale\n    warning: 5m\n    critical: 45m\n",
                        m -> m < 5 || m >= 130 ? List.of(logon(m)) : List.of(), "warning critical", true),
                kind("dataset_freshness", "    kind: dataset_freshness\n    warning: 5m\n    critical: 45m\n",
                        m -> m < 5 || m >= 130 ? List.of(output(m)) : List.of(), "warning critical", true),
                // a run hangs from minute 0 to 130 against a 12m/15m budget
                kind("run_duration", "    kind: run_duration\n    warning: 12m\n    critical: 15m\n",
                        m -> m == 0 ? List.of(run("START", "hung", m, 0)) : m == 130 ? List.of(run("COMPLETE", "hung", m, 0))
                                : List.of(),
                        "warning critical", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void firesEscalatesRepeatsResolvesAndLeavesNothing(String id, String rule, IntFunction<List<Record>> script,
            String severities, boolean watchesForSilence) throws Exception {
        List<AlertEvent> lifecycle;
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(rule))) {
            d.h.open();
            play(d, script);
            List<AlertEvent> delivered = delivered(d);
            lifecycle = d.h.extractOutputValues();
            assertThat(delivered).as("nothing muted: all is delivered").hasSameSizeAs(lifecycle);
            assertThat(delivered).allMatch(a -> a.ruleId.equals(id));
            assertThat(delivered.get(delivered.size() - 1).state).isEqualTo(AlertState.RESOLVED);
            assertThat(delivered.stream().filter(a -> a.state == AlertState.RESOLVED)).hasSize(1);
            assertThat(severityChanges(delivered)).isEqualTo(severities);
            assertRepeatsEveryTwentyMinutes(delivered);
            if (watchesForSilence) {
                // the entity is alive again and watched for the next silence: its last-seen and active
                // times, its deadlines and its retention
                assertThat(d.keyedState()).isEqualTo(2);
                assertThat(d.h.numEventTimeTimers()).isLessThanOrEqualTo(3);
            } else {
                d.time(T0 + 400 * MIN);
                assertThat(d.h.extractOutputValues()).hasSameSizeAs(lifecycle);
                assertThat(d.keyedState()).isZero();
                assertThat(d.h.numEventTimeTimers()).isZero();
            }
            assertThat(policyState(d)).isZero();
        }

        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(rule))) {
            d.h.open();
            d.control(ControlLines.parse("{\"silence\":{\"id\":\"s\",\"matchers\":{\"rule_id\":\"" + id + "\",\"team\":\"t\"},"
                    + "\"starts_at\":\"2026-11-02T10:00:00Z\",\"ends_at\":\"2026-11-02T14:00:00Z\"}}"), T0);
            play(d, script);
            assertThat(delivered(d)).as("silenced").isEmpty();
            assertThat(describe(d.h.extractOutputValues())).as("the lifecycle goes on under a silence")
                    .isEqualTo(describe(lifecycle));
        }

        String inhibited = rule + "  - id: cause\n    kind: metric_threshold\n    select: {metric: upstream_down}\n    warning: 1\n"
                + "inhibit:\n  - source: {rule_id: cause}\n    target: {rule_id: " + id + "}\n";
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(inhibited))) {
            d.h.open();
            d.line(InputFormat.METRICS, "kpi", EvaluatorDriver.metric("upstream_down", 2, T0));
            play(d, script);
            assertThat(delivered(d)).extracting(a -> a.ruleId).as("inhibited").containsExactly("cause");
        }
    }

    /** Feeds the script minute by minute, the clock and watermark following. */
    private static void play(EvaluatorDriver d, IntFunction<List<Record>> script) throws Exception {
        for (int m = 0; m < MINUTES; m++) {
            List<Record> records = new ArrayList<>(script.apply(m));
            records.sort(Comparator.comparingLong(r -> r.t));
            for (Record r : records) {
                d.line(r.format, r.source, r.text, r.t);
            }
            d.time(T0 + (m + 1) * MIN);
        }
    }

    private static List<AlertEvent> delivered(EvaluatorDriver d) throws Exception {
        d.alerts();
        return d.policy.extractOutputValues();
    }

    private static int policyState(EvaluatorDriver d) {
        return ((HeapKeyedStateBackend<?>) d.policy.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    /** The severities the alert took, in order, repeats folded: "warning critical warning". */
    private static String severityChanges(List<AlertEvent> alerts) {
        List<String> out = new ArrayList<>();
        for (AlertEvent a : alerts) {
            if (a.state == AlertState.FIRING && (out.isEmpty() || !out.get(out.size() - 1).equals(a.severity.wire()))) {
                out.add(a.severity.wire());
            }
        }
        return String.join(" ", out);
    }

    private static void assertRepeatsEveryTwentyMinutes(List<AlertEvent> alerts) {
        int repeats = 0;
        for (int i = 1; i < alerts.size(); i++) {
            AlertEvent prev = alerts.get(i - 1);
            AlertEvent a = alerts.get(i);
            if (a.state == AlertState.FIRING && prev.severity == a.severity) {
                assertThat(a.eventTime - prev.eventTime).as("repeat after %s", prev.summary).isEqualTo(20 * MIN);
                assertThat(a.startsAt).isEqualTo(prev.startsAt);
                repeats++;
            }
        }
        assertThat(repeats).as("re-notified while firing").isPositive();
    }

    private static List<String> describe(List<AlertEvent> alerts) {
        return alerts.stream()
                .map(a -> a.state.wire() + " " + a.severity.wire() + " @" + (a.eventTime - T0) / MIN + "m " + a.entity)
                .collect(Collectors.toList());
    }

    // ---- the records of the scripts ----------------------------------------------------------

    private static long at(int minute, int second) {
        return T0 + minute * MIN + second * 1000L;
    }

    private static Record metric(int m, double v) {
        return new Record(at(m, 0), InputFormat.METRICS, "kpi", EvaluatorDriver.metric("par_90_pct", v, at(m, 0)));
    }

    /** Ten commerce records in a minute, {@code invalid} of them broken. */
    private static List<Record> commerce(int m, int invalid) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long t = at(m, i * 5);
            String text = i < invalid ? "broken," + i : REES46_TIME.format(Instant.ofEpochMilli(t)) + ",view,1,2,,,1.0,3,s";
            out.add(new Record(t, InputFormat.REES46, "shop", text));
        }
        return out;
    }

    /** Ten finished runs of one job in a minute, {@code failed} of them FAIL. */
    private static List<Record> finishedRuns(int m, int failed) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.add(run(i < failed ? "FAIL" : "COMPLETE", "r" + m + "-" + i, m, i * 5));
        }
        return out;
    }

    /** A run that ends at this minute after {@code seconds}; it started earlier, so its START is fed then. */
    private static List<Record> timedRun(int m, int seconds) {
        List<Record> out = new ArrayList<>();
        out.add(run("COMPLETE", "run" + m, m, 0));
        // the START of the run that ends in the minute ahead whose start falls in this minute
        for (int end = m; end <= m + 20; end++) {
            long start = at(end, 0) - (level(end) == Level.OK ? 60 : level(end) == Level.WARNING ? 700 : 1000) * 1000L;
            if (start >= at(m, 0) && start < at(m + 1, 0) && end < MINUTES) {
                out.add(new Record(start, InputFormat.OPENLINEAGE, "ol", EvaluatorDriver.run("START", "run" + end, "j", start, "")));
            }
        }
        return out;
    }

    /** One user logging on to {@code computers} distinct computers in a minute. */
    private static List<Record> logons(int m, int computers) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < computers; i++) {
            long t = at(m, i * 5);
            out.add(new Record(t, InputFormat.LANL_AUTH, "auth", EvaluatorDriver.lanl(t, "U1", "C" + i, "Success")));
        }
        return out;
    }

    private static Record logon(int m) {
        return new Record(at(m, 0), InputFormat.LANL_AUTH, "auth", EvaluatorDriver.lanl(at(m, 0), "U1", "C1", "Success"));
    }

    private static Record assertion(int m, boolean success) {
        String in = ",\"inputs\":[{\"namespace\":\"s3://lake\",\"name\":\"orders\",\"inputFacets\":{\"dataQualityAssertions\":"
                + "{\"assertions\":[{\"assertion\":\"not_null\",\"success\":" + success + ",\"column\":\"amount\"}]}}}]";
        return new Record(at(m, 0), InputFormat.OPENLINEAGE, "ol", EvaluatorDriver.run("COMPLETE", "dq" + m, "j", at(m, 0), in));
    }

    private static Record output(int m) {
        String out = ",\"outputs\":[{\"namespace\":\"s3://lake\",\"name\":\"orders\"}]";
        return new Record(at(m, 0), InputFormat.OPENLINEAGE, "ol", EvaluatorDriver.run("COMPLETE", "w" + m, "j", at(m, 0), out));
    }

    private static Record run(String type, String runId, int m, int second) {
        return new Record(at(m, second), InputFormat.OPENLINEAGE, "ol",
                EvaluatorDriver.run(type, runId, "j", at(m, second), ""));
    }
}
