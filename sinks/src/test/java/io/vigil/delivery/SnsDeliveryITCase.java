package io.vigil.delivery;

import static io.vigil.delivery.SnsStubExtension.error;
import static io.vigil.delivery.SnsStubExtension.published;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import io.vigil.sink.AlertJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alert delivery to SNS through the real SDK (async client, netty) against an SNS Query-protocol
 * stand-in on loopback, in MiniCluster jobs that must not restart ({@link DeliveryJobs}).
 */
class SnsDeliveryITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final AwsTestCredentials CREDENTIALS = new AwsTestCredentials();

    @RegisterExtension
    static final SnsStubExtension SNS = new SnsStubExtension();

    private static final String CRITICAL = "arn:aws:sns:eu-west-1:123456789012:vigil-critical.fifo";
    private static final String WARNING = "arn:aws:sns:eu-west-1:123456789012:vigil-warning";
    private static final RetryPolicy FAST = RetryPolicy.defaults()
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).maxAttempts(4).slowRetry(Duration.ofSeconds(1));

    private SnsChannel sns() {
        return SnsChannel.topics(Map.of(Severity.CRITICAL, CRITICAL, Severity.WARNING, WARNING))
                .endpointOverride(SNS.endpoint()).requestTimeout(Duration.ofSeconds(5));
    }

    private static List<DeliveryRecord> run(String run, AlertDelivery delivery, AlertEvent... alerts) throws Exception {
        DeliveryJobs.start(run, delivery, alerts).getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return DeliveryJobs.records(run);
    }

    private static Map<String, String> find(List<Map<String, String>> publishes, String topic, String state) {
        return publishes.stream()
                .filter(p -> p.get("TopicArn").equals(topic) && SnsStubExtension.alertJson(p).contains("\"state\":\"" + state + "\""))
                .findFirst().orElseThrow(() -> new AssertionError("no " + state + " publish to " + topic + ": " + publishes));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void eachAlertGoesToItsSeveritysTopicAsTheAlertJsonWithAttributesSubjectAndFifoIds() throws Exception {
        SNS.answerInTurn(published("m-1"), published("m-2"), published("m-3"));
        AlertEvent critical = SampleAlerts.firing("freshness", Severity.CRITICAL,
                "dataset s3://lake/ördérs\nwith a very long name " + "x".repeat(120), new Label("team", "risk"));
        AlertEvent resolved = SampleAlerts.resolved(critical);
        AlertEvent warning = SampleAlerts.firing("volume", Severity.WARNING, "dataset s3://lake/loans");
        AlertEvent info = SampleAlerts.firing("lag", Severity.INFO, "topic orders");

        List<DeliveryRecord> records = run("sns-topics", AlertDelivery.to(sns()).retry(FAST), critical, resolved, warning, info);

        assertThat(DeliveryJobs.outcomes(records)).containsExactlyInAnyOrder("none 0 unrouted null",
                CRITICAL + " 1 delivered 200", CRITICAL + " 1 delivered 200", WARNING + " 1 delivered 200");
        assertThat(records).filteredOn(r -> r.status == DeliveryStatus.DELIVERED)
                .extracting(r -> r.messageId).containsExactlyInAnyOrder("m-1", "m-2", "m-3");

        List<Map<String, String>> publishes = SNS.publishes();
        assertThat(publishes).hasSize(3).allSatisfy(p -> {
            assertThat(p.get("Action")).isEqualTo("Publish");
            assertThat(p.get("Subject").length()).isLessThanOrEqualTo(99);
            assertThat(p.get("Subject")).matches("[\\x20-\\x7e]+");
        });
        AlertJson json = new AlertJson();
        Map<String, String> firing = find(publishes, CRITICAL, "firing");
        assertThat(SnsStubExtension.alertJson(firing)).isEqualTo(json.encode(critical));
        assertThat(SnsStubExtension.message(firing, "email-json")).isEqualTo(json.encode(critical));
        assertThat(SnsStubExtension.message(firing, "email")).startsWith("CRITICAL FIRING: freshness\n\n")
                .contains("\nSince: 2026-11-02 10:00 UTC\n");
        assertThat(firing.get("Subject")).startsWith("[CRITICAL] FIRING freshness: dataset s3://lake/?rd?rs with a very long");
        assertThat(SnsStubExtension.attributes(firing)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "severity", "String:critical", "rule_id", "String:freshness", "state", "String:firing"));
        assertThat(firing.get("MessageGroupId")).isEqualTo("freshness");
        assertThat(firing.get("MessageDeduplicationId")).isEqualTo(critical.alertId + "-firing-" + critical.emittedAt);

        Map<String, String> back = find(publishes, CRITICAL, "resolved");
        assertThat(SnsStubExtension.alertJson(back)).isEqualTo(json.encode(resolved));
        assertThat(back.get("Subject")).startsWith("[RESOLVED] freshness: ");
        assertThat(SnsStubExtension.attributes(back)).containsEntry("state", "String:resolved");
        assertThat(back.get("MessageGroupId")).isEqualTo("freshness");
        assertThat(back.get("MessageDeduplicationId")).isEqualTo(resolved.alertId + "-resolved-" + resolved.emittedAt);
        assertThat(publishes.indexOf(back)).as("one topic, one request at a time, in order")
                .isGreaterThan(publishes.indexOf(firing));

        Map<String, String> standard = find(publishes, WARNING, "firing");
        assertThat(SnsStubExtension.alertJson(standard)).isEqualTo(json.encode(warning));
        assertThat(SnsStubExtension.attributes(standard)).containsEntry("severity", "String:warning");
        assertThat(standard).as("a standard topic takes no FIFO ids")
                .doesNotContainKeys("MessageGroupId", "MessageDeduplicationId");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void throttlingAndServerErrorsAreRetriedOneRequestPerAttemptAndTheAlertIsPublishedOnce() throws Exception {
        SNS.answerInTurn(error(400, "Sender", "Throttling", "Rate exceeded"),
                error(500, "Receiver", "InternalError", "Internal Error"), published("m-ok"));
        AlertEvent alert = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");

        List<DeliveryRecord> records = run("sns-throttled", AlertDelivery.to(sns()).retry(FAST), alert);

        assertThat(DeliveryJobs.outcomes(records)).containsExactly(CRITICAL + " 1 retrying 400",
                CRITICAL + " 2 retrying 500", CRITICAL + " 3 delivered 200");
        assertThat(records).extracting(r -> r.error).containsExactly("Throttling: Rate exceeded",
                "InternalError: Internal Error", null);
        assertThat(records.get(2).messageId).isEqualTo("m-ok");
        List<Map<String, String>> publishes = SNS.publishes();
        assertThat(publishes).as("the SDK does not retry on its own: three attempts, three requests").hasSize(3);
        assertThat(publishes).allSatisfy(p -> assertThat(p).isEqualTo(publishes.get(0)));
        assertThat(SnsStubExtension.alertJson(publishes.get(0))).isEqualTo(new AlertJson().encode(alert));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aRefusalIsRecordedAsRejectedAndKeptUntilTheTopicAcceptsIt() throws Exception {
        SNS.answerInTurn(error(404, "Sender", "NotFound", "Topic does not exist"), published("m-late"));
        AlertEvent alert = SampleAlerts.firing("volume", Severity.WARNING, "dataset s3://lake/loans");
        RetryPolicy slow = FAST.slowRetry(Duration.ofMillis(500));

        List<DeliveryRecord> records = run("sns-rejected", AlertDelivery.to(sns()).retry(slow), alert);

        assertThat(DeliveryJobs.outcomes(records)).containsExactly(WARNING + " 1 rejected 404", WARNING + " 2 delivered 200");
        assertThat(records.get(0).error).isEqualTo("NotFound: Topic does not exist");
        assertThat(records.get(0).nextAttemptAt - records.get(0).attemptedAt).isGreaterThanOrEqualTo(500);
        assertThat(records.get(1).attemptedAt - records.get(0).attemptedAt).isGreaterThanOrEqualTo(500);
    }
}
