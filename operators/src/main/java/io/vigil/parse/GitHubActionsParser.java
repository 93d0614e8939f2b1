package io.vigil.parse;

import static io.vigil.parse.JsonFields.optionalLong;
import static io.vigil.parse.JsonFields.optionalObject;
import static io.vigil.parse.JsonFields.optionalText;
import static io.vigil.parse.JsonFields.requiredLong;
import static io.vigil.parse.JsonFields.requiredObject;
import static io.vigil.parse.JsonFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.Envelope;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.ReasonCode;
import io.vigil.model.RunEventType;
import java.util.Iterator;
import java.util.Map;

/**
 * GitHub Actions {@code workflow_run} and {@code workflow_job} webhook payloads as pipeline runs:
 * the plain payload, {@code {"event", "payload"}}, or {@code {"headers", "body"}} with the
 * {@code X-GitHub-Event} header (docs/inputs-events.md).
 */
public class GitHubActionsParser implements RecordParser {
    static final String INTEGRATION = "GITHUB_ACTIONS";

    @Override
    public Envelope parse(String source, String text) throws InvalidRecordException {
        JsonNode root = JsonFields.parseObject(text);
        String event = null;
        JsonNode payload = root;
        if (!root.has("action") && root.has("payload")) {
            event = requiredText(root, "event", "event");
            payload = requiredObject(root, "payload", "payload");
        } else if (!root.has("action") && root.has("body")) {
            event = header(requiredObject(root, "headers", "headers"), "X-GitHub-Event");
            payload = body(root.get("body"));
        }
        if (event != null && !event.equals("workflow_run") && !event.equals("workflow_job")) {
            throw new InvalidRecordException(ReasonCode.UNKNOWN_VALUE,
                    "event: expected workflow_run or workflow_job, got " + Snippets.clip(event));
        }
        boolean isJob = event != null ? event.equals("workflow_job") : payload.has("workflow_job");
        if (event == null && !isJob && !payload.has("workflow_run")) {
            throw JsonFields.missing("workflow_run or workflow_job");
        }
        String action = requiredText(payload, "action", "action");
        String repo = requiredText(requiredObject(payload, "repository", "repository"), "full_name",
                "repository.full_name");
        PipelineRunEvent r = isJob ? job(payload, action) : run(payload, action);
        r.jobNamespace = "github:" + repo;
        r.integration = INTEGRATION;
        r.processingType = "BATCH";
        r.producer = "https://github.com/" + repo;
        return Envelope.of(source, r);
    }

    private static PipelineRunEvent run(JsonNode payload, String action) throws InvalidRecordException {
        JsonNode w = requiredObject(payload, "workflow_run", "workflow_run");
        PipelineRunEvent r = new PipelineRunEvent();
        r.jobType = "WORKFLOW";
        // the time of the change, for every action: a re-run's request moves it, created_at does not
        r.eventTime = EventTimes.parseIso("workflow_run.updated_at", requiredText(w, "updated_at", "workflow_run.updated_at"));
        try {
            long id = requiredLong(w, "id", "workflow_run.id");
            r.runId = runId(id, optionalLong(w, "run_attempt", "workflow_run.run_attempt"));
            r.jobName = workflowName(payload, w);
            switch (action) {
                case "requested":
                    r.eventType = RunEventType.START;
                    break;
                case "in_progress":
                    r.eventType = RunEventType.RUNNING;
                    break;
                case "completed":
                    String conclusion = requiredText(w, "conclusion", "workflow_run.conclusion");
                    r.eventType = ended(conclusion, "workflow_run.conclusion");
                    if (r.eventType == RunEventType.FAIL || r.eventType == RunEventType.ABORT) {
                        r.errorMessage = "workflow run " + conclusion + at(w);
                    }
                    break;
                default:
                    throw unknownAction(action, "requested, in_progress or completed");
            }
        } catch (InvalidRecordException x) {
            throw x.withTime(r.eventTime);
        }
        return r;
    }

