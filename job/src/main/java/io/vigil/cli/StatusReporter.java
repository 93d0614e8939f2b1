package io.vigil.cli;

import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/** Feeds the parse operators' per-source counters to the {@link StatusBoard}. */
public class StatusReporter implements MetricReporter {
    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String source = sourceOf(metric, name, group);
        if (source != null) {
            StatusBoard.add(source, name, (Counter) metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        String source = sourceOf(metric, name, group);
        if (source != null) {
            StatusBoard.remove(source, name, (Counter) metric);
        }
    }

    private static String sourceOf(Metric metric, String name, MetricGroup group) {
        if (!(metric instanceof Counter)) {
            return null;
        }
        if (!name.equals(StatusBoard.READ) && !name.equals(StatusBoard.INVALID) && !name.equals(StatusBoard.LATE)) {
            return null;
        }
        Map<String, String> vars = group.getAllVariables();
        if (vars.containsKey("<reason>")) {
            return null; // per-reason breakdown: the totals suffice for the status line
        }
        return vars.get("<source>");
    }
}
