package io.vigil.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vigil.model.AlertEvent;
import io.vigil.model.Severity;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delivery operator's state, in a test harness against a webhook on loopback: what is not
 * confirmed survives a snapshot and restore and is sent again, and nothing is left once confirmed.
 * The harness's task thread is the test thread: outcomes wait as mails until the test runs them.
 */
class DeliveryOperatorHarnessTest {
    @RegisterExtension
    static final SlackWebhookExtension SLACK = new SlackWebhookExtension();

    private static final RetryPolicy FAST = RetryPolicy.defaults()
            .backoff(Duration.ofMillis(40), Duration.ofMillis(200)).maxAttempts(3).slowRetry(Duration.ofMillis(400));

    private static OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> harness(Channel... channels)
            throws Exception {
        return harness(FAST, AlertDelivery.DEFAULT_MAX_PENDING, channels);
    }

    private static OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> harness(RetryPolicy policy,
            int maxPending, Channel... channels) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new DeliveryOperator.Factory(Arrays.asList(channels), policy, maxPending),
                TypeInformation.of(AlertEvent.class).createSerializer(new SerializerConfigImpl()));
    }

    private static SlackChannel slack(SlackRoute... routes) {
        return SlackChannel.routes(routes).minInterval(Duration.ZERO).requestTimeout(Duration.ofSeconds(5));
    }

    private static DeliveryOperator operator(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) {
        return (DeliveryOperator) h.getOperator();
    }

    private static List<DeliveryRecord> records(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) {
        return h.extractOutputValues();
    }

    private static List<String> statuses(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) {
        return records(h).stream().map(r -> r.attempt + " " + r.status.wire()).collect(Collectors.toList());
    }

    /** Opens the harness, its processing time following the wall clock (see {@link #runMailsUntil}). */
    private static void open(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) throws Exception {
        h.open();
        h.setProcessingTime(System.currentTimeMillis());
    }

    /** Opens the harness restored from a snapshot, as after a restart. */
    private static void restore(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h,
            OperatorSubtaskState snapshot) throws Exception {
        h.initializeState(snapshot);
        open(h);
    }

    /**
     * Runs the task's mails (outcomes, timers) until {@code done}, failing after 10 s; the
     * harness's processing time is moved along with the wall clock, so timers fire when due.
     */
    private static void runMailsUntil(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h,
            BooleanSupplier done) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!done.getAsBoolean()) {
            h.setProcessingTime(System.currentTimeMillis());
            if (System.currentTimeMillis() > deadline) {
                fail("not done after 10 s; records " + records(h));
            }
            Optional<Mail> mail = h.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
            if (mail.isPresent()) {
                mail.get().run();
            } else {
                Thread.sleep(5);
            }
        }
    }

    private static boolean delivered(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h, int n) {
        return records(h).stream().filter(r -> r.status == DeliveryStatus.DELIVERED).count() >= n;
    }

    @Test
    void aDeliveryBeingRetriedSurvivesARestoreIsSentAgainAndLeavesNoState() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("restore").answer(aResponse().withStatus(500));
        SlackChannel channel = slack(SlackRoute.named("oncall", hook.ref()));
        AlertEvent alert = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");

        OperatorSubtaskState retrying;
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            open(h);
            h.processElement(alert, 0);
            runMailsUntil(h, () -> !records(h).isEmpty());
            assertThat(statuses(h)).containsExactly("1 retrying");
            assertThat(records(h).get(0).httpStatus).isEqualTo(500);
            assertThat(operator(h).pendingCount()).isEqualTo(1);
            retrying = h.snapshot(1, 1);
        }
        assertThat(hook.requests()).hasSize(1);

        hook.answer(aResponse().withStatus(200).withBody("ok"));
        OperatorSubtaskState afterDelivery;
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            restore(h, retrying);
            assertThat(operator(h).pendingCount()).isEqualTo(1);
            runMailsUntil(h, () -> delivered(h, 1));
            assertThat(statuses(h)).as("no input after the restore: the state alone redelivers")
                    .containsExactly("2 delivered");
            assertThat(operator(h).pendingCount()).isZero();
            afterDelivery = h.snapshot(2, 2);
        }
        assertThat(hook.requests()).hasSize(2);
        assertThat(hook.requests().get(1).getBodyAsString()).isEqualTo(SlackMessage.body(alert, null));

        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            restore(h, afterDelivery);
            assertThat(operator(h).pendingCount()).as("confirmed: nothing left in state").isZero();
            long until = System.currentTimeMillis() + 300;
            runMailsUntil(h, () -> System.currentTimeMillis() > until);
            assertThat(records(h)).isEmpty();
        }
        assertThat(hook.requests()).hasSize(2);
    }

    @Test
    void aRequestInFlightAtTheSnapshotIsNotConfirmedSoItIsSentAgain() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("inflight")
                .answer(aResponse().withStatus(200).withBody("ok").withFixedDelay(1500));
        SlackChannel channel = slack(SlackRoute.named("oncall", hook.ref()));
        AlertEvent alert = SampleAlerts.firing("freshness", Severity.WARNING, "dataset s3://lake/payments");

        OperatorSubtaskState inFlight;
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            open(h);
            h.processElement(alert, 0);
            runMailsUntil(h, () -> hook.requests().size() == 1);
            inFlight = h.snapshot(1, 1);
            assertThat(records(h)).as("no answer yet").isEmpty();
        }

        hook.answer(aResponse().withStatus(200).withBody("ok"));
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            restore(h, inFlight);
            runMailsUntil(h, () -> delivered(h, 1));
            assertThat(statuses(h)).containsExactly("2 delivered");
            assertThat(operator(h).pendingCount()).isZero();
        }
        assertThat(hook.requests()).as("at least once: the unanswered request, then the redelivery").hasSize(2);
    }

    @Test
    void aNewerStateChangeSupersedesAnOlderOneWhoseRequestFailsOnlyTheNewestIsDelivered() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("order")
                .answerInTurn(aResponse().withStatus(503), aResponse().withStatus(200).withBody("ok"));
        SlackChannel channel = slack(SlackRoute.named("oncall", hook.ref()));
        AlertEvent firing = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");
        AlertEvent resolved = SampleAlerts.resolved(firing);
        AlertEvent other = SampleAlerts.firing("volume", Severity.WARNING, "dataset s3://lake/orders");
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            open(h);
            h.processElement(firing, 0); // its request goes out at once and is answered 503
            h.processElement(resolved, 0);
            h.processElement(other, 0);
            runMailsUntil(h, () -> delivered(h, 2));
            List<String> bodies = hook.requests().stream().map(r -> r.getBodyAsString()).collect(Collectors.toList());
            assertThat(bodies).containsExactlyInAnyOrder(SlackMessage.body(firing, null), SlackMessage.body(resolved, null),
                    SlackMessage.body(other, null));
            assertThat(bodies.get(0)).as("the superseded firing was sent once only, first").isEqualTo(SlackMessage.body(firing, null));
            assertThat(records(h)).extracting(x -> x.ruleId + " " + x.state + " " + x.status.wire())
                    .containsExactlyInAnyOrder("freshness firing superseded", "freshness resolved delivered",
                            "volume firing delivered");
            assertThat(operator(h).supersededCount()).isEqualTo(1);
            assertThat(operator(h).pendingCount()).isZero();
        }
    }

    @Test
    void aNewerStateChangeDropsAnOlderOneWaitingForItsRetry() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("waiting")
                .answerInTurn(aResponse().withStatus(500), aResponse().withStatus(200).withBody("ok"));
        SlackChannel channel = slack(SlackRoute.named("oncall", hook.ref()));
        AlertEvent warning = SampleAlerts.firing("freshness", Severity.WARNING, "dataset s3://lake/orders");
        AlertEvent critical = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");
        critical.emittedAt = warning.emittedAt + 60_000;
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            open(h);
            h.processElement(warning, 0);
            runMailsUntil(h, () -> !records(h).isEmpty());
            assertThat(statuses(h)).containsExactly("1 retrying");
            h.processElement(critical, 0);
            assertThat(statuses(h)).as("dropped at once: its retry was not due").containsExactly("1 retrying", "1 superseded");
            runMailsUntil(h, () -> delivered(h, 1));
            assertThat(records(h).get(2).severity).isEqualTo("critical");
            assertThat(hook.requests()).hasSize(2);
            assertThat(operator(h).pendingCount()).isZero();
        }
    }

    @Test
    void anOlderStateChangeWhoseRequestDeliversStaysDeliveredAndTheNewerFollows() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("both");
        SlackChannel channel = slack(SlackRoute.named("oncall", hook.ref()));
        AlertEvent firing = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");
        AlertEvent resolved = SampleAlerts.resolved(firing);
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            open(h);
            h.processElement(firing, 0);
            h.processElement(resolved, 0);
            runMailsUntil(h, () -> delivered(h, 2));
            assertThat(records(h)).extracting(x -> x.state + " " + x.status.wire())
                    .containsExactly("firing delivered", "resolved delivered");
            assertThat(operator(h).supersededCount()).isZero();
        }
    }

    @Test
    void aDeliveryRefusedTooOftenIsAbandonedAndCounted() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("revoked").answer(aResponse().withStatus(404).withBody("no_service"));
        RetryPolicy policy = FAST.slowRetry(Duration.ofMillis(50)).maxRejections(3);
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h =
                harness(policy, 100, slack(SlackRoute.named("oncall", hook.ref())))) {
            open(h);
            h.processElement(SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders"), 0);
            runMailsUntil(h, () -> operator(h).pendingCount() == 0);
            assertThat(statuses(h)).containsExactly("1 rejected", "2 rejected", "3 abandoned");
            DeliveryRecord last = records(h).get(2);
            assertThat(last.error).isEqualTo("refused 3 times: HTTP 404: no_service");
            assertThat(last.nextAttemptAt).isNull();
            assertThat(operator(h).abandonedCount()).isEqualTo(1);
        }
        assertThat(hook.requests()).hasSize(3);
    }

    @Test
    void aDeliveryOlderThanTheMaximumAgeIsAbandonedAndCounted() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("down").answer(aResponse().withStatus(500));
        RetryPolicy policy = FAST.maxAge(Duration.ofSeconds(1));
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h =
                harness(policy, 100, slack(SlackRoute.named("oncall", hook.ref())))) {
            open(h);
            long queued = h.getProcessingTime();
            h.processElement(SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders"), 0);
            runMailsUntil(h, () -> operator(h).pendingCount() == 0);
            DeliveryRecord last = records(h).get(records(h).size() - 1);
            assertThat(last.status).isEqualTo(DeliveryStatus.ABANDONED);
            assertThat(last.error).startsWith("not delivered within 1s");
            // abandoned when the age was reached: before an attempt, or when an attempt begun
            // earlier came back (its latency is timed apart from the harness clock, in whole ms on
            // each side: 997 ms was seen once on a loaded machine, so allow a few ms)
            long decidedAt = last.attemptedAt + (last.latencyMs == null ? 0 : last.latencyMs);
            assertThat(decidedAt - queued).isGreaterThanOrEqualTo(1000 - 10);
            assertThat(records(h).subList(0, records(h).size() - 1)).extracting(r -> r.status)
                    .isNotEmpty().containsOnly(DeliveryStatus.RETRYING, DeliveryStatus.FAILED);
            assertThat(operator(h).abandonedCount()).isEqualTo(1);
        }
    }

    @Test
    void beyondTheCapOfPendingDeliveriesTheOldestWaitingOnesAreAbandonedAsQueueFull() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("full")
                .answer(aResponse().withStatus(200).withBody("ok").withFixedDelay(300));
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h =
                harness(FAST, 2, slack(SlackRoute.named("oncall", hook.ref())))) {
            open(h);
            for (int i = 0; i < 5; i++) {
                h.processElement(SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/t" + i), 0);
            }
            // t0 is in flight and kept; t1, t2 give way to the newer ones as each arrives
            assertThat(records(h)).extracting(r -> r.alertId + " " + r.status.wire() + " " + r.error).containsExactly(
                    SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/t1").alertId + " abandoned queue full (2 pending)",
                    SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/t2").alertId + " abandoned queue full (2 pending)",
                    SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/t3").alertId + " abandoned queue full (2 pending)");
            assertThat(operator(h).pendingCount()).isEqualTo(2);
            assertThat(operator(h).abandonedCount()).isEqualTo(3);
            runMailsUntil(h, () -> delivered(h, 2));
            assertThat(records(h)).filteredOn(r -> r.status == DeliveryStatus.DELIVERED).extracting(r -> r.alertId)
                    .containsExactly(SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/t0").alertId,
                            SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/t4").alertId);
        }
    }

    @Test
    void anErrorBodyEchoingTheWebhookOrAUriWithCredentialsIsRecordedRedacted() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("echo");
        // a gateway in front of Slack that quotes the request's URL and its own upstream back
        hook.answer(aResponse().withStatus(400).withBody("invalid_payload: POST " + hook.url()
                + " via https://gw-user:gw-pass@proxy.internal/slack?token=t0ken"));
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h =
                harness(slack(SlackRoute.named("oncall", hook.ref())))) {
            open(h);
            h.processElement(SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders"), 0);
            runMailsUntil(h, () -> !records(h).isEmpty());
            String error = records(h).get(0).error;
            assertThat(error).startsWith("HTTP 400: invalid_payload: POST ").contains("<redacted>")
                    .contains("https://****@proxy.internal/slack?token=****");
            assertThat(error).doesNotContain(hook.token()).doesNotContain("gw-pass").doesNotContain("t0ken");
            assertThat(records(h).get(0).toString()).doesNotContain(hook.token()).doesNotContain("gw-pass");
        }
    }

    @Test
    void anAlertNoRouteMatchesIsRecordedAsUnroutedAndNotKept() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("critical-only");
        SlackChannel channel = slack(SlackRoute.named("pager", hook.ref()).severities(Severity.CRITICAL));
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            open(h);
            h.processElement(SampleAlerts.firing("volume", Severity.INFO, "dataset s3://lake/orders"), 0);
            assertThat(statuses(h)).containsExactly("0 unrouted");
            assertThat(records(h).get(0).sink).isEqualTo("none");
            assertThat(operator(h).pendingCount()).isZero();
        }
        assertThat(hook.requests()).isEmpty();
    }

    @Test
    void aRestoredDeliveryWhoseRouteWasRemovedGoesWhereTheAlertMatchesNow() throws Exception {
        SlackWebhookExtension.Webhook old = SLACK.webhook("old").answer(aResponse().withStatus(404).withBody("no_service"));
        SlackWebhookExtension.Webhook current = SLACK.webhook("new");
        AlertEvent alert = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(slack(SlackRoute.named("old", old.ref())))) {
            open(h);
            h.processElement(alert, 0);
            runMailsUntil(h, () -> !records(h).isEmpty());
            assertThat(statuses(h)).containsExactly("1 rejected");
            assertThat(records(h).get(0).error).isEqualTo("HTTP 404: no_service");
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(slack(SlackRoute.named("new", current.ref())))) {
            restore(h, snapshot);
            runMailsUntil(h, () -> delivered(h, 1));
            assertThat(records(h)).extracting(r -> r.route + " " + r.status.wire()).containsExactly("new delivered");
        }
        assertThat(current.requests()).hasSize(1);
    }
}
