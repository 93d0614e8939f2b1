package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alert.AlertIds;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Drives the notification policy with alert state changes and watermarks, as the evaluator emits
 * them: inhibit rules hold back symptoms while their cause fires and release them when it
 * resolves; silences in replay; nothing left behind once every alert resolved.
 */
class NotificationPolicyHarnessTest {
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;
    private static final String RULES = "rules:\n"
            + "  - id: source_stale\n    kind: source_stale\n    warning: 5m\n    critical: 15m\n"
            + "  - id: auth_invalid_records\n    kind: invalid_rate\n    window: 5m\n    warning: 0.1%\n    labels: {team: security}\n"
            + "inhibit:\n  - source: {rule_id: source_stale}\n    target: {rule_id: auth_invalid_records}\n    equal: [entity]\n";

    private final KeyedBroadcastOperatorTestHarness<String, AlertEvent, Control, AlertEvent> h;

    NotificationPolicyHarnessTest() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new NotificationPolicy(RulesFile.parse(RULES, "test"), new Silence[0], true), a -> NotificationPolicy.KEY,
                Types.STRING, RuleStates.RULES, RuleStates.CLOCK, RuleStates.SILENCES, RuleStates.GAPS);
        h.open();
    }

    private static AlertEvent alert(String rule, String entity, AlertState state, Severity severity, long at) {
        AlertEvent a = new AlertEvent();
        a.alertId = AlertIds.of(rule, entity);
        a.ruleId = rule;
        a.entity = entity;
        a.state = state;
        a.severity = severity;
        a.eventTime = at;
        a.emittedAt = at;
        a.startsAt = at;
        a.labels = rule.startsWith("auth") ? new Label[] {new Label("team", "security")} : new Label[0];
        return a;
    }

    private void send(String rule, String entity, AlertState state, Severity severity, long at) throws Exception {
        h.processElement(alert(rule, entity, state, severity, at), at);
    }

    /** The clock and the watermark move to {@code t}. */
    private void time(long t) throws Exception {
        h.processBroadcastElement(Control.tick(t), t);
        h.processWatermark(t);
        h.processBroadcastWatermark(t);
    }

    private List<String> delivered() {
        return h.extractOutputValues().stream()
                .map(a -> a.ruleId + " " + a.state.wire() + " " + a.severity.wire() + " @" + (a.eventTime - T0) / MIN + "m "
                        + a.entity)
                .collect(Collectors.toList());
    }

    private int keyedState() {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    @Test
    void aSymptomIsHeldWhileItsCauseFiresAndDeliveredWhenTheCauseResolves() throws Exception {
        send("source_stale", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 5 * MIN);
        send("auth_invalid_records", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 6 * MIN);
        send("auth_invalid_records", "source lanl", AlertState.FIRING, Severity.WARNING, T0 + 6 * MIN); // other entity
        time(T0 + 10 * MIN);
        assertThat(delivered()).containsExactly(
                "source_stale firing warning @5m source auth",
                "auth_invalid_records firing warning @6m source lanl");
        send("source_stale", "source auth", AlertState.RESOLVED, Severity.WARNING, T0 + 12 * MIN);
        send("auth_invalid_records", "source auth", AlertState.RESOLVED, Severity.WARNING, T0 + 14 * MIN);
        send("auth_invalid_records", "source lanl", AlertState.RESOLVED, Severity.WARNING, T0 + 14 * MIN);
        time(T0 + 20 * MIN);
        assertThat(delivered()).containsExactly(
                "source_stale firing warning @5m source auth",
                "auth_invalid_records firing warning @6m source lanl",
                "source_stale resolved warning @12m source auth",
                "auth_invalid_records firing warning @12m source auth",
                "auth_invalid_records resolved warning @14m source auth",
                "auth_invalid_records resolved warning @14m source lanl");
        assertThat(keyedState()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aSymptomThatEndsBeforeItsCauseIsNeverNotified() throws Exception {
        send("source_stale", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 5 * MIN);
        send("auth_invalid_records", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 6 * MIN);
        send("auth_invalid_records", "source auth", AlertState.RESOLVED, Severity.WARNING, T0 + 8 * MIN);
        send("source_stale", "source auth", AlertState.FIRING, Severity.CRITICAL, T0 + 15 * MIN);
        send("source_stale", "source auth", AlertState.RESOLVED, Severity.CRITICAL, T0 + 16 * MIN);
        time(T0 + 20 * MIN);
        assertThat(delivered()).containsExactly(
                "source_stale firing warning @5m source auth",
                "source_stale firing critical @15m source auth",
                "source_stale resolved critical @16m source auth");
        assertThat(keyedState()).isZero();
    }

    @Test
    void aDeliveredSymptomIsQuietWhileTheCauseFiresButItsResolveStillGoesOut() throws Exception {
        send("auth_invalid_records", "source auth", AlertState.FIRING, Severity.WARNING, T0 + MIN);
        send("source_stale", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 5 * MIN);
        send("auth_invalid_records", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 6 * MIN); // a repeat
        send("auth_invalid_records", "source auth", AlertState.RESOLVED, Severity.WARNING, T0 + 7 * MIN);
        time(T0 + 10 * MIN);
        assertThat(delivered()).containsExactly(
                "auth_invalid_records firing warning @1m source auth",
                "source_stale firing warning @5m source auth",
                "auth_invalid_records resolved warning @7m source auth"); // no incident left open
    }

    @Test
    void causeAndSymptomAtTheSameEventTimeGiveTheSameOutputWhicheverArrivesFirst() throws Exception {
        send("auth_invalid_records", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 5 * MIN);
        send("source_stale", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 5 * MIN);
        time(T0 + 10 * MIN);
        assertThat(delivered()).containsExactly("source_stale firing warning @5m source auth");
        h.close();

        try (KeyedBroadcastOperatorTestHarness<String, AlertEvent, Control, AlertEvent> other =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new NotificationPolicy(RulesFile.parse(RULES, "test"), new Silence[0], true),
                        a -> NotificationPolicy.KEY, Types.STRING, RuleStates.RULES, RuleStates.CLOCK, RuleStates.SILENCES, RuleStates.GAPS)) {
            other.open();
            long t = T0 + 5 * MIN;
            other.processElement(alert("source_stale", "source auth", AlertState.FIRING, Severity.WARNING, t), t);
            other.processElement(alert("auth_invalid_records", "source auth", AlertState.FIRING, Severity.WARNING, t), t);
            other.processWatermark(T0 + 10 * MIN);
            other.processBroadcastWatermark(T0 + 10 * MIN);
            assertThat(other.extractOutputValues()).extracting(a -> a.ruleId).containsExactly("source_stale");
        }
    }

    @Test
    void inReplayARepeatInsideAGapIsDroppedButWhatChangesAnAlertIsNot() throws Exception {
        h.processBroadcastElement(Control.gap(T0 + 10 * MIN, T0 + 100 * MIN), T0);
        sendSince("source_stale", AlertState.FIRING, Severity.WARNING, T0 + 5 * MIN);
        sendSince("source_stale", AlertState.FIRING, Severity.WARNING, T0 + 20 * MIN); // a repeat in the gap
        sendSince("source_stale", AlertState.FIRING, Severity.CRITICAL, T0 + 30 * MIN); // an escalation in it
        sendSince("source_stale", AlertState.FIRING, Severity.CRITICAL, T0 + 50 * MIN); // a repeat in it
        sendSince("source_stale", AlertState.FIRING, Severity.CRITICAL, T0 + 100 * MIN); // at its end: outside it
        sendSince("source_stale", AlertState.RESOLVED, Severity.CRITICAL, T0 + 110 * MIN);
        send("auth_invalid_records", "source lanl", AlertState.FIRING, Severity.WARNING, T0 + 40 * MIN); // new: not a repeat
        time(T0 + 200 * MIN);
        assertThat(delivered()).containsExactly(
                "source_stale firing warning @5m source auth",
                "source_stale firing critical @30m source auth",
                "auth_invalid_records firing warning @40m source lanl",
                "source_stale firing critical @100m source auth",
                "source_stale resolved critical @110m source auth");
    }

    /** An event of the source_stale alert of source auth, firing since T0 + 5m. */
    private void sendSince(String rule, AlertState state, Severity severity, long at) throws Exception {
        AlertEvent a = alert(rule, "source auth", state, severity, at);
        a.startsAt = T0 + 5 * MIN;
        h.processElement(a, at);
    }

    @Test
    void aRuleUpdateCanRemoveAnInhibition() throws Exception {
        h.processBroadcastElement(Control.rules(RulesFile.parse(RULES.substring(0, RULES.indexOf("inhibit:")), "t")), T0);
        send("source_stale", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 5 * MIN);
        send("auth_invalid_records", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 6 * MIN);
        time(T0 + 10 * MIN);
        assertThat(delivered()).hasSize(2);
    }

    @Test
    void inReplayASilenceThatEndsWhileTheAlertFiresDeliversItAtTheEndButNotBeyondTheInput() throws Exception {
        h.processBroadcastElement(ControlLines.parse("{\"silence\":{\"id\":\"m\",\"matchers\":{\"team\":\"security\"},"
                + "\"starts_at\":\"2026-11-02T10:00:00Z\",\"ends_at\":\"2026-11-02T10:30:00Z\"}}"), T0);
        send("auth_invalid_records", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 6 * MIN);
        send("auth_invalid_records", "source lanl", AlertState.FIRING, Severity.WARNING, T0 + 7 * MIN);
        send("auth_invalid_records", "source lanl", AlertState.RESOLVED, Severity.WARNING, T0 + 9 * MIN);
        time(T0 + 29 * MIN);
        assertThat(delivered()).isEmpty();
        time(T0 + 31 * MIN);
        assertThat(delivered()).containsExactly("auth_invalid_records firing warning @30m source auth");
        send("auth_invalid_records", "source auth", AlertState.RESOLVED, Severity.WARNING, T0 + 40 * MIN);
        time(T0 + 41 * MIN);
        assertThat(delivered()).last().isEqualTo("auth_invalid_records resolved warning @40m source auth");
        assertThat(keyedState()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();

        // a silence that outlasts the input: the end of a replay is not the end of the silence
        h.processBroadcastElement(ControlLines.parse("{\"silence\":{\"id\":\"n\",\"matchers\":{\"team\":\"security\"},"
                + "\"starts_at\":\"2026-11-02T11:00:00Z\",\"ends_at\":\"2026-11-02T13:00:00Z\"}}"), T0);
        send("auth_invalid_records", "source auth", AlertState.FIRING, Severity.WARNING, T0 + 70 * MIN);
        time(T0 + 80 * MIN);
        h.processWatermark(Long.MAX_VALUE);
        h.processBroadcastWatermark(Long.MAX_VALUE);
        assertThat(delivered()).hasSize(2);
    }
}
