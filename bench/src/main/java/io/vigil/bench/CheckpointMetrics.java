package io.vigil.bench;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter that keeps the JobManager's checkpoint gauges of the running job
 * ({@code lastCheckpointDuration}, {@code lastCheckpointSize}, {@code lastCheckpointFullSize},
 * {@code lastCheckpointExternalPath}, {@code numberOfCompletedCheckpoints}), read on demand: the
 * scale run reads them when it holds the input. Flink finds the factory named in the
 * configuration among those listed in META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory.
 */
public final class CheckpointMetrics implements MetricReporter {
    private static final Map<String, Gauge<?>> GAUGES = new ConcurrentHashMap<>();

    /** Adds the reporter to a MiniCluster's configuration. */
    static Configuration install(Configuration conf) {
        conf.setString("metrics.reporter.bench-checkpoints.factory.class", Factory.class.getName());
        return conf;
    }

    /** The gauge's current value, or null before the job registered it. */
    static Object value(String name) {
        Gauge<?> g = GAUGES.get(name);
        return g == null ? null : g.getValue();
    }

    static long longValue(String name) {
        Object v = value(name);
        return v instanceof Number ? ((Number) v).longValue() : -1;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Gauge && (name.startsWith("lastCheckpoint") || name.equals("numberOfCompletedCheckpoints"))) {
            GAUGES.put(name, (Gauge<?>) metric); // one job per cluster: the latest registration is the job's
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}

    /** Lets Flink create the reporter. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new CheckpointMetrics();
        }
    }
}
