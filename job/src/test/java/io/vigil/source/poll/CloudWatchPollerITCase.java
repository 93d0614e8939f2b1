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
 * A {@code type: cloudwatch} input against the GetMetricData stand-in: a metric's datapoints
 * arrive once per 1 s period, each period once, across pages (3 datapoints a page), throttling
 * (400 Throttling), a 500, and a stop-with-savepoint and restore with periods missed while stopped.
 */
@Timeout(180)
class CloudWatchPollerITCase {
    private static final long STEP = 1000;

    @RegisterExtension
    static final io.vigil.delivery.AwsTestCredentials CREDENTIALS = new io.vigil.delivery.AwsTestCredentials();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path savepoints;

    @Test
    void everyPeriodOnceAcrossPagesThrottlingAndARestore() throws Exception {
        try (CloudWatchStandIn cloudwatch = new CloudWatchStandIn(3)) {
            VigilConfig config = config(cloudwatch);
            CollectingSink<Envelope> events = new CollectingSink<>("cloudwatch-events");
            CollectingSink<Envelope> dead = new CollectingSink<>("cloudwatch-dead");

            JobClient first = PollerJobs.start(config, events, dead, null, "cloudwatch-poller-it");
            PollerJobs.await(() -> periods(events).size() >= 8, "eight periods polled");
            assertThat(cloudwatch.pagesFollowed.get()).as("the 6 s looked back came in pages of 3").isPositive();

            cloudwatch.throttle(2);
            cloudwatch.fail(1);
            PollerJobs.await(() -> cloudwatch.pendingFaults() == 0, "the faults met");
            int before = periods(events).size();
            PollerJobs.await(() -> periods(events).size() >= before + 3, "polls go on after throttling and a 500");
            assertThat(first.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
            long stoppedAt = System.currentTimeMillis();
            List<Long> beforeRestore = periods(events);
            int pagesBefore = cloudwatch.pagesFollowed.get();
            Thread.sleep(5 * STEP); // periods pass while no job runs: more than a page to catch up
            JobClient second = PollerJobs.start(config, events, dead, savepoint, "cloudwatch-poller-it");
            long restoredAt = System.currentTimeMillis();
            PollerJobs.await(() -> periods(events).stream().anyMatch(t -> t >= restoredAt + STEP)
                    || second.getJobStatus().join().isGloballyTerminalState(), "polled past the restore");
            if (second.getJobStatus().get() != JobStatus.RUNNING) {
                second.getJobExecutionResult().get(); // throws why
            }
            second.cancel().get(30, TimeUnit.SECONDS);

            List<Long> times = periods(events);
            assertThat(times).as("no period twice").doesNotHaveDuplicates();
            List<Long> sorted = new ArrayList<>(times);
            sorted.sort(null);
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i) - sorted.get(i - 1)).as("no period skipped after %s", sorted.get(i - 1)).isEqualTo(STEP);
            }
            assertThat(times.size()).as("the periods missed while stopped were fetched")
                    .isGreaterThan(beforeRestore.size() + (int) ((restoredAt - stoppedAt) / STEP));
            assertThat(cloudwatch.pagesFollowed.get()).as("catching up took pages").isGreaterThan(pagesBefore);
            for (Envelope e : events.received()) {
                assertThat(e.metric.name).isEqualTo("iterator_age");
                assertThat(e.metric.value).as("the datapoint of its own period").isEqualTo(e.metric.time / 1000.0);
                assertThat(e.metric.label("StreamName")).isEqualTo("vigil-auth");
            }
            assertThat(cloudwatch.faultsServed.get()).isEqualTo(3);
            assertThat(cloudwatch.unsigned.get()).as("every request signed").isZero();
            assertThat(cloudwatch.lastForm).containsEntry("MetricDataQueries.member.1.MetricStat.Metric.Namespace", "AWS/Kinesis")
                    .containsEntry("MetricDataQueries.member.1.MetricStat.Metric.MetricName", "GetRecords.IteratorAgeMilliseconds")
                    .containsEntry("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name", "StreamName")
                    .containsEntry("MetricDataQueries.member.1.MetricStat.Stat", "Maximum")
                    .containsEntry("MetricDataQueries.member.1.MetricStat.Period", "1");
            assertThat(dead.received()).isEmpty();
            System.out.printf("cloudwatch poller: %d periods, %d requests, %d next pages, %d faults%n",
                    times.size(), cloudwatch.requests.get(), cloudwatch.pagesFollowed.get(), cloudwatch.faultsServed.get());
        }
    }

    private static VigilConfig config(CloudWatchStandIn cloudwatch) {
        Properties in = new Properties();
        in.setProperty("type", "cloudwatch");
        in.setProperty("aws.region", "eu-west-1");
        in.setProperty("aws.endpoint", cloudwatch.url().toString());
        in.setProperty("queries", "iterator_age=AWS/Kinesis GetRecords.IteratorAgeMilliseconds Maximum StreamName=vigil-auth");
        in.setProperty("step", "1s");
        in.setProperty("delay", "1s");
        in.setProperty("lookback", "6s");
        in.setProperty("retry.attempts", "4");
        in.setProperty("retry.backoff", "100ms");
        in.setProperty("retry.max-backoff", "1s");
        in.setProperty("watermark.idleness", "5s");
        Map<String, Properties> groups = new TreeMap<>();
        groups.put("input.cw", in);
        return VigilConfig.from(groups);
    }

    /** The period times of the samples received so far. */
    private static List<Long> periods(CollectingSink<Envelope> events) {
        return PollerJobs.periods(events, e -> true);
    }
}
