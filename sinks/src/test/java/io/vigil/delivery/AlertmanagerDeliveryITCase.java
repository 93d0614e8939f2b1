package io.vigil.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alert delivery to a real Alertmanager ({@link AlertmanagerServer}) from MiniCluster jobs fed
 * while they run ({@link AlertFeed}), asserted through Alertmanager's own API and the
 * notifications its webhook receiver gets; and the faults (refusal, server errors, Alertmanager
 * down and back) through a WireMock stand-in on loopback. Each test uses its own alert names: the
 * one Alertmanager is shared by the class.
 */
class AlertmanagerDeliveryITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final AlertmanagerServer AM = new AlertmanagerServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RetryPolicy FAST = RetryPolicy.defaults()
            .backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).maxAttempts(5).slowRetry(Duration.ofSeconds(1));

    /** Waits up to {@code seconds} for {@code check} to give a value (exceptions count as not yet). */
    private static <T> T await(String what, int seconds, Callable<Optional<T>> check) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                Optional<T> v = check.call();
                if (v.isPresent()) {
                    return v.get();
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + seconds + " s: " + what + (last == null ? "" : " (" + last + ")")
                + "\nAlertmanager log:\n" + AM.log());
    }

    private static Map<String, String> map(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** Alertmanager's alert whose alert_id annotation is {@code alertId}, if it shows one. */
    private static Optional<JsonNode> shown(String alertId) throws Exception {
        return AM.alerts().stream().filter(a -> alertId.equals(a.path("annotations").path("alert_id").asText())).findFirst();
    }

    private static List<JsonNode> notificationsOf(String alertname) {
        return AM.notifications().stream().filter(n -> alertname.equals(n.path("groupLabels").path("alertname").asText()))
                .collect(Collectors.toList());
    }

    /**
     * {@code a} as if it had just started firing: Alertmanager notifies an alert that started
     * more than group_wait ago at once, without waiting to group it.
     */
    private static AlertEvent startedNow(AlertEvent a) {
        a.startsAt = a.eventTime = System.currentTimeMillis() - 100;
        return a;
    }

    /** The resolution of {@code firing}, now. */
    private static AlertEvent resolvedNow(AlertEvent firing) {
        AlertEvent r = SampleAlerts.resolved(firing);
        r.startsAt = firing.startsAt;
        r.eventTime = r.endsAt = System.currentTimeMillis();
        return r;
    }

    private static long delivered(String run, AlertEvent a) {
        return DeliveryJobs.records(run).stream().filter(r -> r.status == DeliveryStatus.DELIVERED
                && r.alertId.equals(a.alertId) && r.state.equals(a.state.wire())).count();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void alertsShowInAlertmanagerAsSentGroupedKeptAliveByResendsAndResolved() throws Exception {
        String run = "am-lifecycle";
        AlertmanagerRoute route = AlertmanagerRoute.named("am", AM.url()).resend(Duration.ofSeconds(2));
        JobClient job = DeliveryJobs.startFed(run, AlertDelivery.to(AlertmanagerChannel.routes(route)).retry(FAST));
        AlertEvent orders = startedNow(SampleAlerts.firing("am_freshness", Severity.CRITICAL, "dataset s3://lake/orders",
                new Label("team", "data")));
        AlertEvent loans = startedNow(SampleAlerts.firing("am_freshness", Severity.CRITICAL, "dataset s3://lake/loans",
                new Label("team", "data")));
        AlertEvent rows = startedNow(SampleAlerts.firing("am_volume", Severity.WARNING, "metric rows_written{table=orders}"));
        AlertFeed.send(run, orders, loans, rows);

        // Alertmanager shows each alert with Vigil's labels and annotations, active
        JsonNode shownOrders = await("the orders alert in Alertmanager", 30, () -> shown(orders.alertId));
        long firstSeen = System.currentTimeMillis();
        Map<String, String> want = new LinkedHashMap<>();
        want.put("alertname", "am_freshness");
        want.put("severity", "critical");
        want.put("rule_id", "am_freshness");
        want.put("entity", "dataset s3://lake/orders");
        want.put("team", "data");
        want.put("dataset", "s3://lake/orders");
        assertThat(map(shownOrders.get("labels"))).isEqualTo(want);
        assertThat(map(shownOrders.get("annotations"))).containsEntry("summary", "dataset s3://lake/orders is 5 (critical above 3)")
                .containsEntry("runbook_url", "https://runbooks.example.com/am_freshness").containsEntry("value", "5")
                .containsEntry("threshold", "3").containsEntry("alert_id", orders.alertId);
        assertThat(shownOrders.path("status").path("state").asText()).isEqualTo("active");
        assertThat(Instant.parse(shownOrders.get("startsAt").asText())).isEqualTo(Instant.ofEpochMilli(orders.startsAt));
        assertThat(shownOrders.get("generatorURL").asText()).isEqualTo("https://runbooks.example.com/am_freshness");
        long endsAt = Instant.parse(shownOrders.get("endsAt").asText()).toEpochMilli();
        System.out.println("measured: a firing alert sent with resend 2 s ends " + (endsAt - firstSeen) + " ms after it was seen");
        assertThat(endsAt - firstSeen).as("four resend intervals ahead").isBetween(4_000L, 8_500L);
        JsonNode shownRows = await("the rows alert", 10, () -> shown(rows.alertId));
        assertThat(map(shownRows.get("labels"))).containsEntry("alertname", "am_volume").containsEntry("severity", "warning")
                .containsEntry("metric", "rows_written").containsEntry("table", "orders");

        // grouped by alertname, as its route says: one notification carries both freshness alerts
        JsonNode group = await("the am_freshness group", 10, () -> AM.groups().stream()
                .filter(g -> "am_freshness".equals(g.path("labels").path("alertname").asText())).findFirst());
        assertThat(group.get("alerts")).hasSize(2);
        JsonNode firing = await("the am_freshness notification", 15, () -> notificationsOf("am_freshness").stream()
                .filter(n -> n.get("status").asText().equals("firing")).findFirst());
        List<String> entities = new ArrayList<>();
        firing.get("alerts").forEach(a -> entities.add(a.path("labels").path("entity").asText()));
        assertThat(entities).containsExactlyInAnyOrder("dataset s3://lake/orders", "dataset s3://lake/loans");

        // resends keep it alive past its first end time, and move its end on
        await("a resend of the orders alert", 15, () -> delivered(run, orders) >= 2 ? Optional.of(true) : Optional.empty());
        long movedTo = await("a later end time", 10, () -> shown(orders.alertId)
                .map(a -> Instant.parse(a.get("endsAt").asText()).toEpochMilli()).filter(t -> t > endsAt));
        assertThat(movedTo).isGreaterThan(endsAt);
        DeliveryRecord first = DeliveryJobs.records(run).stream().filter(r -> r.alertId.equals(orders.alertId)).findFirst().get();
        assertThat(first.status).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(first.sink).isEqualTo("alertmanager");
        assertThat(first.route).isEqualTo("am");
        // the resend is due one interval after the answer
        assertThat(first.nextAttemptAt - first.attemptedAt).isBetween(2_000L, 2_000L + first.latencyMs + 20);

        // resolved: one post each, ending at the resolution time; the group's notification says so
        AlertEvent ordersBack = resolvedNow(orders);
        AlertEvent loansBack = resolvedNow(loans);
        AlertFeed.send(run, ordersBack, loansBack);
        JsonNode resolved = await("the resolved notification", 20, () -> notificationsOf("am_freshness").stream()
                .filter(n -> n.get("status").asText().equals("resolved")).findFirst());
        Map<String, Instant> ends = new LinkedHashMap<>();
        resolved.get("alerts").forEach(a -> {
            assertThat(a.get("status").asText()).isEqualTo("resolved");
            ends.put(a.path("labels").path("entity").asText(), Instant.parse(a.get("endsAt").asText()));
        });
        assertThat(ends).containsOnly(Map.entry("dataset s3://lake/orders", Instant.ofEpochMilli(ordersBack.endsAt)),
                Map.entry("dataset s3://lake/loans", Instant.ofEpochMilli(loansBack.endsAt)));
        assertThat(shown(orders.alertId)).as("ended: no longer among the active alerts").isEmpty();
        assertThat(shown(loans.alertId)).isEmpty();
        long resolvedPosts = delivered(run, ordersBack);
        assertThat(resolvedPosts).isEqualTo(1);

        // the rows alert, still firing, outlives its first end time by far (resent every 2 s)
        Thread.sleep(Math.max(0, endsAt + 3_000 - System.currentTimeMillis()));
        assertThat(shown(rows.alertId)).as("still active after its first end time").isPresent();
        assertThat(delivered(run, orders)).as("no resend after the resolution").isEqualTo(delivered(run, orders));

        AlertFeed.end(run);
        job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
        List<DeliveryRecord> records = DeliveryJobs.records(run);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.status).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(r.httpStatus).isEqualTo(200);
        });
        assertThat(records).filteredOn(r -> r.state.equals("resolved")).allSatisfy(r -> assertThat(r.nextAttemptAt).isNull());
        assertThat(records.stream().filter(r -> r.alertId.equals(orders.alertId) && r.state.equals("firing")).count())
                .isEqualTo(delivered(run, orders));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aSilenceSetInAlertmanagerSuppressesItsNotificationWhileVigilStillDelivers() throws Exception {
        String run = "am-silence";
        String silence = AM.silence("am_silenced", Duration.ofMinutes(10));
        AlertmanagerRoute route = AlertmanagerRoute.named("am", AM.url()).resend(Duration.ofSeconds(2));
        JobClient job = DeliveryJobs.startFed(run, AlertDelivery.to(AlertmanagerChannel.routes(route)).retry(FAST));
        AlertEvent silenced = startedNow(SampleAlerts.firing("am_silenced", Severity.CRITICAL, "dataset s3://lake/payments"));
        AlertEvent loud = startedNow(SampleAlerts.firing("am_loud", Severity.CRITICAL, "dataset s3://lake/payments"));
        AlertFeed.send(run, silenced, loud);

        JsonNode shownSilenced = await("the silenced alert in Alertmanager", 30, () -> shown(silenced.alertId));
        assertThat(shownSilenced.path("status").path("state").asText()).isEqualTo("suppressed");
        assertThat(shownSilenced.path("status").path("silencedBy")).hasSize(1);
        assertThat(shownSilenced.path("status").path("silencedBy").get(0).asText()).isEqualTo(silence);
        assertThat(shown(loud.alertId).get().path("status").path("state").asText()).isEqualTo("active");
        await("the notification of the other alert", 15, () -> notificationsOf("am_loud").stream().findFirst());
        // group_wait 1 s and group_interval 2 s have passed for both: the silenced one sends nothing
        Thread.sleep(3_000);
        assertThat(notificationsOf("am_silenced")).isEmpty();
        assertThat(delivered(run, silenced)).as("Vigil delivers; Alertmanager silences").isGreaterThanOrEqualTo(1);

        AlertFeed.end(run);
        job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
    }

    private static WireMockServer standIn(int port) {
        WireMockServer s = new WireMockServer(WireMockConfiguration.options().port(port).bindAddress("127.0.0.1"));
        s.start();
        return s;
    }

    private static List<LoggedRequest> posts(WireMockServer s) {
        return s.findAll(postRequestedFor(urlPathEqualTo("/api/v2/alerts")));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void anAlertAlertmanagerFindsInvalidIsAbandonedAtOnceWithItsReason() throws Exception {
        WireMockServer s = standIn(0);
        try {
            s.stubFor(post(urlPathEqualTo("/api/v2/alerts")).willReturn(aResponse().withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"code\":400,\"message\":\"start time must be before end time\"}")));
            AlertmanagerRoute route = AlertmanagerRoute.named("am", URI.create("http://127.0.0.1:" + s.port()));
            AlertEvent alert = SampleAlerts.firing("am_invalid", Severity.CRITICAL, "dataset s3://lake/orders");
            DeliveryJobs.start("am-400", AlertDelivery.to(AlertmanagerChannel.routes(route)).retry(FAST), alert)
                    .getJobExecutionResult().get(60, TimeUnit.SECONDS);
            List<DeliveryRecord> records = DeliveryJobs.records("am-400");
            assertThat(DeliveryJobs.outcomes(records)).containsExactly("am 1 abandoned 400");
            assertThat(records.get(0).error).isEqualTo(
                    "refused, not retried: HTTP 400: {\"code\":400,\"message\":\"start time must be before end time\"}");
            assertThat(posts(s)).hasSize(1);
        } finally {
            s.stop();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void serverErrorsAndAnAlertmanagerDownAreRetriedWithBackoffUntilItIsBack() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        AlertmanagerRoute route = AlertmanagerRoute.named("am", URI.create("http://127.0.0.1:" + port));
        AlertEvent alert = SampleAlerts.firing("am_flaky", Severity.WARNING, "dataset s3://lake/orders");
        RetryPolicy policy = FAST.backoff(Duration.ofMillis(200), Duration.ofMillis(400)).maxAttempts(3)
                .slowRetry(Duration.ofMillis(800));
        String run = "am-down";
        JobClient job = DeliveryJobs.start(run, AlertDelivery.to(AlertmanagerChannel.routes(route)).retry(policy), alert);
        // nothing listens: connection refused, retried, then on the slow cadence
        await("three failed attempts", 30, () -> DeliveryJobs.records(run).size() >= 3 ? Optional.of(true) : Optional.empty());
        List<DeliveryRecord> down = DeliveryJobs.records(run);
        assertThat(DeliveryJobs.outcomes(down).subList(0, 3)).containsExactly("am 1 retrying null", "am 2 retrying null",
                "am 3 failed null");
        assertThat(down.get(0).error).startsWith("ConnectException");
        assertThat(down.get(1).attemptedAt - down.get(0).attemptedAt).isGreaterThanOrEqualTo(100);

        // back, but failing for two requests first
        WireMockServer s = standIn(port);
        try {
            s.stubFor(post(urlPathEqualTo("/api/v2/alerts")).inScenario("flaky")
                    .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                    .willSetStateTo("503").willReturn(aResponse().withStatus(500).withBody("internal error")));
            s.stubFor(post(urlPathEqualTo("/api/v2/alerts")).inScenario("flaky").whenScenarioStateIs("503")
                    .willSetStateTo("ok").willReturn(aResponse().withStatus(503).withBody("unavailable")));
            s.stubFor(post(urlPathEqualTo("/api/v2/alerts")).inScenario("flaky").whenScenarioStateIs("ok")
                    .willReturn(aResponse().withStatus(200)));
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
            List<DeliveryRecord> all = DeliveryJobs.records(run);
            List<String> after = DeliveryJobs.outcomes(all).stream().filter(o -> !o.endsWith(" null"))
                    .collect(Collectors.toList());
            int n = all.size();
            assertThat(after).containsExactly("am " + (n - 2) + " failed 500", "am " + (n - 1) + " failed 503",
                    "am " + n + " delivered 200");
            assertThat(posts(s)).hasSize(3);
            JsonNode body = JSON.readTree(posts(s).get(2).getBodyAsString());
            assertThat(body.get(0).path("labels").path("alertname").asText()).isEqualTo("am_flaky");
            assertThat(posts(s).get(0).getHeader("Content-Type")).startsWith("application/json");
        } finally {
            s.stop();
        }
    }
}
