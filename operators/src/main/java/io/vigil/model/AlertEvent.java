package io.vigil.model;

/**
 * One alert state change: the contract that sinks, tables and users see. Times are epoch ms here
 * and ISO-8601 UTC on the wire; {@code endsAt} is set on resolved events only.
 */
public class AlertEvent {
    /** Stable hash of rule id and entity: the same alert across restarts and re-notifications. */
    public String alertId;
    public String ruleId;
    public Severity severity;
    public AlertState state;
    /** What is wrong, readable and with its identifiers: {@code dataset s3://lake/silver/orders}. */
    public String entity;
    /** One sentence with value and threshold. */
    public String summary;
    public double value;
    /** The threshold of {@code severity}; NaN for rules without a numeric one. */
    public double threshold;
    /** The event time at which the state changed. */
    public long eventTime;
    public long startsAt;
    /** Resolved only; 0 while firing. */
    public long endsAt;
    public Label[] labels = new Label[0];
    public String runbookUrl;
    /** Processing time of emission. */
    public long emittedAt;
    /**
     * The escalation level the alert has reached (an escalation policy's level name, also its
     * {@code escalation_level} label); null when no policy applies.
     */
    public String escalationLevel;

    public AlertEvent() {}
}
