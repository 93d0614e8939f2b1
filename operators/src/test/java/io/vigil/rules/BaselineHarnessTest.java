package io.vigil.rules;

import static io.vigil.rules.EvaluatorDriver.MIN;
import static io.vigil.rules.EvaluatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.InputFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * baseline rules in the evaluator and notification policy, on weeks of history the tests generate:
 * a healthy history gives no alert, an incident fires at the right time and severity, nothing fires
 * before min_history, and once the entity goes silent for its retention no state or timer is left.
 */
class BaselineHarnessTest {
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;
    /** Midnight UTC of the test's first day (T0 is a Monday, 10:00). */
    private static final long DAY0 = T0 - 10 * HOUR;

    /** A state change as "state severity @day d hh:mm", repeats left out. */
    private static List<String> changes(List<AlertEvent> alerts) {
        List<String> out = new ArrayList<>();
        for (AlertEvent a : alerts) {
            long m = (a.eventTime - DAY0) / MIN;
            out.add(a.state.wire() + " " + a.severity.wire() + " @day " + m / (24 * 60)
                    + String.format(" %02d:%02d", m / 60 % 24, m % 60));
        }
        return out;
    }

    private static List<AlertEvent> delivered(EvaluatorDriver d) throws Exception {
        d.alerts();
        return d.policy.extractOutputValues();
    }

    // ---- run_duration, same hour of the week

    private static final String SLOW_RUNS = "  - id: slow_run\n    kind: baseline\n    value: run_duration\n"
            + "    select: {job: \"etl/*\"}\n    history: same_hour_of_week\n    weeks: 4\n    min_history: 3w\n"
            + "    warning: 1.5x\n    critical: 2x\n    repeat_interval: 30d\n";

    /** A daily run at 02:00 of {@code seconds}, the watermark following its end. */
    private static void run(EvaluatorDriver d, int day, long seconds) throws Exception {
        long start = DAY0 + day * DAY + 2 * HOUR;
        long end = start + seconds * 1000;
        d.line(InputFormat.OPENLINEAGE, "lineage", EvaluatorDriver.run("START", "r" + day, "loans", start, ""));
        d.line(InputFormat.OPENLINEAGE, "lineage", EvaluatorDriver.run("COMPLETE", "r" + day, "loans", end, ""));
        d.time(end + MIN);
    }

    /** About 1,480 s a run, a minute either way. */
    private static long normal(Random rnd) {
        return 1450 + rnd.nextInt(61);
    }

