package io.vigil.source.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.VigilConfig;
import io.vigil.model.Envelope;
import io.vigil.testing.CollectingSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code type: cloud-monitoring} input against the timeSeries.list stand-in, authenticated by
 * google-auth with a service-account key file: two subscriptions' backlog arrive once per 1 s
 * period each, across pages (one series a page), a 503, a 429 and a stop-with-savepoint and restore
 * with periods missed while stopped.
 */
@Timeout(180)
class CloudMonitoringPollerITCase {
    private static final long STEP = 1000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path savepoints;

    @Test
    void everyPeriodOfEverySeriesOnceAcrossPagesFaultsAndARestore() throws Exception {
        try (CloudMonitoringStandIn monitoring = new CloudMonitoringStandIn()) {
            VigilConfig config = config(monitoring, monitoring.serviceAccountKey(savepoints));
            CollectingSink<Envelope> events = new CollectingSink<>("monitoring-events");
            CollectingSink<Envelope> dead = new CollectingSink<>("monitoring-dead");

            JobClient first = PollerJobs.start(config, events, dead, null, "cloud-monitoring-poller-it");
            PollerJobs.await(() -> periods(events, "orders-dataflow").size() >= 5, "five periods polled");

            monitoring.fail(1, 503);
            monitoring.fail(1, 429);
            PollerJobs.await(() -> monitoring.pendingFaults() == 0, "the faults met");
            int before = periods(events, "orders-dataflow").size();
            PollerJobs.await(() -> periods(events, "orders-dataflow").size() >= before + 3, "polls go on after a 503 and a 429");
            assertThat(first.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
            long stoppedAt = System.currentTimeMillis();
            List<Long> beforeRestore = periods(events, "orders-dataflow");
            Thread.sleep(4 * STEP); // periods pass while no job runs
            JobClient second = PollerJobs.start(config, events, dead, savepoint, "cloud-monitoring-poller-it");
            long restoredAt = System.currentTimeMillis();
            PollerJobs.await(() -> periods(events, "clicks-dataflow").stream().anyMatch(t -> t >= restoredAt + STEP)
                    || second.getJobStatus().join().isGloballyTerminalState(), "polled past the restore");
            if (second.getJobStatus().get() != JobStatus.RUNNING) {
                second.getJobExecutionResult().get(); // throws why
            }
            second.cancel().get(30, TimeUnit.SECONDS);

            for (String subscription : CloudMonitoringStandIn.SUBSCRIPTIONS) {
                List<Long> times = periods(events, subscription);
                assertThat(times).as("no period twice").doesNotHaveDuplicates();
                List<Long> sorted = new ArrayList<>(times);
                sorted.sort(null);
                for (int i = 1; i < sorted.size(); i++) {
                    assertThat(sorted.get(i) - sorted.get(i - 1)).as("%s: no period skipped after %s", subscription, sorted.get(i - 1))
                            .isEqualTo(STEP);
                }
                assertThat(times.size()).as("the periods missed while stopped were fetched")
                        .isGreaterThan(beforeRestore.size() + (int) ((restoredAt - stoppedAt) / STEP));
            }
            for (Envelope e : events.received()) {
                assertThat(e.metric.name).isEqualTo("backlog");
                assertThat(e.metric.value).as("the point of its own period").isEqualTo(e.metric.time / 1000.0);
                assertThat(e.metric.label("project_id")).isEqualTo("vigil-test");
            }
            assertThat(monitoring.faultsServed.get()).isEqualTo(2);
            assertThat(monitoring.unauthorized.get()).as("every request with the exchanged token").isZero();
            assertThat(monitoring.tokensIssued.get()).as("a token per job, reused").isBetween(1, 2);
            assertThat(monitoring.pagesFollowed.get()).isPositive();
            assertThat(monitoring.lastQuery).containsEntry("filter",
                            "metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\"")
                    .containsEntry("aggregation.alignmentPeriod", "1s").containsEntry("aggregation.perSeriesAligner", "ALIGN_MAX");
            assertThat(dead.received()).isEmpty();
            System.out.printf("cloud monitoring poller: %d samples, %d next pages, %d faults, %d tokens%n",
                    events.received().size(), monitoring.pagesFollowed.get(), monitoring.faultsServed.get(), monitoring.tokensIssued.get());
        }
    }

    private static VigilConfig config(CloudMonitoringStandIn monitoring, Path key) {
        Properties in = new Properties();
        in.setProperty("type", "cloud-monitoring");
        in.setProperty("project", "vigil-test");
        in.setProperty("credentials", key.toString());
        in.setProperty("endpoint", monitoring.url().toString());
        in.setProperty("queries", "backlog=metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\"");
        in.setProperty("aligner", "ALIGN_MAX");
        in.setProperty("step", "1s");
        in.setProperty("delay", "1s");
        in.setProperty("lookback", "4s");
        in.setProperty("retry.attempts", "4");
        in.setProperty("retry.backoff", "100ms");
        in.setProperty("retry.max-backoff", "1s");
        in.setProperty("watermark.idleness", "5s");
        Map<String, Properties> groups = new TreeMap<>();
        groups.put("input.gcp", in);
        return VigilConfig.from(groups);
    }

    /** The period times of one subscription's samples received so far. */
    private static List<Long> periods(CollectingSink<Envelope> events, String subscription) {
        return PollerJobs.periods(events, e -> subscription.equals(e.metric.label("subscription_id")));
    }
}
