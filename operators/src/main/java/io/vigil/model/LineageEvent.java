package io.vigil.model;

/**
 * An OpenLineage {@code DatasetEvent} or {@code JobEvent}: lineage metadata with no run. Carried
 * on {@link Envelope#lineage} (never {@link Envelope#run}), so no run rule can judge it.
 */
public class LineageEvent {
    public LineageEventKind kind;
    /** Epoch milliseconds. */
    public long eventTime;
    public String producer;
    /** JobEvent only; null for a DatasetEvent. */
    public String jobNamespace;
    public String jobName;
    /** DatasetEvent: the one dataset. JobEvent: its inputs, then its outputs. */
    public Dataset[] datasets = new Dataset[0];
    /** JobEvent: how many of {@link #datasets} are inputs (the rest are outputs). */
    public int inputCount;

    public LineageEvent() {}
}
