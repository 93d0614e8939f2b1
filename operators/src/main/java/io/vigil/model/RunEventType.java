package io.vigil.model;

/** OpenLineage RunEvent {@code eventType} values (spec 2-0-2). */
public enum RunEventType {
    START,
    RUNNING,
    COMPLETE,
    ABORT,
    FAIL,
    OTHER
}