    private static PipelineRunEvent job(JsonNode payload, String action) throws InvalidRecordException {
        JsonNode j = requiredObject(payload, "workflow_job", "workflow_job");
        PipelineRunEvent r = new PipelineRunEvent();
        r.jobType = "JOB";
        String timeField;
        switch (action) {
            case "queued":
            case "waiting":
                // waiting (for a deployment approval) is still before the job runs
                r.eventType = RunEventType.START;
                timeField = "created_at";
                break;
            case "in_progress":
                r.eventType = RunEventType.RUNNING;
                timeField = "started_at";
                break;
            case "completed":
                timeField = "completed_at";
                break;
            default:
                throw unknownAction(action, "queued, waiting, in_progress or completed");
        }
        r.eventTime = EventTimes.parseIso("workflow_job." + timeField, requiredText(j, timeField, "workflow_job." + timeField));
        try {
            long id = requiredLong(j, "id", "workflow_job.id");
            Long attempt = optionalLong(j, "run_attempt", "workflow_job.run_attempt");
            r.runId = runId(id, attempt);
            String name = requiredText(j, "name", "workflow_job.name");
            String workflow = optionalText(j, "workflow_name", "workflow_job.workflow_name");
            r.jobName = workflow == null ? name : workflow + "/" + name;
            r.parentRunId = runId(requiredLong(j, "run_id", "workflow_job.run_id"), attempt);
            r.parentJobName = workflow;
            if (action.equals("completed")) {
                String conclusion = requiredText(j, "conclusion", "workflow_job.conclusion");
                r.eventType = ended(conclusion, "workflow_job.conclusion");
                if (r.eventType == RunEventType.FAIL || r.eventType == RunEventType.ABORT) {
                    r.errorMessage = "job " + conclusion + failedStep(j) + at(j);
                }
            }
        } catch (InvalidRecordException x) {
            throw x.withTime(r.eventTime);
        }
        return r;
    }

    /** A run and its re-runs share an id; the attempt tells them apart (attempt 1 when absent). */
    static String runId(long id, Long attempt) {
        return id + "-" + (attempt == null ? 1 : attempt);
    }

    /** The workflow's name; the run's own is empty in some payloads, then the workflow object's or file's. */
    private static String workflowName(JsonNode payload, JsonNode w) throws InvalidRecordException {
        String name = optionalText(w, "name", "workflow_run.name");
        if (name == null) {
            JsonNode workflow = optionalObject(payload, "workflow", "workflow");
            if (workflow != null) {
                name = optionalText(workflow, "name", "workflow.name");
            }
        }
        if (name == null) {
            name = optionalText(w, "path", "workflow_run.path");
        }
        if (name == null) {
            throw JsonFields.missing("workflow_run.name");
        }
        return name;
    }

    /** The run state a conclusion ends in; action_required has not ended: OTHER. */
    static RunEventType ended(String conclusion, String path) throws InvalidRecordException {
        switch (conclusion) {
            case "success":
            case "neutral":
                return RunEventType.COMPLETE;
            case "failure":
            case "timed_out":
            case "startup_failure":
                return RunEventType.FAIL;
            case "cancelled":
            case "skipped":
            case "stale":
                return RunEventType.ABORT;
            case "action_required":
                return RunEventType.OTHER;
            default:
                throw new InvalidRecordException(ReasonCode.UNKNOWN_VALUE, path + ": expected success, neutral, failure, "
                        + "timed_out, startup_failure, cancelled, skipped, stale or action_required, got " + Snippets.clip(conclusion));
        }
    }

    private static String failedStep(JsonNode j) {
        JsonNode steps = j.get("steps");
        if (steps != null && steps.isArray()) {
            for (JsonNode s : steps) {
                if ("failure".equals(s.path("conclusion").asText(null)) && s.path("name").isTextual()) {
                    return " at step '" + Snippets.clip(s.get("name").textValue()) + "'";
                }
            }
        }
        return "";
    }

    private static String at(JsonNode o) {
        JsonNode url = o.get("html_url");
        return url != null && url.isTextual() ? ": " + url.textValue() : "";
    }

    private static InvalidRecordException unknownAction(String action, String expected) {
        return new InvalidRecordException(ReasonCode.UNKNOWN_VALUE,
                "action: expected " + expected + ", got " + Snippets.clip(action));
    }

    /** A header by name, case-insensitively as HTTP has it; a list value takes its first element. */
    private static String header(JsonNode headers, String name) throws InvalidRecordException {
        Iterator<Map.Entry<String, JsonNode>> it = headers.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> h = it.next();
            if (h.getKey().equalsIgnoreCase(name)) {
                JsonNode v = h.getValue();
                if (v.isArray() && v.size() > 0) {
                    v = v.get(0);
                }
                if (!v.isTextual() || v.textValue().isEmpty()) {
                    throw JsonFields.badType("headers." + name, "a string", v);
                }
                return v.textValue();
            }
        }
        throw JsonFields.missing("headers." + name);
    }

    /** The body as an object, or as the JSON text the receiver kept verbatim (for signature checks). */
    private static JsonNode body(JsonNode body) throws InvalidRecordException {
        if (body != null && body.isObject()) {
            return body;
        }
        if (body != null && body.isTextual()) {
            return JsonFields.parseObject(body.textValue());
        }
        if (JsonFields.absent(body)) {
            throw JsonFields.missing("body");
        }
        throw JsonFields.badType("body", "an object or JSON text", body);
    }
}
