package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Grouping routes in the delivery operator's test harness, against a webhook on loopback: a
 * group's first message after group_wait, changes at most every group_interval, repeats every
 * repeat_interval, resolved members, restore from a snapshot, the same messages however the
 * watermark advances, and no group, held alert or timer left once every alert resolved.
 */
class AlertGroupingHarnessTest {
    @RegisterExtension
    static final SlackWebhookExtension SLACK = new SlackWebhookExtension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long T0 = SampleAlerts.T0;
    private static final long S = 1_000;
    private static final long MIN = 60 * S;
    private static final Grouping BY_RULE = Grouping.by("rule_id").groupWait(Duration.ofSeconds(30))
            .groupInterval(Duration.ofMinutes(5)).repeatInterval(Duration.ofHours(1));

    private static SlackChannel slack(SlackWebhookExtension.Webhook hook) {
        return SlackChannel.routes(SlackRoute.named("oncall", hook.ref()).grouping(BY_RULE))
                .minInterval(Duration.ZERO).requestTimeout(Duration.ofSeconds(5));
    }

    private static OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> harness(Channel channel, boolean eventTime)
            throws Exception {
        OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = new OneInputStreamOperatorTestHarness<>(
                new DeliveryOperator.Factory(Arrays.asList(channel), RetryPolicy.defaults(), AlertDelivery.DEFAULT_MAX_PENDING,
                        eventTime),
                TypeInformation.of(AlertEvent.class).createSerializer(new SerializerConfigImpl()));
        return h;
    }

    private static DeliveryOperator operator(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) {
        return (DeliveryOperator) h.getOperator();
    }

    /** Alert {@code entity} of {@code rule} in {@code state} at event time {@code t}. */
    private static AlertEvent at(String rule, String entity, AlertState state, long t) {
        AlertEvent a = SampleAlerts.firing(rule, Severity.WARNING, entity);
        a.state = state;
        a.eventTime = t;
        a.emittedAt = t;
        if (state == AlertState.RESOLVED) {
            a.startsAt = T0;
            a.endsAt = t;
        } else {
            a.startsAt = t;
        }
        return a;
    }

    private static List<DeliveryRecord> delivered(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) {
        List<DeliveryRecord> out = new ArrayList<>();
        for (DeliveryRecord r : h.extractOutputValues()) {
            if (r.status == DeliveryStatus.DELIVERED) {
                out.add(r);
            }
        }
        return out;
    }

    /** {@code time state alert-ids} of each delivered notification, times from T0 in seconds. */
    private static List<String> notifications(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) {
        return delivered(h).stream()
                .map(r -> (r.alertEmittedAt - T0) / S + "s " + r.state + " " + String.join(",", r.alertIds))
                .collect(Collectors.toList());
    }

    private static List<String> bodies(SlackWebhookExtension.Webhook hook) {
        return hook.requests().stream().map(LoggedRequest::getBodyAsString).collect(Collectors.toList());
    }

    private static String ids(AlertEvent... alerts) {
        return Arrays.stream(alerts).map(a -> a.alertId).collect(Collectors.joining(","));
    }

