package io.vigil.model;

/** The OpenLineage static lineage events (spec 2-0-x): metadata without a run. */
public enum LineageEventKind {
    /** {@code DatasetEvent}: one dataset and its facets. */
    DATASET,
    /** {@code JobEvent}: a job and the datasets it reads and writes. */
    JOB
}
