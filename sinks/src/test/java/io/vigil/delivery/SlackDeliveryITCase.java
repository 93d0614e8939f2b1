package io.vigil.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alert delivery to Slack webhooks on loopback, in MiniCluster jobs ({@link DeliveryJobs}: they
 * checkpoint, run without Kryo and must not restart: an exception out of the delivery operator
 * fails the job and the test). After each test, no webhook URL or token may appear in a
 * delivery record or in what Vigil, Flink and the SDK logged.
 */
class SlackDeliveryITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final SlackWebhookExtension SLACK = new SlackWebhookExtension();

    @RegisterExtension
    static final CapturedLogs LOGS = new CapturedLogs();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final java.time.ZoneId PARIS = java.time.ZoneId.of("Europe/Paris");
    private static final RetryPolicy FAST = RetryPolicy.defaults()
            .backoff(Duration.ofMillis(200), Duration.ofSeconds(2)).maxAttempts(5).slowRetry(Duration.ofSeconds(1));

    private final List<String> runs = new ArrayList<>();

    private JobClient start(String run, AlertDelivery delivery, AlertEvent... alerts) throws Exception {
        runs.add(run);
        return DeliveryJobs.start(run, delivery, alerts);
    }

    /** Runs a job to its end (every alert delivered) and returns its records in emission order. */
    private List<DeliveryRecord> run(String run, AlertDelivery delivery, AlertEvent... alerts) throws Exception {
        start(run, delivery, alerts).getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return records(run);
    }

    private static List<DeliveryRecord> records(String run) {
        return DeliveryJobs.records(run);
    }

    private static List<String> outcomes(List<DeliveryRecord> records) {
        return DeliveryJobs.outcomes(records);
    }

    private static List<Long> gaps(List<LoggedRequest> requests) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < requests.size(); i++) {
            gaps.add(requests.get(i).getLoggedDate().getTime() - requests.get(i - 1).getLoggedDate().getTime());
        }
        return gaps;
    }

    private static List<String> bodies(SlackWebhookExtension.Webhook hook) {
        return hook.requests().stream().map(LoggedRequest::getBodyAsString).collect(Collectors.toList());
    }

    @AfterEach
    void noWebhookUrlOrTokenInRecordsOrLogs() throws Exception {
        List<String> texts = new ArrayList<>();
        for (String run : runs) {
            for (DeliveryRecord r : records(run)) {
                texts.add(r.toString());
                for (Field f : DeliveryRecord.class.getFields()) {
                    texts.add(String.valueOf(f.get(r)));
                }
            }
        }
        List<String> logs = LOGS.lines();
        assertThat(logs).as("something was captured").isNotEmpty();
        texts.addAll(logs);
        List<String> leaks = new ArrayList<>();
        for (String t : texts) {
            for (String secret : SLACK.secrets()) {
                if (t.contains(secret)) {
                    leaks.add(t);
                }
            }
        }
        assertThat(leaks).as("texts holding a webhook URL or token").isEmpty();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void alertsReachTheirRouteAsBlockKitWithHostileTextInert() throws Exception {
        SlackWebhookExtension.Webhook pager = SLACK.webhook("pager")
                .answer(aResponse().withStatus(200).withBody("ok").withFixedDelay(150));
        SlackWebhookExtension.Webhook risk = SLACK.webhook("risk");
        SlackWebhookExtension.Webhook rest = SLACK.webhook("rest");
        SlackChannel slack = SlackChannel.routes(
                SlackRoute.named("pager", pager.ref()).severities(Severity.CRITICAL).timezone(PARIS),
                SlackRoute.named("risk", risk.ref()).label("team", "risk"),
                SlackRoute.named("rest", rest.ref()));
        AlertEvent hostile = SampleAlerts.firing("freshness", Severity.CRITICAL, "<!channel> dataset s3://lake/orders",
                new Label("team", "risk"));
        hostile.summary = "<https://evil|click> to fix dataset s3://lake/orders";
        AlertEvent resolved = SampleAlerts.resolved(hostile);
        AlertEvent warning = SampleAlerts.firing("volume", Severity.WARNING, "dataset s3://lake/loans",
                new Label("team", "risk"));
        AlertEvent info = SampleAlerts.firing("lag", Severity.INFO, "topic orders");

        List<DeliveryRecord> records = run("block-kit", AlertDelivery.to(slack).retry(FAST), hostile, resolved, warning, info);

        assertThat(outcomes(records)).containsExactlyInAnyOrder("pager 1 delivered 200", "pager 1 delivered 200",
                "risk 1 delivered 200", "rest 1 delivered 200");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.sink).isEqualTo("slack");
            // from the request to its answer: at least the pager's delay, below the 10 s request timeout
            assertThat(r.latencyMs).isNotNull().isBetween(r.route.equals("pager") ? 150L : 0L, 10_000L);
            assertThat(r.nextAttemptAt).isNull();
            assertThat(r.error).isNull();
        });
        assertThat(bodies(pager)).as("first match wins; firing before resolved; times in the route's zone")
                .containsExactly(SlackMessage.body(hostile, null, PARIS), SlackMessage.body(resolved, null, PARIS));
        assertThat(bodies(risk)).containsExactly(SlackMessage.body(warning, null));
        assertThat(bodies(rest)).containsExactly(SlackMessage.body(info, null));
        assertThat(pager.requests().get(0).getHeader("Content-Type")).startsWith("application/json");

        String raw = bodies(pager).get(0);
        assertThat(raw).doesNotContain("<!channel>").doesNotContain("<https://evil")
                .contains("&lt;!channel&gt; dataset s3://lake/orders").contains("&lt;https://evil|click&gt; to fix");
        JsonNode firing = MAPPER.readTree(raw);
        assertThat(firing.at("/blocks/0/text/text").asText()).isEqualTo(":red_circle: *CRITICAL · FIRING* · freshness");
        assertThat(firing.at("/blocks/1/text/text").asText()).isEqualTo("&lt;https://evil|click&gt; to fix dataset s3://lake/orders");
        assertThat(firing.at("/blocks/2/fields/0/text").asText()).isEqualTo("*Entity*\n&lt;!channel&gt; dataset s3://lake/orders");
        assertThat(firing.at("/blocks/2/fields/1/text").asText()).isEqualTo("*Value*\n5");
        assertThat(firing.at("/blocks/2/fields/2/text").asText()).isEqualTo("*Threshold*\n3");
        assertThat(firing.at("/blocks/2/fields/3/text").asText()).isEqualTo("*Since*\n2026-11-02 11:00 CET");
        assertThat(MAPPER.readTree(bodies(risk).get(0)).at("/blocks/2/fields/3/text").asText())
                .isEqualTo("*Since*\n2026-11-02 10:00 UTC");
        assertThat(firing.at("/blocks/3/elements/0/text").asText())
                .startsWith("<https://runbooks.example.com/freshness|Runbook> · team=risk · alert ");
        JsonNode back = MAPPER.readTree(bodies(pager).get(1));
        assertThat(back.at("/blocks/0/text/text").asText()).isEqualTo(":white_check_mark: *RESOLVED* (was critical) · freshness");
        assertThat(back.get("text").asText()).startsWith("[RESOLVED] freshness: ");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void a429RetryAfterHoldsTheWebhookAndEachAlertIsThenDeliveredOnce() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("throttled").answerInTurn(
                aResponse().withStatus(429).withHeader("Retry-After", "2").withBody("rate_limited"),
                aResponse().withStatus(200).withBody("ok"));
        SlackChannel slack = SlackChannel.routes(SlackRoute.named("oncall", hook.ref()));
        AlertEvent first = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");
        AlertEvent second = SampleAlerts.firing("volume", Severity.WARNING, "dataset s3://lake/orders");

        List<DeliveryRecord> records = run("retry-after", AlertDelivery.to(slack).retry(FAST), first, second);

        assertThat(outcomes(records)).containsExactly("oncall 1 retrying 429", "oncall 2 delivered 200",
                "oncall 1 delivered 200");
        DeliveryRecord throttled = records.get(0);
        assertThat(throttled.ruleId).isEqualTo("freshness");
        assertThat(throttled.error).isEqualTo("HTTP 429: rate_limited (Retry-After 2000 ms)");
        assertThat(throttled.nextAttemptAt - throttled.attemptedAt).isGreaterThanOrEqualTo(2000);
        List<LoggedRequest> requests = hook.requests();
        assertThat(requests).hasSize(3);
        List<Long> gaps = gaps(requests);
        System.out.println("measured: 429 with Retry-After 2 s -> next request after " + gaps.get(0)
                + " ms; then " + gaps.get(1) + " ms to the other alert");
        assertThat(gaps.get(0)).as("Retry-After honoured").isBetween(2000L, 5000L);
        assertThat(gaps.get(1)).as("the other alert waited too, then the rate limit").isGreaterThanOrEqualTo(1000L);
        assertThat(bodies(hook)).containsExactly(SlackMessage.body(first, null), SlackMessage.body(first, null),
                SlackMessage.body(second, null));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void serverErrorsAndATimeoutAreRetriedWithBackoffThenTheAlertIsDeliveredAsSent() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("flaky").answerInTurn(
                aResponse().withStatus(500).withBody("internal_error"),
                aResponse().withStatus(503).withBody("service unavailable"),
                aResponse().withStatus(200).withBody("ok").withFixedDelay(1500),
                aResponse().withStatus(200).withBody("ok"));
        SlackChannel slack = SlackChannel.routes(SlackRoute.named("oncall", hook.ref()))
                .requestTimeout(Duration.ofMillis(400)).minInterval(Duration.ZERO);
        AlertEvent alert = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");

        List<DeliveryRecord> records = run("flaky", AlertDelivery.to(slack).retry(FAST), alert);

        assertThat(outcomes(records)).containsExactly("oncall 1 retrying 500", "oncall 2 retrying 503",
                "oncall 3 retrying null", "oncall 4 delivered 200");
        assertThat(records).extracting(r -> r.error).containsExactly("HTTP 500: internal_error",
                "HTTP 503: service unavailable", "timed out after 400 ms", null);
        assertThat(records.get(2).latencyMs).isGreaterThanOrEqualTo(400L);
        List<Long> gaps = gaps(hook.requests());
        System.out.println("measured: backoff gaps after 500, 503, timeout: " + gaps + " ms");
        // equal jitter: at least half of 200, 400, 800 ms; the timeout's 400 ms comes before its
        // backoff, counted from the client's send, a few ms before the webhook logs the request
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(100);
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(200);
        assertThat(gaps.get(2)).isGreaterThanOrEqualTo(400 + 400 - 50);
        // the timed-out request reached the webhook too: at least once, never lost
        assertThat(bodies(hook)).hasSize(4).containsOnly(SlackMessage.body(alert, null));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void atMostOneMessagePerSecondPerWebhookWhileWebhooksDoNotWaitForEachOther() throws Exception {
        SlackWebhookExtension.Webhook a = SLACK.webhook("rate-a");
        SlackWebhookExtension.Webhook b = SLACK.webhook("rate-b");
        SlackChannel slack = SlackChannel.routes(
                SlackRoute.named("team-a", a.ref()).label("team", "a"),
                SlackRoute.named("team-b", b.ref()).label("team", "b"));
        List<AlertEvent> alerts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            alerts.add(SampleAlerts.firing("rule-" + i, Severity.WARNING, "entity a" + i, new Label("team", "a")));
            alerts.add(SampleAlerts.firing("rule-" + i, Severity.WARNING, "entity b" + i, new Label("team", "b")));
        }

        List<DeliveryRecord> records = run("rate", AlertDelivery.to(slack).retry(FAST), alerts.toArray(new AlertEvent[0]));

        assertThat(records).hasSize(8).allSatisfy(r -> assertThat(r.status).isEqualTo(DeliveryStatus.DELIVERED));
        List<Long> gapsA = gaps(a.requests());
        List<Long> gapsB = gaps(b.requests());
        long start = Math.abs(a.requests().get(0).getLoggedDate().getTime() - b.requests().get(0).getLoggedDate().getTime());
        System.out.println("measured: per-webhook gaps a " + gapsA + " b " + gapsB + " ms; first messages "
                + start + " ms apart");
        assertThat(gapsA).hasSize(3).allSatisfy(g -> assertThat(g).isGreaterThanOrEqualTo(1000L));
        assertThat(gapsB).hasSize(3).allSatisfy(g -> assertThat(g).isGreaterThanOrEqualTo(1000L));
        assertThat(start).as("two webhooks are two lanes").isLessThan(900L);
        assertThat(bodies(a)).containsExactlyElementsOf(alerts.stream().filter(x -> x.entity.contains(" a"))
                .map(x -> SlackMessage.body(x, null)).collect(Collectors.toList()));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aWebhookThatKeepsFailingYieldsFailedRecordsAndTheAlertStaysPendingUntilItRecovers() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("down");
        // a proxy's error page that echoes the requested URL: the secret must not reach records or logs
        hook.answer(aResponse().withStatus(500).withBody("upstream failed for " + hook.url()));
        SlackChannel slack = SlackChannel.routes(SlackRoute.named("oncall", hook.ref())).minInterval(Duration.ZERO);
        RetryPolicy policy = FAST.backoff(Duration.ofMillis(50), Duration.ofMillis(100)).maxAttempts(2)
                .slowRetry(Duration.ofMillis(600));
        AlertEvent alert = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");

        JobClient job = start("down", AlertDelivery.to(slack).retry(policy), alert);
        long deadline = System.currentTimeMillis() + 30_000;
        while (records("down").stream().filter(r -> r.status == DeliveryStatus.FAILED).count() < 2) {
            assertThat(System.currentTimeMillis()).as("two failed attempts within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(job.getJobStatus().get()).as("input over, alert still pending").isEqualTo(JobStatus.RUNNING);
        List<DeliveryRecord> failing = records("down");
        assertThat(outcomes(failing).subList(0, 3)).containsExactly("oncall 1 retrying 500", "oncall 2 failed 500",
                "oncall 3 failed 500");
        assertThat(failing.get(1).error).isEqualTo("HTTP 500: upstream failed for <redacted>");
        long slow = failing.get(2).attemptedAt - failing.get(1).attemptedAt;
        System.out.println("measured: slow cadence between failed attempts " + slow + " ms (policy 600 ms)");
        assertThat(slow).isGreaterThanOrEqualTo(600);

        hook.answer(aResponse().withStatus(200).withBody("ok"));
        job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
        List<DeliveryRecord> all = records("down");
        DeliveryRecord last = all.get(all.size() - 1);
        assertThat(last.status).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(last.attempt).isEqualTo(all.size()).isEqualTo(hook.requests().size());
        assertThat(all.subList(1, all.size() - 1)).allSatisfy(r -> assertThat(r.status).isEqualTo(DeliveryStatus.FAILED));
        assertThat(bodies(hook)).containsOnly(SlackMessage.body(alert, null));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoHundredAlertsOfOneIncidentAreAHandfulOfMessagesListingEveryAlert() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("incident");
        // one message per second per webhook, as Slack allows: 400 state changes alone would take minutes
        SlackChannel channel = SlackChannel.routes(SlackRoute.named("oncall", hook.ref())
                .grouping(Grouping.by("alertname").groupWait(Duration.ofSeconds(1)).groupInterval(Duration.ofSeconds(2))));
        List<AlertEvent> firing = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            firing.add(SampleAlerts.firing("kpi_par_90", Severity.WARNING, "metric par_90_pct{portfolio=p" + i + "}"));
        }
        String run = "incident";
        runs.add(run);
        JobClient job = DeliveryJobs.startFed(run, AlertDelivery.to(channel).retry(FAST));
        for (int burst = 0; burst < 4; burst++) {
            AlertFeed.send(run, firing.subList(burst * 50, burst * 50 + 50).toArray(new AlertEvent[0]));
            Thread.sleep(100);
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (hook.requests().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        for (AlertEvent a : firing) {
            AlertFeed.send(run, SampleAlerts.resolved(a));
        }
        AlertFeed.end(run);
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);

        List<DeliveryRecord> records = records(run);
        assertThat(hook.requests()).as("messages for 400 state changes").hasSizeBetween(2, 5);
        assertThat(records).allSatisfy(r -> assertThat(r.status).isEqualTo(DeliveryStatus.DELIVERED));
        java.util.Set<String> firingIds = new java.util.TreeSet<>();
        for (DeliveryRecord r : records) {
            assertThat(r.alertId).startsWith("group-");
            if (r.state.equals("firing")) {
                firingIds.addAll(java.util.Arrays.asList(r.alertIds));
            }
        }
        assertThat(firingIds).as("every alert is listed in a delivered record")
                .isEqualTo(firing.stream().map(a -> a.alertId).collect(Collectors.toCollection(java.util.TreeSet::new)));
        DeliveryRecord last = records.get(records.size() - 1);
        assertThat(last.state).isEqualTo("resolved");
        assertThat(last.alertIds).hasSize(200);
        JsonNode row = MAPPER.readTree(new DeliveryRecordJson().encode(last));
        assertThat(row.get("alert_ids")).hasSize(200);
        List<String> bodies = bodies(hook);
        assertThat(bodies.get(0)).contains("FIRING").contains("more");
        assertThat(bodies.get(bodies.size() - 1)).contains("RESOLVED 200").contains("and 195 more");
    }
}
