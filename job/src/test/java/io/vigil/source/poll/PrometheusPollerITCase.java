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
 * A {@code type: prometheus} input against a real Prometheus scraping a test exporter, through a
 * fault-injecting proxy: a range query's samples arrive once per 2 s period, each period once,
 * through 503s, 429s, an outage longer than the retries, and a stop-with-savepoint and restore with
 * periods missed while stopped; the exporter's own /metrics is scraped alongside.
 */
@Timeout(180)
class PrometheusPollerITCase {
    private static final long STEP = 2000;

    @RegisterExtension
    static final PrometheusServer PROMETHEUS = new PrometheusServer();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path savepoints;

    @Test
    void everyPeriodOnceThroughFaultsAndARestore() throws Exception {
        // the exporter's gauge is the second it is scraped in: a sample's value tells which period it is from
        PROMETHEUS.gauge("vigil_test_clock_seconds", () -> System.currentTimeMillis() / 1000);
        try (FaultProxy proxy = new FaultProxy(PROMETHEUS.url())) {
            VigilConfig config = config(proxy);
            CollectingSink<Envelope> events = new CollectingSink<>("prometheus-events");
            CollectingSink<Envelope> dead = new CollectingSink<>("prometheus-dead");

            JobClient first = PollerJobs.start(config, events, dead, null, "prometheus-poller-it");
            PollerJobs.await(() -> periods(events, "clock").size() >= 3, "three periods polled");

            proxy.fail(2, 503);
            proxy.fail(1, 429);
            PollerJobs.await(() -> proxy.pendingFaults() == 0, "the faults met");
            int before = periods(events, "clock").size();
            PollerJobs.await(() -> periods(events, "clock").size() >= before + 2, "polls go on after 503 and 429");

            // more failures than one poll's 3 attempts: that poll fails, is counted, and is polled again later
            proxy.fail(8, 503);
            PollerJobs.await(() -> proxy.pendingFaults() == 0, "the outage over");
            int afterOutage = periods(events, "clock").size();
            PollerJobs.await(() -> periods(events, "clock").size() >= afterOutage + 2, "polls go on after the outage");
            assertThat(first.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
            long stoppedAt = System.currentTimeMillis();
            List<Long> beforeRestore = periods(events, "clock");
            Thread.sleep(3 * STEP); // periods pass while no job runs
            JobClient second = PollerJobs.start(config, events, dead, savepoint, "prometheus-poller-it");
            long restoredAt = System.currentTimeMillis();
            PollerJobs.await(() -> periods(events, "clock").stream().anyMatch(t -> t >= restoredAt + STEP)
                    || second.getJobStatus().join().isGloballyTerminalState(), "polled past the restore");
            if (second.getJobStatus().get() != JobStatus.RUNNING) {
                second.getJobExecutionResult().get(); // throws why
            }
            second.cancel().get(30, TimeUnit.SECONDS);

            List<Long> clock = periods(events, "clock");
            assertThat(clock).as("no period twice").doesNotHaveDuplicates();
            assertThat(clock).as("periods aligned to the step").allMatch(t -> t % STEP == 0);
            List<Long> sorted = new ArrayList<>(clock);
            sorted.sort(null);
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i) - sorted.get(i - 1)).as("no period skipped after %s", sorted.get(i - 1)).isEqualTo(STEP);
            }
            assertThat(sorted.get(0)).isLessThan(beforeRestore.stream().max(Long::compare).get());
            assertThat(clock.size()).as("the periods missed while stopped were fetched")
                    .isGreaterThan(beforeRestore.size() + (int) ((restoredAt - stoppedAt) / STEP));
            for (Envelope e : events.received()) {
                if (e.metric != null && e.metric.name.equals("clock")) {
                    // the value at t is the last scrape before t (every second): from t or up to 3 s before
                    assertThat(e.metric.value).as("sample of %d", e.metric.time)
                            .isBetween(e.metric.time / 1000 - 3.0, e.metric.time / 1000.0);
                    assertThat(e.metric.label("job")).isEqualTo("vigil-exporter");
                }
            }
            assertThat(proxy.failed.get()).isEqualTo(11);
            assertThat(dead.received()).isEmpty();

            List<Long> scraped = periods(events, "vigil_test_clock_seconds");
            assertThat(scraped).as("the exporter scraped directly, each period at most once").isNotEmpty().doesNotHaveDuplicates();
            System.out.printf("prometheus poller: %d periods of the range query, %d scrapes, %d requests failed by the proxy%n",
                    clock.size(), scraped.size(), proxy.failed.get());
        }
    }

    private static VigilConfig config(FaultProxy proxy) {
        Properties in = new Properties();
        in.setProperty("type", "prometheus");
        in.setProperty("url", proxy.url().toString());
        in.setProperty("queries", "clock=vigil_test_clock_seconds{job=\"vigil-exporter\"}");
        in.setProperty("scrape.urls", PROMETHEUS.exporterUrl().toString());
        in.setProperty("step", "2s");
        in.setProperty("delay", "2s");
        in.setProperty("lookback", "4s");
        in.setProperty("retry.attempts", "3");
        in.setProperty("retry.backoff", "100ms");
        in.setProperty("retry.max-backoff", "1s");
        in.setProperty("watermark.idleness", "5s");
        Map<String, Properties> groups = new TreeMap<>();
        groups.put("input.prom", in);
        return VigilConfig.from(groups);
    }

    /** The period times of the samples named {@code name} received so far. */
    private static List<Long> periods(CollectingSink<Envelope> events, String name) {
        return PollerJobs.periods(events, e -> e.metric.name.equals(name));
    }
}
