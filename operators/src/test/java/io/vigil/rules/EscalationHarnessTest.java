package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alert.AlertIds;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Escalation levels and recurring mutes through the notification policy: levels reached at their
 * times with the alert's identity unchanged, none after the resolve, a muted window held back and
 * released like a silence; no state or timer left once every alert resolved.
 */
class EscalationHarnessTest {
    /** A Monday. */
    private static final long T0 = Instant.parse("2026-11-02T01:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;
    private static final String RULES = "rules:\n"
            + "  - id: shop_errors\n    kind: invalid_rate\n    window: 5m\n    warning: 1%\n"
            + "    labels: {pack: ecommerce-streaming, team: commerce}\n"
            + "  - id: loans_par\n    kind: invalid_rate\n    window: 5m\n    warning: 1%\n    labels: {pack: abaco-loans}\n"
            + "escalations:\n"
            + "  - id: ecommerce-critical\n    match: ['pack=\"ecommerce-streaming\"', severity=critical]\n"
            + "    levels: [{level: L1, after: 0}, {level: L2, after: 10m}, {level: L3, after: 20m}]\n"
            + "  - id: ecommerce\n    match: ['pack=\"ecommerce-streaming\"']\n"
            + "    levels: [{level: L1, after: 0}, {level: L2, after: 30m}, {level: L3, after: 60m}, {level: L4, after: 120m}]\n"
            + "time_intervals:\n"
            + "  - name: monday-maintenance\n    time_intervals:\n"
            + "      - weekdays: [monday]\n        times: [{start_time: \"02:00\", end_time: \"04:00\"}]\n        location: UTC\n"
            + "mutes:\n  - match: [pack=abaco-loans]\n    mute_time_intervals: [monday-maintenance]\n";

    private KeyedBroadcastOperatorTestHarness<String, AlertEvent, Control, AlertEvent> h;

    private void open(boolean replay) throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new NotificationPolicy(RulesFile.parse(RULES, "test"), new Silence[0], replay), a -> NotificationPolicy.KEY,
                Types.STRING, RuleStates.RULES, RuleStates.CLOCK, RuleStates.SILENCES, RuleStates.GAPS);
        h.open();
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aSeverityChangeThatAnotherPolicyTakesJudgesTheLevelAnewFromTheSameStart() throws Exception {
        open(true);
        send("shop_errors", AlertState.FIRING, T0, T0);
        time(T0 + 14 * MIN);
        AlertEvent critical = alert("shop_errors", AlertState.FIRING, T0 + 15 * MIN, T0);
        critical.severity = Severity.CRITICAL;
        h.processElement(critical, critical.eventTime);
        time(T0 + 24 * MIN);
        AlertEvent resolved = alert("shop_errors", AlertState.RESOLVED, T0 + 25 * MIN, T0);
        resolved.severity = Severity.CRITICAL;
        h.processElement(resolved, resolved.eventTime);
        time(T0 + 200 * MIN);
        assertThat(delivered()).containsExactly(
                "shop_errors firing @0m L1",
                "shop_errors firing @15m L2", // 15 minutes in: the critical policy's L2
                "shop_errors firing @20m L3",
                "shop_errors resolved @25m L3");
        assertThat(h.extractOutputValues()).extracting(a -> a.severity)
                .containsExactly(Severity.WARNING, Severity.CRITICAL, Severity.CRITICAL, Severity.CRITICAL);
        assertThat(keyedState()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    private static AlertEvent alert(String rule, AlertState state, long at, long startsAt) {
        AlertEvent a = new AlertEvent();
        a.alertId = AlertIds.of(rule, "source web");
        a.ruleId = rule;
        a.entity = "source web";
        a.state = state;
        a.severity = Severity.WARNING;
        a.eventTime = at;
        a.emittedAt = at;
        a.startsAt = startsAt;
        a.endsAt = state == AlertState.RESOLVED ? at : 0;
        a.labels = rule.equals("shop_errors")
                ? new Label[] {new Label("pack", "ecommerce-streaming"), new Label("team", "commerce")}
                : new Label[] {new Label("pack", "abaco-loans")};
        return a;
    }

    private void send(String rule, AlertState state, long at, long startsAt) throws Exception {
        h.processElement(alert(rule, state, at, startsAt), at);
    }

    /** The clock and the watermark move to {@code t}. */
    private void time(long t) throws Exception {
        h.processBroadcastElement(Control.tick(t), t);
        h.processWatermark(t);
        h.processBroadcastWatermark(t);
    }

    private List<String> delivered() {
        return h.extractOutputValues().stream()
                .map(a -> a.ruleId + " " + a.state.wire() + " @" + (a.eventTime - T0) / MIN + "m"
                        + (a.escalationLevel == null ? "" : " " + a.escalationLevel))
                .collect(Collectors.toList());
    }

    private int keyedState() {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    @Test
    void levelsFireAtTheirTimesWithTheSameIdentityAndStopOnResolve() throws Exception {
        open(true);
        send("shop_errors", AlertState.FIRING, T0, T0);
        time(T0 + 70 * MIN);
        send("shop_errors", AlertState.RESOLVED, T0 + 75 * MIN, T0);
        time(T0 + 300 * MIN); // L4 would be due at 120m
        assertThat(delivered()).containsExactly(
                "shop_errors firing @0m L1",
                "shop_errors firing @30m L2",
                "shop_errors firing @60m L3",
                "shop_errors resolved @75m L3");
        List<AlertEvent> out = h.extractOutputValues();
        assertThat(out).extracting(a -> a.alertId).containsOnly(AlertIds.of("shop_errors", "source web"));
        assertThat(out).extracting(a -> a.startsAt).containsOnly(T0);
        assertThat(out.get(1).labels).contains(new Label("escalation_level", "L2"), new Label("team", "commerce"));
        assertThat(Arrays.stream(out.get(1).labels).filter(l -> l.key.equals("escalation_level")).count()).isEqualTo(1);
        assertThat(keyedState()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aResolveCancelsTheTimerOfTheNextLevelAtOnce() throws Exception {
        open(true);
        send("shop_errors", AlertState.FIRING, T0, T0);
        time(T0 + 10 * MIN);
        assertThat(h.numEventTimeTimers()).isEqualTo(1); // L2 at 30m
        send("shop_errors", AlertState.RESOLVED, T0 + 12 * MIN, T0);
        time(T0 + 12 * MIN);
        assertThat(delivered()).containsExactly("shop_errors firing @0m L1", "shop_errors resolved @12m L1");
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(keyedState()).isZero();
    }

    @Test
    void repeatsCarryTheLevelReachedAndAnAlertWithoutPolicyHasNone() throws Exception {
        open(true);
        send("shop_errors", AlertState.FIRING, T0 - 50 * MIN, T0 - 50 * MIN); // started 50m earlier: L2 already
        send("loans_par", AlertState.FIRING, T0 - 50 * MIN, T0 - 50 * MIN);
        time(T0 - 40 * MIN);
        send("shop_errors", AlertState.FIRING, T0 - 35 * MIN, T0 - 50 * MIN); // a repeat
        time(T0 - 30 * MIN);
        assertThat(delivered()).containsExactly(
                "loans_par firing @-50m",
                "shop_errors firing @-50m L1",
                "shop_errors firing @-35m L1");
        time(T0 - 20 * MIN);
        assertThat(delivered()).last().isEqualTo("shop_errors firing @-20m L2");
    }

    @Test
    void aMutedWindowHoldsChangesBackAndReleasesTheAlertWhenItEnds() throws Exception {
        open(true);
        // fires inside Monday 02:00-04:00 UTC: held; a resolve whose firing never went out stays quiet
        send("loans_par", AlertState.FIRING, T0 + 70 * MIN, T0 + 70 * MIN);
        send("loans_par", AlertState.RESOLVED, T0 + 80 * MIN, T0 + 70 * MIN);
        // fires inside and still fires when the window ends at 04:00: delivered then
        send("loans_par", AlertState.FIRING, T0 + 90 * MIN, T0 + 90 * MIN);
        time(T0 + 170 * MIN);
        assertThat(delivered()).isEmpty();
        time(T0 + 180 * MIN);
        assertThat(delivered()).containsExactly("loans_par firing @180m");
        send("loans_par", AlertState.RESOLVED, T0 + 200 * MIN, T0 + 90 * MIN);
        time(T0 + 200 * MIN);
        assertThat(delivered()).containsExactly("loans_par firing @180m", "loans_par resolved @200m");
        assertThat(keyedState()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aResolveGoesOutInTheWindowWhenItsFiringWentOutBeforeIt() throws Exception {
        open(true);
        send("loans_par", AlertState.FIRING, T0 + 30 * MIN, T0 + 30 * MIN);
        send("loans_par", AlertState.RESOLVED, T0 + 70 * MIN, T0 + 30 * MIN);
        time(T0 + 100 * MIN);
        assertThat(delivered()).containsExactly("loans_par firing @30m", "loans_par resolved @70m");
        assertThat(keyedState()).isZero();
    }

    @Test
    void liveLevelsCountOnTheWallClockFromWhenTheAlertWasFirstSeen() throws Exception {
        open(false);
        h.setProcessingTime(T0 + 1000 * MIN); // event time lags far behind the wall clock
        send("shop_errors", AlertState.FIRING, T0, T0);
        h.setProcessingTime(T0 + 1029 * MIN);
        assertThat(delivered()).containsExactly("shop_errors firing @0m L1");
        h.setProcessingTime(T0 + 1030 * MIN);
        assertThat(delivered()).containsExactly("shop_errors firing @0m L1", "shop_errors firing @1030m L2");
        send("shop_errors", AlertState.RESOLVED, T0 + 40 * MIN, T0);
        assertThat(h.numProcessingTimeTimers()).isZero();
        assertThat(delivered()).last().isEqualTo("shop_errors resolved @40m L2");
        assertThat(keyedState()).isZero();
    }

    @Test
    void liveMutesAreJudgedOnTheWallClock() throws Exception {
        open(false);
        h.setProcessingTime(T0 + 90 * MIN); // Monday 02:30 UTC on the wall clock
        send("loans_par", AlertState.FIRING, T0 - 600 * MIN, T0 - 600 * MIN); // event time outside the window
        assertThat(delivered()).isEmpty();
        h.setProcessingTime(T0 + 180 * MIN);
        assertThat(delivered()).containsExactly("loans_par firing @180m");
        send("loans_par", AlertState.RESOLVED, T0 - 590 * MIN, T0 - 600 * MIN);
        assertThat(keyedState()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
    }

    @Test
    void rulesCheckNamesBadPolicies() {
        String file = "rules: []\nescalations:\n"
                + "  - id: p\n    match: ['pack=~\"(\"']\n"
                + "    levels: [{level: L1, after: 0}, {level: L2, after: 60m}, {level: L3, after: 30m}, {level: L2, after: 2h}]\n"
                + "  - id: p\n    levels: [{level: L1, after: soon}]\n";
        TimeIntervalTest.assertThatErrors(file)
                .anySatisfy(e -> assertThat(e).contains("escalation 'p'").contains("not a regular expression"))
                .anySatisfy(e -> assertThat(e).contains("levels #3").contains("30m is not later than the level before it"))
                .anySatisfy(e -> assertThat(e).contains("level 'L2' named twice"))
                .anySatisfy(e -> assertThat(e).contains("escalation 'p': id used twice"))
                .anySatisfy(e -> assertThat(e).contains("field 'match': is required"))
                .anySatisfy(e -> assertThat(e).contains("'soon' is not a duration"));
    }
}
