package io.vigil.rules;

import java.util.Locale;

/**
 * What a rule measures, and the registry of kinds: each names the unit of its thresholds, whether
 * it needs a window, and its {@link KindJudge}, the one home of its reading, routing, state and
 * timers. A new kind is a constant here and a judge (or a judge's parameter).
 */
public enum RuleKind {
    /** Time since a dataset last appeared in the outputs of a COMPLETE run. */
    DATASET_FRESHNESS(Unit.DURATION, false, new DeadlineJudge(DeadlineJudge.Subject.DATASET)),
    /** Time since the last event of a source. */
    SOURCE_STALE(Unit.DURATION, false, new DeadlineJudge(DeadlineJudge.Subject.SOURCE)),
    /** FAIL / (COMPLETE + FAIL) of a job's runs over a sliding window. */
    FAILURE_RATE(Unit.RATIO, true, new WindowShareJudge(WindowShareJudge.Share.FAILED_RUNS)),
    /** A run's duration, judged while it runs. */
    RUN_DURATION(Unit.DURATION, false, new DeadlineJudge(DeadlineJudge.Subject.RUN)),
    /** A quantile of a job's run durations over a window. */
    LATENCY_QUANTILE(Unit.DURATION, true, new QuantileJudge()),
    /** Invalid / total records of a source over a window. */
    INVALID_RATE(Unit.RATIO, true, new WindowShareJudge(WindowShareJudge.Share.INVALID_RECORDS)),
    /** Failed OpenLineage data-quality assertions, and null rates from dataQualityMetrics. */
    DQ_ASSERTION(Unit.RATIO, false, new AssertionJudge()),
    /** Metric samples matched by name and labels, above or below a threshold. */
    METRIC_THRESHOLD(Unit.NUMBER, false, new ThresholdJudge()),
    /** Distinct values of a field per key over a window. */
    DISTINCT_COUNT(Unit.NUMBER, true, new DistinctCountJudge()),
    /** A value (metric, run duration, rows written, events per window) against its own history. */
    BASELINE(Unit.NUMBER, false, new BaselineJudge()),
    /** A sequence of events, compiled to a Flink CEP pattern. */
    PATTERN(Unit.NONE, false, new PatternJudge()),
    /** Events matching a selector per entity over a window (errors, failed runs, failed logons). */
    COUNT(Unit.NUMBER, true, new CountJudge()),
    /** Fields added, removed or retyped in a dataset's OpenLineage schema facet. */
    SCHEMA_CHANGE(Unit.NONE, false, new SchemaChangeJudge());

    /** How threshold values of a kind are written and stored. */
    public enum Unit {
        /** Written as 30s, 5m, 2h; stored in milliseconds. */
        DURATION,
        /** Written as 0.05 or 5%; stored as a fraction. */
        RATIO,
        NUMBER,
        /** No numeric threshold: the rule names its severity. */
        NONE
    }

    private final Unit unit;
    private final boolean windowed;
    private final KindJudge judge;

    RuleKind(Unit unit, boolean windowed, KindJudge judge) {
        this.unit = unit;
        this.windowed = windowed;
        this.judge = judge;
    }

    /** The kind's judge, stateless: {@link KindJudge#open} gives an operator its own. */
    KindJudge judge() {
        return judge;
    }

    /** What the kind keys its entities by. */
    public KeyFamily keyFamily() {
        return judge.keyFamily();
    }

    public Unit unit() {
        return unit;
    }

    public boolean windowed() {
        return windowed;
    }

    /** The name used in rules files: {@code dataset_freshness}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind for a rules-file name, or null. */
    public static RuleKind fromId(String id) {
        for (RuleKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        return null;
    }
}
