package io.vigil.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vigil.cli.ReplayCommand;
import io.vigil.delivery.AlertDelivery;
import io.vigil.delivery.AwsTestCredentials;
import io.vigil.delivery.RetryPolicy;
import io.vigil.delivery.SlackChannel;
import io.vigil.delivery.SlackRoute;
import io.vigil.delivery.SlackWebhookExtension;
import io.vigil.delivery.SnsChannel;
import io.vigil.delivery.SnsStubExtension;
import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.HadoopCatalogExtension;
import io.vigil.iceberg.IcebergTables;
import io.vigil.iceberg.VigilTables;
import io.vigil.rules.RulesFile;
import io.vigil.rules.Silence;
import io.vigil.source.InputSpec;
import io.vigil.testing.IncidentScenario;
import io.vigil.testing.PacedInputs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault test of a lost TaskManager: six hours of scripted incidents replayed with the default
 * rules into the curated tables and delivered to Slack and SNS stand-ins, on two TaskManagers of one
 * slot each. After a checkpoint has committed rows, TaskManager 0 is terminated (its replacement
 * started, as a cluster manager would); the job must restart once from the last checkpoint and
 * finish with every input row in every table exactly once, exactly the scripted alerts, and every
 * alert state change delivered at least once under the alert_id the tables hold.
 */
class TaskManagerLossITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(2).setNumberSlotsPerTaskManager(1)
                    .setConfiguration(PacedInputs.smallFetches(new Configuration())).build());

    @RegisterExtension
    static final SlackWebhookExtension SLACK = new SlackWebhookExtension();

    @RegisterExtension
    static final SnsStubExtension SNS = new SnsStubExtension();

    @RegisterExtension
    static final AwsTestCredentials CREDENTIALS = new AwsTestCredentials();

    @RegisterExtension
    final HadoopCatalogExtension warehouse = new HadoopCatalogExtension();

    @TempDir Path dir;

    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:vigil-alerts";
    private static final DateTimeFormatter REES46 = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'");
    private static final long MIN = 60_000;
    private final ObjectMapper json = new ObjectMapper();

    /** TaskManagers alive now, by their index in the cluster (a terminated one keeps its index). */
    private static final List<Integer> LIVE = new ArrayList<>(List.of(0, 1));
    private static int started = 2;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aTaskManagerLostMidReplayRepeatsAndLosesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        replayLosingTaskManagers(cluster, 1, new Random(1));
    }

    /** The issue's fault run: 20 losses at random points of one replay (seeded, printed). */
    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    void twentyTaskManagersLostAtRandomPointsOfOneReplayLoseNothing(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        long seed = System.nanoTime();
        System.out.println("measured: 20 TaskManager losses, seed " + seed);
        replayLosingTaskManagers(cluster, 20, new Random(seed));
    }

    private void replayLosingTaskManagers(MiniCluster cluster, int losses, Random random) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        List<InputSpec> specs = new ArrayList<>();
        // read at a pace until the loss, so the first checkpoints complete while every source is still reading
        PacedInputs.Pace pace = PacedInputs.pace(Duration.ofMillis(8));
        for (String arg : new IncidentScenario(in, true, 6).write()) {
            specs.add(PacedInputs.file(arg, pace));
        }
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, losses + 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                IcebergTables.forBoundedInputs(conf)); // a replay: every input ends
        env.setParallelism(2); // one slot on each TaskManager: losing either fails running tasks
        env.enableCheckpointing(1000);
        SlackWebhookExtension.Webhook hook = SLACK.webhook("oncall");
        AlertDelivery delivery = AlertDelivery.to(
                        SlackChannel.routes(SlackRoute.named("oncall", hook.ref())).minInterval(Duration.ofMillis(20)),
                        SnsChannel.topic(TOPIC).endpointOverride(SNS.endpoint()).requestTimeout(Duration.ofSeconds(5)))
                .retry(RetryPolicy.defaults().backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).slowRetry(Duration.ofSeconds(1)));
        ReplayCommand.build(env, specs, dir.resolve("out"), RulesFile.load(Paths.get("../conf/rules.yaml")), new Silence[0],
                IcebergTables.in(warehouse.config()), delivery);

        long t0 = System.nanoTime();
        JobClient job = env.executeAsync("task-manager-loss-it");
        JobID id = job.getJobID();
        // mid-stream: a checkpoint has completed and committed rows, and the job is still running
        long committedAtLoss;
        long completedAtLoss;
        while (true) {
            AccessExecutionGraph g = cluster.getExecutionGraph(id).get();
            assertThat(g.getState().isGloballyTerminalState()).as("the job ended before a TaskManager was lost").isFalse();
            CheckpointStatsSnapshot cp = g.getCheckpointStatsSnapshot();
            completedAtLoss = cp == null ? 0 : cp.getCounts().getNumberOfCompletedCheckpoints();
            committedAtLoss = committedRows(VigilTables.AUTH_EVENTS);
            if (g.getState() == JobStatus.RUNNING && completedAtLoss >= 1 && committedAtLoss > 0) {
                break;
            }
            Thread.sleep(50);
        }
        long lostAtMs = (System.nanoTime() - t0) / 1_000_000;
        loseATaskManager(cluster, random);
        for (int i = 1; i < losses; i++) {
            // the next loss at a random point once the job runs again
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (cluster.getExecutionGraph(id).get().getState() != JobStatus.RUNNING
                    || !allTasksRunning(cluster.getExecutionGraph(id).get(), i)) {
                assertThat(System.nanoTime()).as("the job runs again after loss " + i).isLessThan(deadline);
                Thread.sleep(20);
            }
            Thread.sleep(random.nextInt(1500));
            assertThat(cluster.getExecutionGraph(id).get().getState().isGloballyTerminalState())
                    .as("the job ended before loss " + (i + 1)).isFalse();
            loseATaskManager(cluster, random);
        }
        pace.stop(); // the rest at full speed: the pace only served to catch the job mid-stream
        job.getJobExecutionResult().get(200, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;

        // restarted once per loss: every task is on attempt number `losses`
        List<Integer> attempts = new ArrayList<>();
        for (AccessExecutionVertex v : cluster.getArchivedExecutionGraph(id).get().getAllExecutionVertices()) {
            attempts.add(v.getCurrentExecutionAttempt().getAttemptNumber());
        }
        assertThat(attempts).as("attempt of every task").isNotEmpty().containsOnly(losses);

        // every curated table: each input row exactly once
        Input input = new Input(in);
        assertThat(committedAtLoss).as("auth rows committed when the TaskManager was lost: mid-stream")
                .isLessThan(input.auth.size());
        assertThat(keys(VigilTables.AUTH_EVENTS, r -> at(r, "event_time") + " " + r.getField("source_user") + " "
                + r.getField("source_computer") + " " + r.getField("destination_computer") + " " + r.getField("success")))
                .containsExactlyInAnyOrderElementsOf(input.auth);
        assertThat(keys(VigilTables.COMMERCE_EVENTS, r -> at(r, "event_time") + " " + r.getField("event_type") + " "
                + r.getField("product_id") + " " + r.getField("user_id") + " " + r.getField("user_session")))
                .containsExactlyInAnyOrderElementsOf(input.commerce);
        assertThat(keys(VigilTables.METRIC_SAMPLES, r -> at(r, "event_time") + " " + r.getField("name") + " " + r.getField("value")))
                .containsExactlyInAnyOrderElementsOf(input.metrics);
        assertThat(keys(VigilTables.PIPELINE_RUNS, r -> r.getField("job_name") + " " + r.getField("run_id") + " "
                + r.getField("status") + " " + at(r, "ended_at"))).containsExactlyInAnyOrderElementsOf(input.finishedRuns);
        assertThat(keys(VigilTables.DATASET_UPDATES, r -> r.getField("dataset_namespace") + "/" + r.getField("dataset_name")
                + " " + r.getField("run_id") + " " + at(r, "updated_at"))).containsExactlyInAnyOrderElementsOf(input.updates);
        assertThat(keys(VigilTables.DEAD_LETTER, r -> r.getField("source") + " " + r.getField("origin") + " " + r.getField("payload")))
                .containsExactlyInAnyOrderElementsOf(input.deadLetters);
        // windowed and derived tables: one row per natural key, the windows the input spans, every record counted once
        List<Record> features = warehouse.rows(VigilTables.AUTH_USER_FEATURES);
        assertThat(keys(features, r -> at(r, "window_start") + " " + r.getField("source_user") + "@" + r.getField("source_domain")))
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(input.userWindows);
        assertThat(features.stream().mapToLong(r -> (Long) r.getField("auth_events")).sum()).isEqualTo(input.auth.size());
        List<Record> minutes = warehouse.rows(VigilTables.COMMERCE_METRICS);
        assertThat(keys(minutes, r -> at(r, "window_start") + " " + r.getField("source")))
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(input.shopMinutes);
        assertThat(minutes.stream().mapToLong(r -> (Long) r.getField("valid_events")).sum()).isEqualTo(input.commerce.size());
        assertThat(minutes.stream().mapToLong(r -> (Long) r.getField("invalid_events")).sum())
                .isEqualTo(input.deadLetters.stream().filter(d -> d.startsWith("shop ")).count());
        List<Record> dq = warehouse.rows(VigilTables.DQ_RESULTS);
        assertThat(keys(dq, r -> r.getField("subject_type") + " " + r.getField("subject") + " " + r.getField("check_name") + " "
                + r.getField("column_name") + " " + at(r, "window_start") + " " + r.getField("run_id")))
                .doesNotHaveDuplicates();
        assertThat(keys(dq.stream().filter(r -> r.getField("subject_type").equals("source")).collect(Collectors.toList()),
                r -> r.getField("subject") + " " + at(r, "window_start"))).containsExactlyInAnyOrderElementsOf(input.sourceWindows);
        assertThat(dq.stream().filter(r -> r.getField("subject_type").equals("dataset")).count()).isEqualTo(input.assertions);

        // alerts: exactly the scripted ones, once each
        List<Record> alerts = warehouse.rows(VigilTables.ALERTS);
        assertThat(keys(alerts, TaskManagerLossITCase::shown)).containsExactlyInAnyOrderElementsOf(IncidentScenario.EXPECTED);

        // delivery, at least once: every state change reached Slack and SNS under the table's alert_id
        Set<String> wantSlack = new TreeSet<>();
        Set<String> wantSns = new TreeSet<>();
        Set<String> wantDelivered = new TreeSet<>();
        for (Record a : alerts) {
            String idState = a.getField("alert_id") + " " + a.getField("state");
            wantSlack.add(idState);
            wantSns.add(idState + " " + a.getField("severity") + " " + at(a, "event_time"));
            wantDelivered.add("oncall " + idState + " " + a.getField("emitted_at"));
            wantDelivered.add(TOPIC + " " + idState + " " + a.getField("emitted_at"));
        }
        List<LoggedRequest> slackRequests = hook.requests();
        Set<String> slackGot = hook.alertStates();
        // a newer state change supersedes a pending older one: the newest of each alert arrives
        assertThat(wantSlack).as("Slack: nothing else").containsAll(slackGot);
        assertThat(slackGot).as("Slack").containsAll(io.vigil.testing.NewestStates.ofIdStates(wantSlack));
        List<Map<String, String>> publishes = SNS.publishes();
        Set<String> snsGot = new TreeSet<>();
        for (Map<String, String> p : publishes) {
            JsonNode a = json.readTree(SnsStubExtension.alertJson(p));
            assertThat(p.get("TopicArn")).isEqualTo(TOPIC);
            snsGot.add(a.get("alert_id").asText() + " " + a.get("state").asText() + " " + a.get("severity").asText() + " "
                    + Instant.parse(a.get("event_time").asText()).toEpochMilli());
        }
        assertThat(wantSns).as("SNS: nothing else").containsAll(snsGot);
        assertThat(snsGot).as("SNS").containsAll(io.vigil.testing.NewestStates.of(wantSns, e -> e.split(" ")[0],
                java.util.Comparator.comparingLong(e -> Long.parseLong(e.substring(e.lastIndexOf(' ') + 1)))));
        Set<String> delivered = new HashSet<>();
        for (Record r : warehouse.rows(VigilTables.ALERT_DELIVERIES)) {
            if ("delivered".equals(r.getField("status")) || "superseded".equals(r.getField("status"))) {
                delivered.add(r.getField("route") + " " + r.getField("alert_id") + " " + r.getField("state") + " "
                        + r.getField("alert_emitted_at"));
            }
        }
        assertThat(delivered).as("alert_deliveries: delivered or superseded").containsAll(wantDelivered);
        System.out.println("measured: TaskManager lost at " + lostAtMs + " ms after " + completedAtLoss + " checkpoint(s), "
                + committedAtLoss + "/" + input.auth.size() + " auth rows committed; job " + tookMs + " ms; " + alerts.size()
                + " alert events, " + slackRequests.size() + " Slack and " + publishes.size() + " SNS requests ("
                + (slackRequests.size() - wantSlack.size() - countEscalations(alerts)) + " / " + (publishes.size() - wantSns.size())
                + " repeated)");
    }

    /** Terminates a live TaskManager and starts its replacement, as a cluster manager would. */
    private static void loseATaskManager(MiniCluster cluster, Random random) throws Exception {
        int index = LIVE.remove(random.nextInt(LIVE.size()));
        cluster.terminateTaskManager(index).get();
        cluster.startTaskManager();
        LIVE.add(started++);
    }

    /** Every task restarted after the {@code attempt}-th loss and running (or done). */
    private static boolean allTasksRunning(AccessExecutionGraph g, int attempt) {
        for (AccessExecutionVertex v : g.getAllExecutionVertices()) {
            if (v.getCurrentExecutionAttempt().getAttemptNumber() != attempt) {
                return false;
            }
            if (v.getExecutionState() != org.apache.flink.runtime.execution.ExecutionState.RUNNING
                    && v.getExecutionState() != org.apache.flink.runtime.execution.ExecutionState.FINISHED) {
                return false;
            }
        }
        return true;
    }

    /** Firing events beyond the first per alert (escalations) map onto one Slack (id, state) key. */
    private static long countEscalations(List<Record> alerts) {
        Set<String> seen = new HashSet<>();
        return alerts.stream().filter(a -> !seen.add(a.getField("alert_id") + " " + a.getField("state"))).count();
    }

    /** The rows of the table's current snapshot, per its summary (cheap enough to poll). */
    private long committedRows(CuratedTable t) {
        Snapshot s = warehouse.table(t).currentSnapshot();
        return s == null ? 0 : Long.parseLong(s.summary().getOrDefault("total-records", "0"));
    }

    private List<String> keys(CuratedTable t, Function<Record, String> key) {
        return keys(warehouse.rows(t), key);
    }

    private static List<String> keys(List<Record> rows, Function<Record, String> key) {
        List<String> out = new ArrayList<>();
        for (Record r : rows) {
            out.add(key.apply(r));
        }
        return out;
    }

    /** An instant column as epoch milliseconds. */
    static long at(Record r, String column) {
        return ((LocalDateTime) r.getField(column)).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** An alert row as {@link IncidentScenario#EXPECTED} lists it. */
    static String shown(Record a) {
        long s = (at(a, "event_time") - IncidentScenario.T0.toEpochMilli()) / 1000;
        return String.format("%02d:%02d:%02d %s %s %s %s", s / 3600, s / 60 % 60, s % 60, a.getField("rule_id"),
                a.getField("state"), a.getField("severity"), a.getField("entity"));
    }

    /** What the scenario's files hold, in the key forms the tests compare rows by. */
    private final class Input {
        final List<String> auth = new ArrayList<>();
        final List<String> commerce = new ArrayList<>();
        final List<String> metrics = new ArrayList<>();
        final List<String> finishedRuns = new ArrayList<>();
        final List<String> updates = new ArrayList<>();
        final List<String> deadLetters = new ArrayList<>();
        final Set<String> userWindows = new TreeSet<>();
        final Set<String> shopMinutes = new TreeSet<>();
        final Set<String> sourceWindows = new TreeSet<>();
        long assertions;

        Input(Path in) throws Exception {
            List<String> lines = Files.readAllLines(in.resolve("auth.txt"), StandardCharsets.UTF_8);
            long last = 0;
            for (int i = 0; i < lines.size(); i++) {
                String[] c = lines.get(i).split(",");
                if (c.length != 9) { // the broken collector's line: counts at the source's latest time
                    deadLetters.add("auth auth.txt:" + (i + 1) + " " + lines.get(i));
                    sourceWindows.add("auth " + window(last, 5));
                    continue;
                }
                last = Long.parseLong(c[0]) * 1000;
                String[] user = c[1].split("@");
                auth.add(last + " " + user[0] + " " + c[3] + " " + c[4] + " " + c[8].equals("Success"));
                userWindows.add(window(last, 5) + " " + c[1]);
                sourceWindows.add("auth " + window(last, 5));
            }
            lines = Files.readAllLines(in.resolve("shop.csv"), StandardCharsets.UTF_8);
            for (int i = 1; i < lines.size(); i++) { // after the header
                String[] c = lines.get(i).split(",", -1);
                long t = LocalDateTime.parse(c[0], REES46).toInstant(ZoneOffset.UTC).toEpochMilli();
                if (c[1].equals("refund")) {
                    deadLetters.add("shop shop.csv:" + (i + 1) + " " + lines.get(i));
                } else {
                    commerce.add(t + " " + c[1] + " " + c[2] + " " + c[7] + " " + c[8]);
                }
                shopMinutes.add(window(t, 1) + " shop");
                sourceWindows.add("shop " + window(t, 5));
            }
            for (String line : Files.readAllLines(in.resolve("kpi.jsonl"), StandardCharsets.UTF_8)) {
                JsonNode m = json.readTree(line);
                long t = Instant.parse(m.get("time").asText()).toEpochMilli();
                metrics.add(t + " " + m.get("name").asText() + " " + m.get("value").asDouble());
                sourceWindows.add("kpi " + window(t, 5));
            }
            for (String line : Files.readAllLines(in.resolve("lineage.jsonl"), StandardCharsets.UTF_8)) {
                JsonNode e = json.readTree(line);
                String type = e.get("eventType").asText();
                long t = Instant.parse(e.get("eventTime").asText()).toEpochMilli();
                String run = e.get("run").get("runId").asText();
                sourceWindows.add("lineage " + window(t, 5));
                if (type.equals("COMPLETE") || type.equals("FAIL") || type.equals("ABORT")) {
                    finishedRuns.add(e.get("job").get("name").asText() + " " + run + " " + type + " " + t);
                }
                if (type.equals("COMPLETE")) {
                    for (JsonNode o : e.path("outputs")) {
                        updates.add(o.get("namespace").asText() + "/" + o.get("name").asText() + " " + run + " " + t);
                    }
                }
                for (JsonNode i : e.path("inputs")) {
                    assertions += i.path("inputFacets").path("dataQualityAssertions").path("assertions").size();
                }
            }
        }

        private long window(long t, long minutes) {
            return t - Math.floorMod(t, minutes * MIN);
        }
    }
}
