package io.vigil.rules;

/** Which side of a threshold is bad. */
public enum Direction {
    ABOVE,
    BELOW;

    /** True when {@code value} is past {@code threshold} on the bad side. */
    public boolean breaches(double value, double threshold) {
        return this == ABOVE ? value > threshold : value < threshold;
    }
}
