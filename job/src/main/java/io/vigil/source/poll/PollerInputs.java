package io.vigil.source.poll;

import io.vigil.config.InputConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the polling source of a configured poller input (prometheus, cloudwatch, cloud-monitoring, databricks-events). */
public final class PollerInputs {
    private PollerInputs() {}

    public static PollingSource source(InputConfig in) {
        InputConfig.Poll p = in.poll;
        List<Poller> pollers = new ArrayList<>();
        switch (in.type) {
            case PROMETHEUS:
                for (Map.Entry<String, String> q : p.queries.entrySet()) {
                    pollers.add(new PrometheusRangeQuery(q.getKey(), q.getValue(), p.url, p.timeout));
                }
                for (String u : p.scrapeUrls) {
                    pollers.add(new PrometheusScrape(u, p.timeout));
                }
                break;
            case CLOUDWATCH:
                for (Map.Entry<String, String> q : p.queries.entrySet()) {
                    pollers.add(new CloudWatchGetMetricData(CloudWatchQuery.parse(q.getKey(), q.getValue()), p.region,
                            p.endpoint, p.timeout));
                }
                break;
            case CLOUD_MONITORING:
                for (Map.Entry<String, String> q : p.queries.entrySet()) {
                    pollers.add(new CloudMonitoringTimeSeries(q.getKey(), q.getValue(), p.project, p.aligner,
                            p.credentials, p.endpoint != null ? p.endpoint : "https://monitoring.googleapis.com", p.timeout));
                }
                break;
            case DATABRICKS_EVENTS:
                io.vigil.source.TaskSecret token = io.vigil.source.TaskSecret.of(p.token, p.secretsManagerEndpoint);
                for (String cluster : p.clusters) {
                    pollers.add(new DatabricksClusterEvents(cluster, p.url, token, p.pageSize, p.timeout));
                }
                break;
            default:
                throw new IllegalArgumentException("not a poller input: " + in.type);
        }
        return new PollingSource(in.name, pollers, schedule(p));
    }

    static PollSchedule schedule(InputConfig.Poll p) {
        return new PollSchedule(p.step, p.delay, p.lookback, p.maxPeriods, p.retryAttempts, p.retryBackoff,
                p.retryMaxBackoff);
    }
}
