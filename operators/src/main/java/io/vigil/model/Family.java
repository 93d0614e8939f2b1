package io.vigil.model;

/** The four families of events Vigil reads; rules select on them. */
public enum Family {
    PIPELINE_RUN,
    METRIC,
    AUTH,
    COMMERCE
}
