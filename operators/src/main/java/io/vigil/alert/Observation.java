package io.vigil.alert;

import io.vigil.model.Severity;

/**
 * What a rule saw about one entity at one event time: the measured value and the severity whose
 * threshold it breaches, or none when the condition is clear.
 */
public class Observation {
    public String ruleId;
    public String entity;
    public double value;
    /** Threshold of {@code severity}, or of the lowest configured severity when clear. */
    public double threshold;
    /** Null when the condition does not hold. */
    public Severity severity;
    public long eventTime;
    public String summary;

    public Observation() {}

    public Observation(String ruleId, String entity, double value, double threshold, Severity severity,
            long eventTime, String summary) {
        this.ruleId = ruleId;
        this.entity = entity;
        this.value = value;
        this.threshold = threshold;
        this.severity = severity;
        this.eventTime = eventTime;
        this.summary = summary;
    }

    public boolean holds() {
        return severity != null;
    }
}
