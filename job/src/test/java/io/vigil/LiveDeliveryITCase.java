package io.vigil;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.vigil.delivery.SnsStubExtension.error;
import static io.vigil.delivery.SnsStubExtension.published;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.config.VigilConfig;
import io.vigil.delivery.AwsTestCredentials;
import io.vigil.delivery.SlackWebhookExtension;
import io.vigil.delivery.SnsStubExtension;
import io.vigil.iceberg.HadoopCatalogExtension;
import io.vigil.iceberg.VigilTables;
import io.vigil.metrics.VigilMetrics;
import io.vigil.testing.IncidentScenario;
import io.vigil.testing.VigilMetricsReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job as configured: six hours of scripted incidents from files through the default
 * rules, alerts to a file, two Slack routes and SNS topics per severity, all combined by property
 * groups. The Slack and SNS stand-ins (WireMock on loopback) answer 429 with Retry-After, 5xx,
 * a timeout and SNS throttling first. The job runs without a restart strategy, so a sink failure
 * would fail it; every alert state change must still reach each route it belongs to, and every
 * delivery is recorded in the alert_deliveries table.
 */
class LiveDeliveryITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(VigilMetricsReporter.install(new Configuration())).build());

    @RegisterExtension
    static final SlackWebhookExtension SLACK = new SlackWebhookExtension();

    @RegisterExtension
    static final SnsStubExtension SNS = new SnsStubExtension();

    @RegisterExtension
    static final AwsTestCredentials CREDENTIALS = new AwsTestCredentials();

    @RegisterExtension
    final HadoopCatalogExtension catalog = new HadoopCatalogExtension();

    @TempDir Path dir;

    private static final String CRITICAL = "arn:aws:sns:eu-west-1:123456789012:vigil-critical.fifo";
    private static final String WARNING = "arn:aws:sns:eu-west-1:123456789012:vigil-warning";
    private final ObjectMapper json = new ObjectMapper();

    private static void put(Map<String, Properties> groups, String group, String... keyValue) {
        for (int i = 0; i < keyValue.length; i += 2) {
            groups.computeIfAbsent(group, g -> new Properties()).setProperty(keyValue[i], keyValue[i + 1]);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyAlertReachesEachOfItsRoutesThroughFaultsAndEveryAttemptIsRecorded() throws Exception {
        SlackWebhookExtension.Webhook risk = SLACK.webhook("risk").answerInTurn(
                aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("rate_limited"),
                aResponse().withStatus(500).withBody("internal_error"),
                aResponse().withStatus(200).withBody("ok").withFixedDelay(8000),
                aResponse().withStatus(200).withBody("ok"));
        SlackWebhookExtension.Webhook oncall = SLACK.webhook("oncall").answerInTurn(
                aResponse().withStatus(503).withBody("service unavailable"),
                aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("rate_limited"),
                aResponse().withStatus(200).withBody("ok"));
        SNS.answerInTurn(error(400, "Sender", "Throttling", "Rate exceeded"),
                error(400, "Sender", "Throttling", "Rate exceeded"),
                error(500, "Receiver", "InternalError", "Internal Error"), published("m-ok"));

        Map<String, Properties> groups = new TreeMap<>();
        Path out = dir.resolve("out");
        // no heartbeat: its source never ends, and this job ends with its files
        put(groups, "vigil", "parallelism", "2", "checkpoint.interval", "2s", "output.dir", out.toString(),
                "watchdog.interval", "off");
        for (String arg : new IncidentScenario(Files.createDirectories(dir.resolve("in")), true, 6).write()) {
            String name = arg.substring(0, arg.indexOf('='));
            String format = arg.substring(arg.indexOf('=') + 1, arg.indexOf(':'));
            put(groups, "input." + name, "type", "file", "format", format, "path", arg.substring(arg.indexOf(':') + 1));
        }
        put(groups, "iceberg", "warehouse", catalog.warehouse().toString());
        put(groups, "alerts.file", "type", "file");
        put(groups, "alerts.risk", "type", "slack", "webhook", risk.url(), "labels", "team=risk", "order", "1");
        put(groups, "alerts.oncall", "type", "slack", "webhook", "literal:" + oncall.url(),
                "severities", "critical,warning", "order", "2");
        put(groups, "alerts.pager", "type", "sns", "topic.critical", CRITICAL, "topic.warning", WARNING,
                "topic.info", "none", "aws.endpoint", SNS.endpoint().toString(), "timeout", "5s");
        put(groups, "delivery", "retry.backoff", "100ms", "retry.max-backoff", "1s", "retry.every", "1s",
                "slack.min-interval", "50ms", "slack.timeout", "5s");
        VigilConfig config = VigilConfig.from(groups);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        VigilJob.configure(env, config);
        Configuration noRestart = new Configuration();
        noRestart.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(noRestart); // a failing sink would fail the job, not be hidden by a restart
        VigilJob.live(env, config);
        VigilMetricsReporter.clear();
        long started = System.nanoTime();
        env.execute("live-delivery-it");
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        // What each route should have received, from the alert file (the same stream).
        Set<String> wantRisk = new TreeSet<>();
        Set<String> wantOncall = new TreeSet<>();
        Set<String> wantSns = new TreeSet<>();
        List<String> wantDeliveries = new ArrayList<>(); // route, alert id, state, emitted at: one per delivery
        List<String> lines = Files.readAllLines(out.resolve("alerts.jsonl"));
        for (String line : lines) {
            JsonNode a = json.readTree(line);
            String id = a.get("alert_id").asText() + " " + a.get("state").asText();
            String severity = a.get("severity").asText();
            String event = id + " " + LocalDateTime.ofInstant(Instant.parse(a.get("emitted_at").asText()), ZoneOffset.UTC);
            if ("risk".equals(a.path("labels").path("team").asText())) {
                wantRisk.add(id);
                wantDeliveries.add("risk " + event);
            } else if (!severity.equals("info")) {
                wantOncall.add(id);
                wantDeliveries.add("oncall " + event);
            }
            if (!severity.equals("info")) {
                String topic = severity.equals("critical") ? CRITICAL : WARNING;
                wantSns.add(topic + " " + id);
                wantDeliveries.add(topic + " " + event);
            }
        }
        assertThat(lines).as("the scripted incidents raise alerts").hasSizeGreaterThan(20);
        assertThat(wantRisk).as("some alerts are the risk team's").hasSizeGreaterThan(1);
        assertThat(wantOncall).hasSizeGreaterThan(10);

        // a newer state change supersedes a pending older one: the newest of each alert arrives
        Set<String> riskGot = risk.alertStates();
        assertThat(wantRisk).as("risk webhook: nothing else").containsAll(riskGot);
        assertThat(riskGot).as("risk webhook").containsAll(io.vigil.testing.NewestStates.ofIdStates(wantRisk));
        Set<String> oncallGot = oncall.alertStates();
        assertThat(wantOncall).as("oncall webhook: nothing else").containsAll(oncallGot);
        assertThat(oncallGot).as("oncall webhook").containsAll(io.vigil.testing.NewestStates.ofIdStates(wantOncall));
        Set<String> snsGot = new TreeSet<>();
        for (Map<String, String> p : SNS.publishes()) {
            JsonNode a = json.readTree(SnsStubExtension.alertJson(p));
            snsGot.add(p.get("TopicArn") + " " + a.get("alert_id").asText() + " " + a.get("state").asText());
            assertThat(SnsStubExtension.attributes(p)).containsEntry("severity", "String:" + a.get("severity").asText())
                    .containsEntry("rule_id", "String:" + a.get("rule_id").asText())
                    .containsEntry("state", "String:" + a.get("state").asText());
        }
        assertThat(wantSns).as("sns: nothing else").containsAll(snsGot);
        assertThat(snsGot).as("sns").containsAll(io.vigil.testing.NewestStates.ofIdStates(wantSns));

        // Every delivery is recorded: one delivered row per alert event and route, the faults as retries.
        List<String> delivered = new ArrayList<>();
        List<String> retried = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (Record r : HadoopCatalogExtension.read(catalog.table(VigilTables.ALERT_DELIVERIES))) {
            rows.add(r.toString());
            String status = (String) r.getField("status");
            if (status.equals("delivered") || status.equals("superseded")) {
                delivered.add(r.getField("route") + " " + r.getField("alert_id") + " " + r.getField("state") + " "
                        + r.getField("alert_emitted_at"));
            }
            // a failed request whose delivery a newer state change superseded meanwhile is recorded superseded
            if (status.equals("retrying") || status.equals("superseded") && r.getField("http_status") != null
                    || status.equals("superseded") && String.valueOf(r.getField("error")).startsWith("timed out")) {
                retried.add(r.getField("route") + " " + r.getField("http_status") + " " + r.getField("error"));
            }
        }
        System.out.println("measured: " + lines.size() + " alert events, " + delivered.size() + " deliveries ("
                + wantRisk.size() + " risk, " + wantOncall.size() + " oncall, " + wantSns.size() + " sns), "
                + retried.size() + " retried attempts, job " + tookMs + " ms");
        // every state change is delivered or recorded superseded, once
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(wantDeliveries);
        assertThat(retried).contains("risk 429 HTTP 429: rate_limited (Retry-After 1000 ms)", "risk 500 HTTP 500: internal_error",
                "risk null timed out after 5000 ms", "oncall 503 HTTP 503: service unavailable",
                "oncall 429 HTTP 429: rate_limited (Retry-After 1000 ms)");
        assertThat(retried).filteredOn(r -> r.endsWith(" 400 Throttling: Rate exceeded")).hasSize(2);
        assertThat(retried).filteredOn(r -> r.endsWith(" 500 InternalError: Internal Error")).hasSize(1);

        // Vigil's own metrics, under the group Managed Flink exports to CloudWatch.
        assertThat(VigilMetricsReporter.count(VigilMetrics.DELIVERY_FAILURES, "")).as(VigilMetricsReporter.names().toString())
                .isEqualTo(retried.size());
        assertThat(VigilMetricsReporter.gauges(VigilMetrics.PENDING_DELIVERIES)).containsExactly(0);
        long firstFirings = lines.stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).filter(a -> a.get("state").asText().equals("firing") && a.get("event_time").equals(a.get("starts_at"))).count();
        long fired = VigilMetricsReporter.names().stream().filter(n -> n.startsWith(VigilMetrics.ALERTS_FIRED + "{rule="))
                .mapToLong(n -> VigilMetricsReporter.count(n, "")).sum();
        assertThat(fired).as("alerts fired, before silences and inhibitions").isGreaterThanOrEqualTo(firstFirings).isPositive();
        assertThat(VigilMetricsReporter.count(VigilMetrics.RECORDS_READ, "{source=auth}")).isPositive();
        assertThat(VigilMetricsReporter.count(VigilMetrics.RECORDS_READ, "{source=shop}"))
                .isEqualTo(VigilMetricsReporter.count(VigilMetrics.RECORDS_VALID, "{source=shop}")
                        + VigilMetricsReporter.count(VigilMetrics.RECORDS_INVALID, "{source=shop}"));
        assertThat(VigilMetricsReporter.names()).anyMatch(n -> n.startsWith(VigilMetrics.RECORDS_INVALID + "{reason="));
        assertThat(VigilMetricsReporter.gauges(VigilMetrics.INVALID_RECORD_RATIO)).isNotEmpty()
                .allSatisfy(v -> assertThat((Double) v).isBetween(0.0, 1.0));
        // the scenario's events are from 2026-11-02: the rules run weeks behind the wall clock
        assertThat(VigilMetricsReporter.gauges(VigilMetrics.RULE_EVALUATION_LAG_MS)).isNotEmpty()
                .allSatisfy(v -> assertThat((Long) v).isGreaterThan(java.time.Duration.ofDays(1).toMillis()));

        // a webhook would leak into the rows' route or error (alert JSON never holds one)
        assertThat(rows).hasSizeGreaterThan(delivered.size());
        for (String secret : SLACK.secrets()) {
            assertThat(rows).noneMatch(row -> row.contains(secret));
        }
    }
}
