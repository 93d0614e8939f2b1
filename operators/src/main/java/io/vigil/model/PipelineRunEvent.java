package io.vigil.model;

/** A pipeline run state change, from an OpenLineage RunEvent (spec 2-0-2). */
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

    public PipelineRunEvent() {}

    /** {@code namespace/name}: the job identity rules key on. */
    public String jobKey() {
        return jobNamespace + "/" + jobName;
    }
}
