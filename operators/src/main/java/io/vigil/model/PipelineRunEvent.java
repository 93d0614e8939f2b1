package io.vigil.model;

/** A pipeline run state change, from an OpenLineage RunEvent (spec 2-0-x). */
public class PipelineRunEvent {
    public RunEventType eventType;
    /** Epoch milliseconds. */
    public long eventTime;
    public String runId;
    public String jobNamespace;
    public String jobName;
    /** {@code run.facets.errorMessage.message}; null when absent. */
    public String errorMessage;
    public String producer;
    public Dataset[] inputs = new Dataset[0];
    public Dataset[] outputs = new Dataset[0];
    /** {@code run.facets.parent}: the run (and its job) this run belongs to; null when absent. */
    public String parentRunId;
    public String parentJobNamespace;
    public String parentJobName;
    /** {@code job.facets.jobType}: BATCH or STREAMING, e.g. DBT or SPARK, e.g. TEST or DAG. */
    public String processingType;
    public String integration;
    public String jobType;
    /** {@code run.facets.nominalTime}, epoch ms; null when absent. */
    public Long nominalStartTime;
    public Long nominalEndTime;

    public PipelineRunEvent() {}

    /** {@code namespace/name}: the job identity rules key on. */
    public String jobKey() {
        return jobNamespace + "/" + jobName;
    }
}
