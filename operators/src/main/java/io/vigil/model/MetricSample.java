package io.vigil.model;

/** A named numeric sample with labels, e.g. a portfolio KPI. */
public class MetricSample {
    public String name;
    public double value;
    /** Epoch milliseconds. */
    public long time;
    /** Sorted by key; empty when the sample has none. */
    public Label[] labels = new Label[0];

    public MetricSample() {}

    /** The value of a label, or null. */
    public String label(String key) {
        for (Label l : labels) {
            if (l.key.equals(key)) {
                return l.value;
            }
        }
        return null;
    }
}