    @Test
    void runDurationAgainstTheSameHourOfWeek() throws Exception {
        Random rnd = new Random(16);
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(SLOW_RUNS))) {
            d.h.open();
            for (int day = 0; day < 42; day++) {
                // day 9: 2.4x, before min_history (3 weeks): no verdict yet; later, one of the 4
                // weeks a baseline is the median of, which it does not move
                long seconds = day == 9 ? 3500 : day == 30 ? 3120 : day == 33 ? 2300 : normal(rnd);
                run(d, day, seconds);
            }
            List<AlertEvent> alerts = delivered(d);
            // the next normal run (about 24 minutes past 02:00) resolves each
            assertThat(changes(alerts)).hasSize(4);
            assertThat(changes(alerts).get(0)).isEqualTo("firing critical @day 30 02:52");
            assertThat(changes(alerts).get(1)).startsWith("resolved critical @day 31 02:2");
            assertThat(changes(alerts).get(2)).isEqualTo("firing warning @day 33 02:38");
            assertThat(changes(alerts).get(3)).startsWith("resolved warning @day 34 02:2");
            assertThat(alerts.get(0).entity).isEqualTo("job etl/loans");
            assertThat(alerts.get(0).summary).matches("job etl/loans: run duration 3,120 s vs baseline 1,4[5-9]\\d s "
                    + "\\(2\\.1\\dx, same hour of week, 4w\\) \\(critical: above 2x\\)");
            assertThat(alerts.get(0).value).isBetween(2.0, 2.2);
            assertThat(alerts.get(0).threshold).isEqualTo(2.0);

            // silent for its retention (8 weeks): retired, nothing left
            d.time(DAY0 + 41 * DAY + 9 * 7 * DAY);
            assertThat(delivered(d)).hasSize(4);
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void minHistoryHoldsTheVerdict() throws Exception {
        // the same slow run on day 9 fires once the rule asks for one week of history only
        Random rnd = new Random(16);
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(SLOW_RUNS.replace("min_history: 3w", "min_history: 1w")))) {
            d.h.open();
            for (int day = 0; day < 11; day++) {
                run(d, day, day == 9 ? 3500 : normal(rnd));
            }
            assertThat(changes(delivered(d))).first().isEqualTo("firing critical @day 9 02:58");
        }
    }

    // ---- event_count, trailing median

    private static final String QUIET_SOURCE = "  - id: quiet_source\n    kind: baseline\n    value: event_count\n"
            + "    select: {source: auth}\n    history: trailing 3d\n    window: 1h\n    min_history: 2d\n"
            + "    direction: below\n    warning: 0.5x\n    critical: 0.2x\n    repeat_interval: 30d\n";

    /** {@code n} logons spread over hour {@code hour} (from DAY0), then the watermark at its end. */
    private static void hour(EvaluatorDriver d, int hour, int n) throws Exception {
        long start = DAY0 + hour * HOUR;
        for (int i = 0; i < n; i++) {
            long t = start + (i * HOUR) / n;
            d.line(InputFormat.LANL_AUTH, "auth", EvaluatorDriver.lanl(t, "U" + i, "C" + i, "Success"));
        }
        d.time(start + HOUR);
    }

    @Test
    void eventCountAgainstTheTrailingMedian() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(QUIET_SOURCE))) {
            d.h.open();
            for (int h = 0; h < 4 * 24; h++) {
                int n = 20 + h % 3;
                if (h == 30) {
                    n = 0; // day 1: a silent hour before min_history, no verdict
                } else if (h >= 3 * 24 + 10 && h < 3 * 24 + 13) {
                    n = 6; // day 3, 10:00-13:00: under half the normal count
                } else if (h == 3 * 24 + 13) {
                    n = 0; // then an hour without a record
                }
                hour(d, h, n);
            }
            List<String> incident = changes(delivered(d));
            assertThat(incident).containsExactly("firing warning @day 3 11:00", "firing critical @day 3 14:00",
                    "resolved critical @day 3 15:00");
            assertThat(delivered(d).get(0).summary).isEqualTo("source auth: events in 1h 6 vs baseline 21 (0.29x, "
                    + "trailing 3d median) (warning: below 0.5x)");

            // the source stops: its first empty window is a drop; once empty windows are most of the
            // trailing 3 days (day 5, 13:00) they are the baseline, and the alert resolves. Silent
            // for its retention (7 days), the source is retired.
            d.time(DAY0 + 20 * DAY);
            List<String> all = changes(delivered(d));
            assertThat(all.subList(3, all.size())).containsExactly("firing critical @day 4 01:00", "resolved critical @day 5 13:00");
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    // ---- metric samples, robust z-score

    @Test
    void metricSamplesAgainstARobustZScore() throws Exception {
        String rule = "  - id: kpi_outlier\n    kind: baseline\n    value: metric\n    select: {metric: par_90_pct}\n"
                + "    history: trailing 2d\n    min_history: 24 points\n    zscore: 4\n    repeat_interval: 30d\n";
        Random rnd = new Random(3);
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(rule))) {
            d.h.open();
            for (long t = DAY0; t < DAY0 + 3 * DAY; t += 10 * MIN) {
                boolean spike = t == DAY0 + 2 * DAY + 12 * HOUR;
                double v = spike ? 4.5 : 2.0 + rnd.nextGaussian() * 0.1;
                d.line(InputFormat.METRICS, "kpi", EvaluatorDriver.metric("par_90_pct", v, t));
                d.time(t + MIN);
            }
            List<AlertEvent> alerts = delivered(d);
            assertThat(changes(alerts)).containsExactly("firing warning @day 2 12:00", "resolved warning @day 2 12:10");
            assertThat(alerts.get(0).entity).isEqualTo("metric par_90_pct{portfolio=abaco}");
            assertThat(alerts.get(0).summary).matches("metric par_90_pct\\{portfolio=abaco\\}: value 4.5 vs baseline (1.9|2.0)\\d* \\(\\d+(.\\d)?z, trailing 2d median\\) \\(warning: above 4z\\)");
            d.time(DAY0 + 20 * DAY);
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void healthyWeeksGiveNoAlert() throws Exception {
        Random rnd = new Random(7);
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(SLOW_RUNS + QUIET_SOURCE))) {
            d.h.open();
            for (int h = 0; h < 6 * 7 * 24; h++) {
                if (h % 24 == 2) {
                    run(d, h / 24, normal(rnd));
                }
                hour(d, h, 18 + rnd.nextInt(7));
            }
            assertThat(delivered(d).stream().map(a -> a.ruleId + " " + a.summary).collect(Collectors.toList())).isEmpty();
            assertThat(d.keyedState()).as("the histories are kept").isPositive();
        }
    }
}