    /** Runs the task's mails (request outcomes) until {@code done}, without moving processing time. */
    private static void runMailsUntil(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h,
            BooleanSupplier done) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("not done after 10 s; records " + h.extractOutputValues());
            }
            Optional<Mail> mail = h.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
            if (mail.isPresent()) {
                mail.get().run();
            } else {
                Thread.sleep(5);
            }
        }
    }

    /** Runs mails for a while: nothing more may be sent. */
    private static void settle(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) throws Exception {
        long until = System.currentTimeMillis() + 200;
        runMailsUntil(h, () -> System.currentTimeMillis() > until);
    }

    private static void delivers(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h, int n) throws Exception {
        runMailsUntil(h, () -> delivered(h).size() >= n && operator(h).pendingCount() == 0);
        settle(h);
        assertThat(delivered(h)).hasSize(n);
    }

    private static void nothingLeft(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) {
        assertThat(operator(h).groupCount()).as("groups").isZero();
        assertThat(operator(h).heldCount()).as("held alerts").isZero();
        assertThat(operator(h).pendingCount()).as("pending deliveries").isZero();
        assertThat(h.getProcessingTimeService().getNumActiveTimers()).as("timers").isZero();
    }

    @Test
    void onEventTimeAGroupWaitsThenSendsChangesPerIntervalRepeatsAndEndsResolved() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("event-time");
        AlertEvent a = at("kpi_par_90", "portfolio=a", AlertState.FIRING, T0);
        AlertEvent b = at("kpi_par_90", "portfolio=b", AlertState.FIRING, T0 + S);
        AlertEvent c = at("kpi_par_90", "portfolio=c", AlertState.FIRING, T0 + 2 * S);
        AlertEvent d = at("kpi_par_90", "portfolio=d", AlertState.FIRING, T0 + MIN);
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(slack(hook), true)) {
            h.open();
            h.setProcessingTime(5_000_000L);
            h.processElement(a, a.eventTime);
            h.processElement(b, b.eventTime);
            h.processElement(c, c.eventTime);
            h.processWatermark(new Watermark(T0 + 30 * S - 1));
            settle(h);
            assertThat(hook.requests()).as("within group_wait").isEmpty();
            assertThat(operator(h).groupCount()).isEqualTo(1);

            h.processWatermark(new Watermark(T0 + 30 * S));
            delivers(h, 1);
            assertThat(notifications(h)).containsExactly("30s firing " + ids(a, b, c));
            assertThat(bodies(hook).get(0)).contains("FIRING 3");

            h.processElement(d, d.eventTime);
            h.processWatermark(new Watermark(T0 + 330 * S - 1));
            settle(h);
            assertThat(hook.requests()).as("a change waits for group_interval").hasSize(1);
            h.processWatermark(new Watermark(T0 + 330 * S));
            delivers(h, 2);

            // a repeat of a firing alert changes nothing: the next message is the hourly repeat
            h.processElement(at("kpi_par_90", "portfolio=a", AlertState.FIRING, T0 + 1000 * S), T0 + 1000 * S);
            h.processWatermark(new Watermark(T0 + 3930 * S - 1));
            settle(h);
            assertThat(hook.requests()).hasSize(2);
            h.processWatermark(new Watermark(T0 + 3930 * S));
            delivers(h, 3);

            AlertEvent[] resolved = new AlertEvent[4];
            int i = 0;
            for (AlertEvent x : new AlertEvent[] {a, b, c, d}) {
                resolved[i] = at(x.ruleId, x.entity, AlertState.RESOLVED, T0 + 4000 * S + i * S);
                h.processElement(resolved[i], resolved[i].eventTime);
                i++;
            }
            h.processWatermark(new Watermark(T0 + 4000 * S + 10 * S));
            settle(h);
            assertThat(hook.requests()).as("resolved too wait for group_interval").hasSize(3);
            h.processWatermark(new Watermark(T0 + 4230 * S));
            delivers(h, 4);
            assertThat(notifications(h)).containsExactly(
                    "30s firing " + ids(a, b, c),
                    "330s firing " + ids(a, b, c, d),
                    "3930s firing " + ids(a, b, c, d),
                    "4230s resolved " + ids(resolved));
            assertThat(bodies(hook).get(3)).contains("RESOLVED 4").doesNotContain("FIRING");
            assertThat(delivered(h).get(0).alertId).startsWith("group-").isEqualTo(delivered(h).get(3).alertId);
            nothingLeft(h);

            h.processWatermark(new Watermark(T0 + 100_000 * S));
            settle(h);
            assertThat(hook.requests()).as("a dropped group repeats nothing").hasSize(4);
        }
    }

    @Test
    void onTheWallClockAGroupWaitsAndLeavesNoTimerOnceResolved() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("live");
        long p0 = 5_000_000L;
        AlertEvent a = at("freshness", "dataset s3://lake/orders", AlertState.FIRING, T0);
        AlertEvent b = at("freshness", "dataset s3://lake/loans", AlertState.FIRING, T0);
        AlertEvent other = at("volume", "dataset s3://lake/orders", AlertState.FIRING, T0);
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(slack(hook), false)) {
            h.open();
            h.setProcessingTime(p0);
            h.processElement(a, 0);
            h.processElement(other, 0);
            h.setProcessingTime(p0 + 10 * S);
            h.processElement(b, 0);
            assertThat(operator(h).groupCount()).as("one group per rule").isEqualTo(2);
            assertThat(h.getProcessingTimeService().getNumActiveTimers()).as("the groups' wake-up").isEqualTo(1);
            h.setProcessingTime(p0 + 30 * S - 1);
            settle(h);
            assertThat(hook.requests()).isEmpty();
            h.setProcessingTime(p0 + 30 * S);
            delivers(h, 2);
            assertThat(delivered(h).stream().map(r -> r.ruleId + " " + String.join(",", r.alertIds)))
                    .containsExactlyInAnyOrder("freshness " + ids(a, b), "volume " + ids(other));
            assertThat(delivered(h).get(0).alertEmittedAt).as("made at the wall clock's due time").isEqualTo(p0 + 30 * S);

            h.setProcessingTime(p0 + 40 * S);
            for (AlertEvent x : new AlertEvent[] {a, b, other}) {
                h.processElement(at(x.ruleId, x.entity, AlertState.RESOLVED, T0 + 40 * S), 0);
            }
            h.setProcessingTime(p0 + 330 * S - 1);
            settle(h);
            assertThat(hook.requests()).hasSize(2);
            h.setProcessingTime(p0 + 330 * S);
            delivers(h, 4);
            assertThat(delivered(h).subList(2, 4).stream().map(r -> r.state)).containsOnly("resolved");
            nothingLeft(h);
        }
    }

    @Test
    void groupsAndHeldAlertsSurviveARestore() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("restore");
        AlertEvent a = at("kpi_par_90", "portfolio=a", AlertState.FIRING, T0);
        AlertEvent b = at("kpi_par_90", "portfolio=b", AlertState.FIRING, T0 + S);
        AlertEvent c = at("kpi_par_90", "portfolio=c", AlertState.FIRING, T0 + 40 * S);
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(slack(hook), true)) {
            h.open();
            h.processElement(a, a.eventTime);
            h.processElement(b, b.eventTime);
            h.processWatermark(new Watermark(T0 + 30 * S));
            delivers(h, 1);
            h.processElement(c, c.eventTime); // held: the watermark has not passed it
            assertThat(operator(h).heldCount()).isEqualTo(1);
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(slack(hook), true)) {
            h.initializeState(snapshot);
            h.open();
            assertThat(operator(h).groupCount()).isEqualTo(1);
            assertThat(operator(h).heldCount()).isEqualTo(1);
            h.processWatermark(new Watermark(T0 + 330 * S));
            delivers(h, 1);
            assertThat(notifications(h)).as("the group remembers its members and when it was last sent")
                    .containsExactly("330s firing " + ids(a, b, c));
            for (AlertEvent x : new AlertEvent[] {a, b, c}) {
                h.processElement(at(x.ruleId, x.entity, AlertState.RESOLVED, T0 + 400 * S), T0 + 400 * S);
            }
            h.processWatermark(new Watermark(T0 + 630 * S));
            delivers(h, 2);
            assertThat(delivered(h).get(1).state).isEqualTo("resolved");
            nothingLeft(h);
        }
    }

    /** One replay, its watermark advancing in {@code steps}: the notifications and message bodies. */
    private static List<String> replay(String name, List<AlertEvent> input, long step) throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook(name);
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(slack(hook), true)) {
            h.open();
            long end = input.get(input.size() - 1).eventTime + 2 * 3600 * S;
            long watermark = Long.MIN_VALUE;
            for (AlertEvent a : input) {
                h.processElement(a, a.eventTime);
                long w = a.eventTime - a.eventTime % step - 1;
                if (w > watermark) {
                    watermark = w;
                    h.processWatermark(new Watermark(w));
                    runMailsUntil(h, () -> operator(h).pendingCount() == 0);
                }
            }
            h.processWatermark(new Watermark(end));
            runMailsUntil(h, () -> operator(h).pendingCount() == 0);
            settle(h);
            List<String> out = new ArrayList<>(notifications(h));
            out.addAll(bodies(hook));
            return out;
        }
    }

    @Test
    void theSameInputGivesTheSameMessagesHoweverTheWatermarkAdvances() throws Exception {
        List<AlertEvent> input = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String rule = i % 3 == 0 ? "kpi_par_30" : "kpi_par_90";
            input.add(at(rule, "portfolio=p" + i, AlertState.FIRING, T0 + i * 45 * S));
        }
        for (int i = 0; i < 12; i += 2) {
            String rule = i % 3 == 0 ? "kpi_par_30" : "kpi_par_90";
            input.add(at(rule, "portfolio=p" + i, AlertState.RESOLVED, T0 + 900 * S + i * 70 * S));
        }
        List<String> fine = replay("fine", input, S);
        List<String> coarse = replay("coarse", input, 20 * MIN);
        assertThat(fine).as("several notifications").hasSizeGreaterThan(8);
        assertThat(coarse).isEqualTo(fine);
    }

    @Test
    void anAlertWhoseSeverityChangesMovesToItsNewGroupAndTheEmptiedGroupSaysNothing() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("severity");
        Grouping bySeverity = Grouping.by("severity").groupWait(Duration.ofSeconds(30))
                .groupInterval(Duration.ofMinutes(5)).repeatInterval(Duration.ofHours(1));
        SlackChannel channel = SlackChannel.routes(SlackRoute.named("oncall", hook.ref()).grouping(bySeverity))
                .minInterval(Duration.ZERO);
        AlertEvent warning = at("kpi_par_90", "portfolio=a", AlertState.FIRING, T0);
        AlertEvent critical = at("kpi_par_90", "portfolio=a", AlertState.FIRING, T0 + MIN);
        critical.severity = Severity.CRITICAL;
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel, true)) {
            h.open();
            h.processElement(warning, warning.eventTime);
            h.processWatermark(new Watermark(T0 + 30 * S));
            delivers(h, 1);
            h.processElement(critical, critical.eventTime);
            h.processWatermark(new Watermark(T0 + 400 * S));
            delivers(h, 2);
            assertThat(delivered(h).stream().map(r -> r.severity + " " + String.join(",", r.alertIds)))
                    .as("the warning group, emptied, sends no empty message")
                    .containsExactly("warning " + warning.alertId, "critical " + warning.alertId);
            assertThat(operator(h).groupCount()).isEqualTo(1);
        }
    }
}
