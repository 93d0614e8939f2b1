package io.vigil.cli;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Lets Flink's metric system create the {@link StatusReporter} of {@code vigil run}. */
public class StatusReporterFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new StatusReporter();
    }
}
