package io.vigil.rules;

/**
 * What a rule kind keys its entities by. Kinds of one family judge the same keys: the evaluator is
 * keyed by family and entity ({@link EntityInputs#key()}) and judges all of the family's rules
 * there. The ordinal is part of that key, kept in state: add constants at the end only.
 */
public enum KeyFamily {
    /** An input, by name: every record, valid or not. */
    SOURCE("source"),
    /** An OpenLineage dataset, by namespace/name. */
    DATASET("dataset"),
    /** An OpenLineage job, by namespace.name. */
    JOB("job"),
    /** One run of a job. */
    RUN("job"),
    /** A metric series: name and labels. */
    METRIC_SERIES("metric"),
    /** An event field's value (distinct counts, patterns). */
    FIELD(null);

    private final String prefix;

    KeyFamily(String prefix) {
        this.prefix = prefix;
    }

    /** The readable entity of a key: {@code source auth}, {@code dataset s3://lake/x}. */
    public String entity(String key) {
        return prefix == null ? key : prefix + " " + key;
    }
}
