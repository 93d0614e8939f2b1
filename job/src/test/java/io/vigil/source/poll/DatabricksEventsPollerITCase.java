package io.vigil.source.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.VigilJob;
import io.vigil.VigilTopology;
import io.vigil.config.VigilConfig;
import io.vigil.model.Envelope;
import io.vigil.model.RunEventType;
import io.vigil.parse.DatabricksClusterEventParser;
import io.vigil.testing.CollectingSink;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointConfigOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code type: databricks-events} input against the Clusters API stand-in, its token in Secrets
 * Manager: two clusters' events arrive once each as databricks-cluster-events records, across
 * pages of two events, a 429, a 503 and a stop-with-savepoint and restore with events recorded
 * while stopped.
 */
@Timeout(180)
class DatabricksEventsPollerITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path savepoints;

    @BeforeAll
    static void awsCredentials() {
        // Secrets Manager's client signs with the default chain; the stand-in takes any key
        System.setProperty("aws.accessKeyId", "vigil-test");
        System.setProperty("aws.secretAccessKey", "vigil-test-secret");
    }

    @AfterAll
    static void clearAwsCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void everyEventOfEveryClusterOnceAcrossPagesFaultsAndARestore() throws Exception {
        try (DatabricksStandIn databricks = new DatabricksStandIn()) {
            VigilConfig config = config(databricks);
            assertThat(serialized(PollerInputs.source(config.inputs.get(0))))
                    .as("the job graph carries the token's reference, not the token").doesNotContain(DatabricksStandIn.TOKEN)
                    .contains(DatabricksStandIn.SECRET_ARN);
            CollectingSink<Envelope> events = new CollectingSink<>("databricks-events");
            CollectingSink<Envelope> dead = new CollectingSink<>("databricks-dead");

            JobClient first = start(config, events, dead, null);
            String c0 = DatabricksStandIn.CLUSTERS.get(0);
            String c1 = DatabricksStandIn.CLUSTERS.get(1);
            await(first, () -> times(events, c0).size() >= 15, "three seconds of events");
            databricks.fail(1, 429);
            databricks.fail(1, 503);
            await(first, () -> databricks.pendingFaults() == 0, "the faults met");
            int before = times(events, c0).size();
            await(first, () -> times(events, c0).size() >= before + 10, "polls go on after a 429 and a 503");

            String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
            long stoppedAt = System.currentTimeMillis();
            int beforeRestore = times(events, c1).size();
            Thread.sleep(3000); // events are recorded while no job runs
            JobClient second = start(config, events, dead, savepoint);
            long restoredAt = System.currentTimeMillis();
            await(second, () -> times(events, c1).stream().anyMatch(t -> t >= restoredAt + 1000), "polled past the restore");
            second.cancel().get(30, TimeUnit.SECONDS);

            for (String cluster : DatabricksStandIn.CLUSTERS) {
                List<Long> times = times(events, cluster);
                assertThat(times).as("%s: no event twice", cluster).doesNotHaveDuplicates();
                List<Long> sorted = new ArrayList<>(times);
                sorted.sort(null);
                assertThat(sorted.get(0) % DatabricksStandIn.EVERY_MS).isEqualTo(DatabricksStandIn.offset(cluster));
                for (int i = 1; i < sorted.size(); i++) {
                    assertThat(sorted.get(i) - sorted.get(i - 1)).as("%s: no event skipped after %s", cluster, sorted.get(i - 1))
                            .isEqualTo(DatabricksStandIn.EVERY_MS);
                }
            }
            assertThat(times(events, c1).size()).as("the events recorded while stopped were fetched")
                    .isGreaterThan(beforeRestore + (int) ((restoredAt - stoppedAt) / DatabricksStandIn.EVERY_MS));
            int runs = 0;
            for (Envelope e : events.received()) {
                if (e.run != null) {
                    runs++;
                    assertThat(e.run.jobName).startsWith("cluster/");
                    assertThat(e.run.eventType).isIn(RunEventType.START, RunEventType.COMPLETE);
                } else {
                    assertThat(e.metric.name).isEqualTo(DatabricksClusterEventParser.EVENT_METRIC);
                    assertThat(e.metric.label("type")).isEqualTo("TERMINATING");
                    assertThat(e.metric.label("reason_code")).isEqualTo("INACTIVITY");
                }
            }
            assertThat(runs).as("RESTARTING and RUNNING are a start-up run's steps").isPositive();
            assertThat(dead.received()).isEmpty();
            assertThat(databricks.faultsServed.get()).isEqualTo(2);
            assertThat(databricks.pagesFollowed.get()).isPositive();
            assertThat(databricks.unauthorized.get()).as("every request with the token").isZero();
            assertThat(databricks.badRequests.get()).as("every request as documented").isZero();
            assertThat(databricks.secretsFetched.get()).as("the token fetched by each job's reader").isBetween(2, 4);
            System.out.printf("databricks events poller: %d events, %d next pages, %d faults, %d token fetches%n",
                    events.received().size(), databricks.pagesFollowed.get(), databricks.faultsServed.get(),
                    databricks.secretsFetched.get());
        }
    }

    private static String serialized(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    private static VigilConfig config(DatabricksStandIn databricks) {
        Properties in = new Properties();
        in.setProperty("type", "databricks-events");
        in.setProperty("url", databricks.url().toString());
        in.setProperty("clusters", String.join(",", DatabricksStandIn.CLUSTERS));
        in.setProperty("token", "secretsmanager:" + DatabricksStandIn.SECRET_ARN + "#token");
        in.setProperty("secretsmanager.endpoint", databricks.url().toString());
        in.setProperty("page.size", "2");
        in.setProperty("step", "1s");
        in.setProperty("delay", "500ms");
        in.setProperty("lookback", "2s");
        in.setProperty("retry.attempts", "4");
        in.setProperty("retry.backoff", "100ms");
        in.setProperty("retry.max-backoff", "1s");
        in.setProperty("watermark.idleness", "5s");
        Map<String, Properties> groups = new TreeMap<>();
        groups.put("input.databricks", in);
        return VigilConfig.from(groups);
    }

    private static JobClient start(VigilConfig config, CollectingSink<Envelope> events, CollectingSink<Envelope> dead,
            String savepoint) throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(SavepointConfigOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(500, CheckpointingMode.EXACTLY_ONCE);
        env.setRestartStrategy(RestartStrategies.noRestart());
        VigilTopology.on(env).input(VigilJob.input(config.inputs.get(0))).events(events).deadLetters(dead).build();
        return env.executeAsync("databricks-events-poller-it");
    }

    /** The event times of one cluster's events received so far (its runs' and its samples'). */
    private static List<Long> times(CollectingSink<Envelope> events, String cluster) {
        List<Long> out = new ArrayList<>();
        for (Envelope e : events.received()) {
            if (e.run != null ? e.run.jobName.equals("cluster/" + cluster) : cluster.equals(e.metric.label("cluster_id"))) {
                out.add(e.eventTime);
            }
        }
        return out;
    }

    private static void await(JobClient job, BooleanSupplier done, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            JobStatus s = job.getJobStatus().get();
            if (s.isGloballyTerminalState()) {
                job.getJobExecutionResult().get(); // throws why
                throw new AssertionError("job ended (" + s + ") before: " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
