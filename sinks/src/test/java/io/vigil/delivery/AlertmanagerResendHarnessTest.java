package io.vigil.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.vigil.model.AlertEvent;
import io.vigil.model.Severity;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery operator's resends of firing alerts to an Alertmanager (a WireMock stand-in on
 * loopback): a resend is checkpointed state, survives a restore and goes on; the resolution
 * drops it, is posted once, and leaves neither state nor a timer behind.
 */
class AlertmanagerResendHarnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RetryPolicy FAST = RetryPolicy.defaults()
            .backoff(Duration.ofMillis(40), Duration.ofMillis(200)).maxAttempts(3).slowRetry(Duration.ofMillis(400));
    private static final long RESEND = 300;

    private WireMockServer server;
    private AlertmanagerChannel channel;

    @BeforeEach
    void standIn() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(post(urlPathEqualTo("/api/v2/alerts")).willReturn(aResponse().withStatus(200)));
        channel = AlertmanagerChannel.routes(AlertmanagerRoute.named("am", URI.create("http://127.0.0.1:" + server.port()))
                .resend(Duration.ofMillis(RESEND)));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> harness(Channel c) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new DeliveryOperator.Factory(Collections.singletonList(c), FAST, AlertDelivery.DEFAULT_MAX_PENDING),
                TypeInformation.of(AlertEvent.class).createSerializer(new SerializerConfigImpl()));
    }

    private static DeliveryOperator operator(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) {
        return (DeliveryOperator) h.getOperator();
    }

    private static List<DeliveryRecord> records(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) {
        return h.extractOutputValues();
    }

    private static void open(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) throws Exception {
        h.open();
        h.setProcessingTime(System.currentTimeMillis());
    }

    /** Runs the task's mails (outcomes, timers), moving the harness clock with the wall clock, until {@code done}. */
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

    private List<JsonNode> posts() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (com.github.tomakehurst.wiremock.verification.LoggedRequest r
                : server.findAll(postRequestedFor(urlPathEqualTo("/api/v2/alerts")))) {
            out.add(JSON.readTree(r.getBodyAsString()).get(0));
        }
        return out;
    }

    private static long delivered(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h, String state) {
        return records(h).stream().filter(r -> r.status == DeliveryStatus.DELIVERED && r.state.equals(state)).count();
    }

    @Test
    void aFiringAlertIsResentFromStateAcrossARestoreAndItsResolutionLeavesNoStateOrTimer() throws Exception {
        AlertEvent firing = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");
        OperatorSubtaskState resending;
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            open(h);
            h.processElement(firing, 0);
            runMailsUntil(h, () -> delivered(h, "firing") >= 3);
            List<DeliveryRecord> r = records(h);
            assertThat(r).extracting(x -> x.attempt + " " + x.status.wire()).containsExactly("1 delivered",
                    "1 delivered", "1 delivered");
            for (int i = 1; i < r.size(); i++) {
                assertThat(r.get(i).attemptedAt - r.get(i - 1).attemptedAt).as("resent one interval after the answer")
                        .isGreaterThanOrEqualTo(RESEND);
            }
            assertThat(r).allSatisfy(x -> assertThat(x.nextAttemptAt).isNotNull());
            assertThat(operator(h).pendingCount()).as("the next resend").isEqualTo(1);
            assertThat(h.getProcessingTimeService().getNumActiveTimers()).as("its wake-up").isEqualTo(1);
            resending = h.snapshot(1, 1);
        }
        List<JsonNode> before = posts();
        assertThat(before).hasSize(3);
        long firstEnd = Instant.parse(before.get(0).get("endsAt").asText()).toEpochMilli();
        long lastEnd = Instant.parse(before.get(2).get("endsAt").asText()).toEpochMilli();
        assertThat(lastEnd - firstEnd).as("each resend moves the end on").isGreaterThanOrEqualTo(2 * RESEND);

        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            h.initializeState(resending);
            open(h);
            assertThat(operator(h).pendingCount()).as("the resend is restored").isEqualTo(1);
            runMailsUntil(h, () -> delivered(h, "firing") >= 2);
            assertThat(posts()).as("no input after the restore: state alone resends").hasSize(5);

            AlertEvent resolved = SampleAlerts.resolved(firing);
            h.processElement(resolved, 0);
            runMailsUntil(h, () -> delivered(h, "resolved") == 1);
            long until = System.currentTimeMillis() + 3 * RESEND;
            runMailsUntil(h, () -> System.currentTimeMillis() > until);
            assertThat(delivered(h, "resolved")).isEqualTo(1);
            assertThat(records(h)).as("the dropped resend leaves no record").extracting(x -> x.state + " " + x.status.wire())
                    .containsOnly("firing delivered", "resolved delivered");
            DeliveryRecord last = records(h).get(records(h).size() - 1);
            assertThat(last.state).isEqualTo("resolved");
            assertThat(last.nextAttemptAt).as("a resolved alert is not resent").isNull();
            assertThat(operator(h).pendingCount()).as("no state left").isZero();
            assertThat(h.getProcessingTimeService().getNumActiveTimers()).as("no timer left").isZero();
            assertThat(operator(h).supersededCount()).isZero();
        }
        List<JsonNode> all = posts();
        JsonNode end = all.get(all.size() - 1);
        assertThat(Instant.parse(end.get("endsAt").asText()).toEpochMilli()).as("ends at its resolution")
                .isEqualTo(firing.eventTime + 600_000);
        assertThat(all.stream().filter(p -> p.get("endsAt").equals(end.get("endsAt"))).count()).isEqualTo(1);
        assertThat(all.subList(0, all.size() - 1).stream().map(p -> p.get("labels")).collect(Collectors.toSet()))
                .as("the same labels throughout: one alert in Alertmanager").containsOnly(end.get("labels"));
    }

    @Test
    void anAlertRefusedAsInvalidIsAbandonedAtOnceCountedAndNotResent() throws Exception {
        server.stubFor(post(urlPathEqualTo("/api/v2/alerts")).willReturn(aResponse().withStatus(422)
                .withBody("labels: invalid")));
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            open(h);
            h.processElement(SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders"), 0);
            runMailsUntil(h, () -> !records(h).isEmpty());
            long until = System.currentTimeMillis() + 2 * RESEND;
            runMailsUntil(h, () -> System.currentTimeMillis() > until);
            assertThat(records(h)).extracting(x -> x.attempt + " " + x.status.wire() + " " + x.httpStatus + " " + x.error)
                    .containsExactly("1 abandoned 422 refused, not retried: HTTP 422: labels: invalid");
            assertThat(operator(h).abandonedCount()).as("deliveriesAbandoned: the alarm's metric").isEqualTo(1);
            assertThat(operator(h).pendingCount()).isZero();
            assertThat(h.getProcessingTimeService().getNumActiveTimers()).isZero();
        }
        assertThat(posts()).hasSize(1);
    }

    @Test
    void aJobWhoseInputEndsDropsItsResendsAndFinishes() throws Exception {
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(channel)) {
            open(h);
            h.processElement(SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders"), 0);
            runMailsUntil(h, () -> delivered(h, "firing") == 1);
            assertThat(operator(h).pendingCount()).isEqualTo(1);
            h.endInput();
            assertThat(operator(h).pendingCount()).isZero();
            assertThat(h.getProcessingTimeService().getNumActiveTimers()).isZero();
        }
    }
}
