package io.vigil.rules;

import io.vigil.model.Label;
import io.vigil.model.Severity;

/**
 * One validated rule, as data: loaded from a rules file at start-up or received on the control
 * stream. Thresholds are stored in the kind's unit (milliseconds for durations, fractions for
 * ratios); a null threshold is not set.
 */
public class Rule implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public String id;
    public String description;
    public RuleKind kind;
    public RuleSelector selector = new RuleSelector();
    public Direction direction = Direction.ABOVE;
    /** A third, lowest level (an error count above the target, before its warning); null when not set. */
    public Double info;
    public Double warning;
    public Double critical;
    /** For kinds without a numeric threshold (dq_assertion failures, pattern): the severity. */
    public Severity severity;
    /** 0 when the kind has no window. */
    public long windowSizeMs;
    public long windowSlideMs;
    /** latency_quantile: 0.5, 0.95, 0.99. */
    public double quantile;
    /** How long the condition must hold before the alert fires. */
    public long forMs;
    /** How long the condition must be false before a firing alert resolves. */
    public long keepFiringForMs;
    public long repeatIntervalMs;
    /** kind baseline: the value, history and comparison; null for other kinds. */
    public BaselineSpec baseline;
    /** kind pattern: the sequence, compiled to a Flink CEP pattern at start-up. */
    public io.vigil.cep.PatternSpec pattern;
    /** An entity without input for this long is retired: its alert resolves as expired, its state is freed. */
    public long retentionMs;
    /** Entities of this rule tracked at once (split evenly over the evaluator's subtasks); beyond, counted and not tracked. */
    public int maxEntities;
    public Label[] labels = new Label[0];
    public String runbookUrl;
    /** kind count: field → value an event must have (one of a key's values, every key); {@code *} wildcards. */
    public Label[] where = new Label[0];
    /** kind schema_change: the severity of a removed, a retyped and an added field; null ignores that change. */
    public Severity schemaRemoved;
    public Severity schemaRetyped;
    public Severity schemaAdded;

    public Rule() {}

    /** The highest severity whose threshold {@code value} breaches, or null. */
    public Severity severityOf(double value) {
        if (critical != null && direction.breaches(value, critical)) {
            return Severity.CRITICAL;
        }
        if (warning != null && direction.breaches(value, warning)) {
            return Severity.WARNING;
        }
        if (info != null && direction.breaches(value, info)) {
            return Severity.INFO;
        }
        return null;
    }

    /** The threshold of a severity, or null. */
    public Double threshold(Severity s) {
        return s == Severity.CRITICAL ? critical : s == Severity.WARNING ? warning : s == Severity.INFO ? info : null;
    }
}
