package io.vigil.testing;

import io.vigil.metrics.VigilMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter for tests that keeps every metric registered under Vigil's exported
 * group ({@link VigilMetrics#ROOT}), as CloudWatch would see it: the name plus the key-value
 * dimensions (source, reason, rule). The metric objects are kept, so values stay readable after
 * the job ends.
 */
public class VigilMetricsReporter implements MetricReporter {
    private static final Map<String, List<Metric>> METRICS = new ConcurrentHashMap<>();

    /** Adds this reporter to a MiniCluster's configuration. */
    public static Configuration install(Configuration conf) {
        conf.setString("metrics.reporter.vigil-test.factory.class", Factory.class.getName());
        return conf;
    }

    public static void clear() {
        METRICS.clear();
    }

    /** Sum of the counters (every subtask) of {@code name} with exactly these dimensions ("" for none). */
    public static long count(String name, String dimensions) {
        long n = 0;
        for (Metric m : METRICS.getOrDefault(name + dimensions, List.of())) {
            n += ((Counter) m).getCount();
        }
        return n;
    }

    /** The current values of the gauges (one per subtask) of {@code name} without dimensions. */
    public static List<Object> gauges(String name) {
        List<Object> out = new ArrayList<>();
        for (Metric m : METRICS.getOrDefault(name, List.of())) {
            out.add(((Gauge<?>) m).getValue());
        }
        return out;
    }

    /** Every exported metric as name{dimensions}, for messages. */
    public static java.util.Set<String> names() {
        return new java.util.TreeSet<>(METRICS.keySet());
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (!java.util.Arrays.asList(group.getScopeComponents()).contains(VigilMetrics.ROOT)) {
            return;
        }
        Map<String, String> dims = new TreeMap<>();
        for (Map.Entry<String, String> v : group.getAllVariables().entrySet()) {
            String k = v.getKey().replaceAll("[<>]", "");
            if (k.equals("source") || k.equals("reason") || k.equals("rule")) {
                dims.put(k, v.getValue());
            }
        }
        METRICS.computeIfAbsent(name + (dims.isEmpty() ? "" : dims.toString()), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // kept: tests read the final values after the job has ended
    }

    /** Lets Flink create the reporter. */
    public static class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new VigilMetricsReporter();
        }
    }
}
