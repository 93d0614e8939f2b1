package io.vigil.source.poll;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One CloudWatch metric to fetch with GetMetricData: {@code NAMESPACE METRIC STAT [DIM=VALUE,...]}. */
public final class CloudWatchQuery implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String name;
    public final String namespace;
    public final String metric;
    public final String stat;
    /** Dimension name to value, in the order given. */
    public final Map<String, String> dimensions;

    private CloudWatchQuery(String name, String namespace, String metric, String stat, Map<String, String> dimensions) {
        this.name = name;
        this.namespace = namespace;
        this.metric = metric;
        this.stat = stat;
        this.dimensions = Collections.unmodifiableMap(dimensions);
    }

    /** @throws IllegalArgumentException naming what is wrong */
    public static CloudWatchQuery parse(String name, String spec) {
        String[] parts = spec.trim().split("\\s+");
        if (parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException("query " + name + ": expected NAMESPACE METRIC STAT [DIM=VALUE,...], got '" + spec + "'");
        }
        if (!parts[2].matches("SampleCount|Average|Sum|Minimum|Maximum|IQM|(p|tm|wm|tc|ts|TM|WM|TC|TS)[0-9.():%,]+")) {
            throw new IllegalArgumentException("query " + name + ": '" + parts[2] + "' is not a CloudWatch statistic "
                    + "(SampleCount, Average, Sum, Minimum, Maximum, p99, ...)");
        }
        Map<String, String> dims = new LinkedHashMap<>();
        if (parts.length == 4) {
            for (String d : parts[3].split(",")) {
                int eq = d.indexOf('=');
                if (eq < 1 || eq == d.length() - 1) {
                    throw new IllegalArgumentException("query " + name + ": dimension '" + d + "' is not NAME=VALUE");
                }
                dims.put(d.substring(0, eq), d.substring(eq + 1));
            }
            if (dims.size() > 30) {
                throw new IllegalArgumentException("query " + name + ": CloudWatch takes at most 30 dimensions");
            }
        }
        return new CloudWatchQuery(name, parts[0], parts[1], parts[2], dims);
    }
}
