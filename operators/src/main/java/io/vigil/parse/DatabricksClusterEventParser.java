package io.vigil.parse;

import static io.vigil.parse.JsonFields.optionalArray;
import static io.vigil.parse.JsonFields.optionalObject;
import static io.vigil.parse.JsonFields.optionalText;
import static io.vigil.parse.JsonFields.requiredLong;
import static io.vigil.parse.JsonFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.Envelope;
import io.vigil.model.Label;
import io.vigil.model.MetricSample;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.ReasonCode;
import io.vigil.model.RunEventType;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Databricks Clusters API event objects, one per record: a cluster's start-up as a run
 * (CREATING/STARTING/RESTARTING → RUNNING, or a failed termination), init-script results and every
 * other event type as metric samples (docs/inputs-events.md).
 */
public class DatabricksClusterEventParser implements RecordParser {
    public static final String INIT_SCRIPTS_METRIC = "databricks_init_scripts_failed";
    public static final String EVENT_METRIC = "databricks_cluster_event";
    /** Event types grow with the API; a new one is kept generically, so only the shape is checked. */
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]*");

    @Override
    public Envelope parse(String source, String text) throws InvalidRecordException {
        JsonNode root = JsonFields.parseObject(text);
        if (root.has("events") && !root.has("cluster_id")) {
            throw new InvalidRecordException(ReasonCode.UNKNOWN_VALUE, "a clusters/events response page, not an event: "
                    + "give one event per record (jq -c '.events[]')");
        }
        long time = requiredLong(root, "timestamp", "timestamp");
        if (time < 0) {
            throw new InvalidRecordException(ReasonCode.BAD_TIMESTAMP, "timestamp: epoch milliseconds before 1970: " + time);
        }
        try {
            String cluster = requiredText(root, "cluster_id", "cluster_id");
            String type = requiredText(root, "type", "type");
            if (!TYPE.matcher(type).matches()) {
                throw new InvalidRecordException(ReasonCode.UNKNOWN_VALUE,
                        "type: expected an event type such as RUNNING, got " + Snippets.clip(type));
            }
            JsonNode details = optionalObject(root, "details", "details");
            JsonNode reason = details == null ? null : optionalObject(details, "reason", "details.reason");
            switch (type) {
                case "CREATING":
                case "STARTING":
                case "RESTARTING":
                    return Envelope.of(source, startUp(cluster, time, RunEventType.START, null));
                case "RUNNING":
                    return Envelope.of(source, startUp(cluster, time, RunEventType.COMPLETE, null));
                case "TERMINATING":
                    if (reason != null && failed(reason)) {
                        return Envelope.of(source, startUp(cluster, time, RunEventType.FAIL, describe(reason)));
                    }
                    break;
                case "INIT_SCRIPTS_FINISHED":
                    return Envelope.of(source, sample(INIT_SCRIPTS_METRIC, failedScripts(details), time,
                            new Label("cluster_id", cluster)));
                default:
                    break;
            }
            String code = reason == null ? null : optionalText(reason, "code", "details.reason.code");
            return Envelope.of(source, code == null
                    ? sample(EVENT_METRIC, 1, time, new Label("cluster_id", cluster), new Label("type", type))
                    : sample(EVENT_METRIC, 1, time, new Label("cluster_id", cluster), new Label("reason_code", code),
                            new Label("type", type)));
        } catch (InvalidRecordException x) {
            throw x.withTime(time);
        }
    }

    /** The run of one cluster's start-up: job {@code databricks/cluster/<id>}, run id the cluster id. */
    private static PipelineRunEvent startUp(String cluster, long time, RunEventType type, String error) {
        PipelineRunEvent r = new PipelineRunEvent();
        r.eventType = type;
        r.eventTime = time;
        r.jobNamespace = "databricks";
        r.jobName = "cluster/" + cluster;
        r.runId = cluster;
        r.errorMessage = error;
        r.integration = "DATABRICKS";
        r.jobType = "CLUSTER_START";
        r.processingType = "BATCH";
        r.producer = "databricks-clusters-api";
        return r;
    }

    /** A termination for an error (reason type other than SUCCESS, or an init script failure). */
    private static boolean failed(JsonNode reason) throws InvalidRecordException {
        String type = optionalText(reason, "type", "details.reason.type");
        if (type != null) {
            return !type.equals("SUCCESS");
        }
        return "INIT_SCRIPT_FAILURE".equals(optionalText(reason, "code", "details.reason.code"));
    }

    private static String describe(JsonNode reason) {
        StringBuilder s = new StringBuilder("terminated: ").append(reason.path("code").asText("unknown"));
        JsonNode params = reason.get("parameters");
        if (params != null && params.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = params.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> p = it.next();
                s.append(' ').append(p.getKey()).append('=').append(p.getValue().asText());
            }
        }
        return Snippets.clip(s.toString());
    }

    /** Scripts whose status reports a failure, cluster-scoped and global. */
    private static int failedScripts(JsonNode details) throws InvalidRecordException {
        JsonNode scripts = details == null ? null : optionalObject(details, "init_scripts", "details.init_scripts");
        if (scripts == null) {
            throw JsonFields.missing("details.init_scripts");
        }
        int failed = 0;
        for (String scope : new String[] {"cluster", "global"}) {
            JsonNode list = optionalArray(scripts, scope, "details.init_scripts." + scope);
            if (list == null) {
                continue;
            }
            for (int i = 0; i < list.size(); i++) {
                String path = "details.init_scripts." + scope + "[" + i + "]";
                if (!list.get(i).isObject()) {
                    throw JsonFields.badType(path, "an object", list.get(i));
                }
                String status = requiredText(list.get(i), "status", path + ".status");
                // FAILED (older API), FAILED_EXECUTION, FAILED_FETCH, FUSE_MOUNT_FAILED
                if (status.contains("FAILED")) {
                    failed++;
                }
            }
        }
        return failed;
    }

    private static MetricSample sample(String name, double value, long time, Label... labels) {
        MetricSample m = new MetricSample();
        m.name = name;
        m.value = value;
        m.time = time;
        m.labels = labels; // given in key order
        return m;
    }
}
