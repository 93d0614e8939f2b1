package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
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
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replayed day and a half through a route with a daily digest at 08:00 Madrid time, on event
 * time and across a restore: the digest of the day counts what fired, resolved and still fires,
 * its top entities and time to resolve, goes to the webhook, and comes out for alert_digests.
 */
class AlertDigestHarnessTest {
    @RegisterExtension
    static final SlackWebhookExtension SLACK = new SlackWebhookExtension();

    private static final long T0 = SampleAlerts.T0; // 2026-11-02T10:00:00Z, 11:00 in Madrid
    private static final long MIN = 60_000;
    private static final long H = 60 * MIN;
    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    private static final long FIRST_DIGEST = Instant.parse("2026-11-03T07:00:00Z").toEpochMilli();
    private static final long SECOND_DIGEST = Instant.parse("2026-11-04T07:00:00Z").toEpochMilli();

    private static OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> harness(SlackWebhookExtension.Webhook hook)
            throws Exception {
        SlackChannel channel = SlackChannel.routes(SlackRoute.named("risk", hook.ref()).timezone(MADRID)
                .digestAt(LocalTime.of(8, 0))).minInterval(Duration.ZERO);
        return new OneInputStreamOperatorTestHarness<>(
                new DeliveryOperator.Factory(Arrays.asList(channel), RetryPolicy.defaults(), AlertDelivery.DEFAULT_MAX_PENDING, true),
                TypeInformation.of(AlertEvent.class).createSerializer(new SerializerConfigImpl()));
    }

    private static AlertEvent firing(String entity, long t) {
        AlertEvent a = SampleAlerts.firing("kpi_par_90", Severity.WARNING, entity);
        a.eventTime = t;
        a.startsAt = t;
        a.emittedAt = t;
        return a;
    }

    private static AlertEvent resolved(AlertEvent firing, long t) {
        AlertEvent a = firing(firing.entity, t);
        a.state = AlertState.RESOLVED;
        a.startsAt = firing.startsAt;
        a.endsAt = t;
        return a;
    }

    private static void feed(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h, AlertEvent... alerts)
            throws Exception {
        for (AlertEvent a : alerts) {
            h.processElement(a, a.eventTime);
            h.processWatermark(new Watermark(a.eventTime));
        }
    }

    private static List<AlertDigest> digests(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) {
        List<AlertDigest> out = new ArrayList<>();
        if (h.getSideOutput(AlertDelivery.DIGESTS) != null) {
            for (StreamRecord<AlertDigest> r : h.getSideOutput(AlertDelivery.DIGESTS)) {
                out.add(r.getValue());
            }
        }
        return out;
    }

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

    private static List<DeliveryRecord> deliveredDigests(OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h) {
        return h.extractOutputValues().stream()
                .filter(r -> r.status == DeliveryStatus.DELIVERED && "digest".equals(r.state)).collect(Collectors.toList());
    }

    @Test
    void aReplayedDayGivesItsDigestAtEightInMadridAcrossARestore() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("digest");
        AlertEvent e1 = firing("portfolio=e1", T0);
        AlertEvent e2 = firing("portfolio=e2", T0 + H);
        AlertEvent e3 = firing("portfolio=e3", T0 + 2 * H);
        AlertEvent e1Again = firing("portfolio=e1", T0 + 5 * H);
        AlertEvent e4 = firing("portfolio=e4", T0 + 6 * H);
        OperatorSubtaskState midday;
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(hook)) {
            h.open();
            feed(h, e1, resolved(e1, T0 + 30 * MIN), e2, resolved(e2, T0 + 2 * H));
            midday = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<AlertEvent, DeliveryRecord> h = harness(hook)) {
            h.initializeState(midday);
            h.open();
            feed(h, e3, resolved(e3, T0 + 2 * H + 10 * MIN), e1Again, e4);
            // a repeat of a firing alert is not a new firing
            feed(h, firing("portfolio=e4", T0 + 7 * H));
            h.processWatermark(new Watermark(FIRST_DIGEST - 1));
            assertThat(digests(h)).as("not before 08:00 Madrid").isEmpty();
            feed(h, firing("portfolio=e5", T0 + 25 * H));
            assertThat(digests(h)).as("the watermark passed 08:00 on the way to e5").hasSize(1);

            AlertDigest d = digests(h).get(0);
            assertThat(d.route).isEqualTo("risk");
            assertThat(d.periodStart).as("the replay's first alert").isEqualTo(T0);
            assertThat(d.periodEnd).isEqualTo(FIRST_DIGEST);
            assertThat(d.zone).isEqualTo("Europe/Madrid");
            assertThat(d.fired).isEqualTo(5);
            assertThat(d.resolved).isEqualTo(3);
            assertThat(d.stillFiring).as("e1 again and e4").isEqualTo(2);
            assertThat(d.topEntities).containsExactly("portfolio=e1", "portfolio=e2", "portfolio=e3", "portfolio=e4");
            assertThat(d.topEntityFirings).containsExactly(2, 1, 1, 1);
            assertThat(d.meanResolveMs).as("30, 60 and 10 minutes").isEqualTo((30 + 60 + 10) * MIN / 3);
            assertThat(d.medianResolveMs).isEqualTo(30 * MIN);

            runMailsUntil(h, () -> deliveredDigests(h).size() == 1 && ((DeliveryOperator) h.getOperator()).pendingCount() == 0);
            DeliveryRecord r = deliveredDigests(h).get(0);
            assertThat(r.alertId).startsWith("digest-");
            assertThat(r.alertEmittedAt).isEqualTo(FIRST_DIGEST);
            assertThat(r.alertIds).isEmpty();
            List<String> digestBodies = hook.requests().stream().map(q -> q.getBodyAsString())
                    .filter(b -> b.contains("Digest")).collect(Collectors.toList());
            assertThat(digestBodies).hasSize(1);
            assertThat(digestBodies.get(0)).contains("2026-11-02 11:00 CET – 2026-11-03 08:00 CET")
                    .contains("*Fired* 5 · *Resolved* 3 · *Still firing* 2")
                    .contains("mean 33m20s, median 30m")
                    .contains("portfolio=e1 — fired 2");

            h.processWatermark(new Watermark(SECOND_DIGEST));
            assertThat(digests(h)).hasSize(2);
            AlertDigest next = digests(h).get(1);
            assertThat(next.periodStart).isEqualTo(FIRST_DIGEST);
            assertThat(next.periodEnd).isEqualTo(SECOND_DIGEST);
            assertThat(next.fired).isEqualTo(1);
            assertThat(next.resolved).isZero();
            assertThat(next.stillFiring).isEqualTo(3);
            assertThat(next.meanResolveMs).as("nothing resolved").isNull();
        }
    }
}
