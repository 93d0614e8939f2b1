package io.vigil.metrics;

import org.apache.flink.metrics.MetricGroup;

/**
 * Vigil's own metrics: where they are registered and what they are called, in one place so the
 * CloudWatch alarms and dashboard of {@code deploy/} and the code agree. Managed Flink exports to
 * CloudWatch only metrics under the group {@value #ROOT}; key-value groups below it (source,
 * reason, rule, sink) become dimensions. The same metrics show in the Flink web UI.
 */
public final class VigilMetrics {
    /** The group Managed Flink exports to CloudWatch (namespace AWS/KinesisAnalytics). */
    public static final String ROOT = "kinesisanalytics";

    /** Per source (dimension {@code source}): records read, valid, dead-lettered, late. */
    public static final String RECORDS_READ = "recordsRead";
    public static final String RECORDS_VALID = "recordsValid";
    /** Also per {@code reason} (a reason code) under the source. */
    public static final String RECORDS_INVALID = "recordsInvalid";
    public static final String RECORDS_LATE = "recordsLate";
    /** Per source: valid records whose event time had no offset and was read as UTC. */
    public static final String RECORDS_ZONELESS_TIME = "recordsZonelessTime";
    /** Per source: known facets of valid records skipped because their shape was not understood. */
    public static final String UNREADABLE_FACETS = "unreadableFacets";
    /** Per source: datasets beyond the per-event input/output cap, not read. */
    public static final String DATASETS_DROPPED = "datasetsDropped";
    /** Per source: data-quality assertions beyond the per-dataset cap, not read. */
    public static final String ASSERTIONS_DROPPED = "assertionsDropped";
    /** Per source: OpenLineage DatasetEvents and JobEvents read (valid, no run). */
    public static final String LINEAGE_EVENTS = "lineageEvents";
    /** Gauge 0..1, no dimension: share of the records a parse subtask dead-lettered in its last full minute. */
    public static final String INVALID_RECORD_RATIO = "invalidRecordRatio";
    /** Per rule (dimension {@code rule}): alerts that started firing. */
    public static final String ALERTS_FIRED = "alertsFired";
    /** Gauge, no dimension: wall-clock time minus the rule evaluator's watermark, ms (0 before the first). */
    public static final String RULE_EVALUATION_LAG_MS = "ruleEvaluationLagMs";
    /** Entities of a rule tracked by one subtask (per {@code rule}); bounded by the rule's max_entities. */
    public static final String ENTITIES_TRACKED = "entitiesTracked";
    /** Inputs of new entities not tracked because their rule reached max_entities (per {@code rule}). */
    public static final String ENTITIES_OVER_CAP = "entitiesOverCap";
    /** Entities retired after their rule's retention without input (per {@code rule}). */
    public static final String ENTITIES_EXPIRED = "entitiesExpired";
    /** Counter, no dimension: Slack/SNS attempts that did not deliver (retrying, failed, rejected). */
    public static final String DELIVERY_FAILURES = "deliveryFailures";
    /**
     * Counter, no dimension: alert deliveries given up undelivered (refused too often, too old, or
     * the pending queue full); each is recorded {@code abandoned} in alert_deliveries.
     */
    public static final String DELIVERIES_ABANDONED = "deliveriesAbandoned";
    /** Counter, no dimension: pending deliveries dropped because a newer state change of the alert was queued. */
    public static final String DELIVERIES_SUPERSEDED = "deliveriesSuperseded";
    /** Gauge, no dimension: alert deliveries not yet confirmed. */
    public static final String PENDING_DELIVERIES = "pendingDeliveries";
    /** Counter, no dimension: alert state changes whose entity or summary was capped (io.vigil.alert.AlertText). */
    public static final String ALERT_TEXTS_TRUNCATED = "alertTextsTruncated";
    /** Counter, no dimension: rotated dead-letter files deleted at the file's byte cap (vigil dead-letter.*). */
    public static final String DEAD_LETTER_FILES_DELETED = "deadLetterFilesDeleted";
    /**
     * Counter, no dimension: replay dead letters released before their source's first valid event
     * because the held ones passed 64 MiB or 10,000 (they count at the best time known then).
     */
    public static final String HELD_DEAD_LETTERS_RELEASED_EARLY = "heldDeadLettersReleasedEarly";
    /** Counter, no dimension: redelivered records dropped by an input's de-duplication. */
    public static final String DUPLICATES_DROPPED = "duplicatesDropped";

    private VigilMetrics() {}

    /** The group Vigil's metrics of an operator go in. */
    public static MetricGroup root(MetricGroup operator) {
        return operator.addGroup(ROOT);
    }
}
