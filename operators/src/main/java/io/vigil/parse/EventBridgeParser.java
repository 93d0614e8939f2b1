package io.vigil.parse;

import static io.vigil.parse.JsonFields.optionalArray;
import static io.vigil.parse.JsonFields.optionalObject;
import static io.vigil.parse.JsonFields.optionalText;
import static io.vigil.parse.JsonFields.requiredObject;
import static io.vigil.parse.JsonFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.Envelope;
import io.vigil.model.Label;
import io.vigil.model.MetricSample;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.ReasonCode;
import io.vigil.model.RunEventType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Amazon EventBridge events: the envelope, with typed readers for CodeArtifact package version
 * state changes (runs of a publication) and CloudWatch alarm state changes (a metric); every
 * other detail type becomes a generic {@code eventbridge_event} sample, CloudTrail records with
 * their API name and error code as labels (docs/inputs-events.md).
 */
public class EventBridgeParser implements RecordParser {
    static final String CODEARTIFACT = "CodeArtifact Package Version State Change";
    static final String ALARM = "CloudWatch Alarm State Change";
    /** The end of the detail types that carry a CloudTrail record. */
    static final String CLOUDTRAIL = " via CloudTrail";
    public static final String ALARM_METRIC = "cloudwatch_alarm_state";
    public static final String GENERIC_METRIC = "eventbridge_event";

    @Override
    public Envelope parse(String source, String text) throws InvalidRecordException {
        JsonNode root = JsonFields.parseObject(text);
        long time = EventTimes.parseIso("time", requiredText(root, "time", "time"));
        try {
            requiredText(root, "version", "version");
            requiredText(root, "id", "id");
            String detailType = requiredText(root, "detail-type", "detail-type");
            String from = requiredText(root, "source", "source");
            String account = requiredText(root, "account", "account");
            String region = requiredText(root, "region", "region");
            JsonNode resources = optionalArray(root, "resources", "resources");
            if (resources != null) {
                for (int i = 0; i < resources.size(); i++) {
                    if (!resources.get(i).isTextual()) {
                        throw JsonFields.badType("resources[" + i + "]", "a string", resources.get(i));
                    }
                }
            }
            JsonNode detail = requiredObject(root, "detail", "detail");
            if (from.equals("aws.codeartifact") && detailType.equals(CODEARTIFACT)) {
                return Envelope.of(source, publication(detail, time));
            }
            if (from.equals("aws.cloudwatch") && detailType.equals(ALARM)) {
                return Envelope.of(source, alarm(detail, time, account, region));
            }
            List<Label> labels = new ArrayList<>(List.of(new Label("account", account), new Label("detail_type", detailType),
                    new Label("region", region), new Label("source", from)));
            if (detailType.endsWith(CLOUDTRAIL)) {
                cloudTrail(detail, labels);
            }
            return Envelope.of(source, sample(GENERIC_METRIC, 1, time, labels.toArray(new Label[0])));
        } catch (InvalidRecordException x) {
            throw x.withTime(time);
        }
    }

    /**
     * A package version as a run of its publication: Unfinished starts it, Published completes it,
     * Disposed or a deletion aborts it; Unlisted and Archived are OTHER.
     */
    private static PipelineRunEvent publication(JsonNode d, long time) throws InvalidRecordException {
        PipelineRunEvent r = new PipelineRunEvent();
        r.eventTime = time;
        String domain = requiredText(d, "domainName", "detail.domainName");
        String repository = requiredText(d, "repositoryName", "detail.repositoryName");
        String format = requiredText(d, "packageFormat", "detail.packageFormat");
        String namespace = optionalText(d, "packageNamespace", "detail.packageNamespace");
        String name = requiredText(d, "packageName", "detail.packageName");
        r.runId = requiredText(d, "packageVersion", "detail.packageVersion");
        String state = requiredText(d, "packageVersionState", "detail.packageVersionState");
        String operation = optionalText(d, "operationType", "detail.operationType");
        if (operation != null && !operation.equals("Created") && !operation.equals("Updated")
                && !operation.equals("Deleted")) {
            throw new InvalidRecordException(ReasonCode.UNKNOWN_VALUE,
                    "detail.operationType: expected Created, Updated or Deleted, got " + Snippets.clip(operation));
        }
        switch (state) {
            case "Unfinished":
                r.eventType = RunEventType.START;
                break;
            case "Published":
                r.eventType = RunEventType.COMPLETE;
                break;
            case "Unlisted":
            case "Archived":
                r.eventType = RunEventType.OTHER;
                break;
            case "Disposed":
                r.eventType = RunEventType.ABORT;
                break;
            default:
                throw new InvalidRecordException(ReasonCode.UNKNOWN_VALUE, "detail.packageVersionState: expected "
                        + "Unfinished, Published, Unlisted, Archived or Disposed, got " + Snippets.clip(state));
        }
        if ("Deleted".equals(operation)) {
            r.eventType = RunEventType.ABORT;
        }
        if (r.eventType == RunEventType.ABORT) {
            r.errorMessage = "package version " + ("Deleted".equals(operation) ? "deleted" : "disposed");
        }
        r.jobNamespace = "codeartifact:" + domain + "/" + repository;
        r.jobName = format + "/" + (namespace == null ? "" : namespace + "/") + name;
        r.integration = "CODEARTIFACT";
        r.jobType = "PUBLICATION";
        r.processingType = "BATCH";
        r.producer = "aws.codeartifact";
        return r;
    }

    /**
     * A CloudTrail record ({@code AWS API Call via CloudTrail} and the other "via CloudTrail" detail
     * types): the API called, and the service's error when the call failed, so failed calls of one
     * service can be counted ({@code AccessDeniedException} for CodeArtifact's 403s). Both are
     * short, bounded sets of names; the caller, parameters and ids stay out of the labels.
     */
    private static void cloudTrail(JsonNode d, List<Label> labels) throws InvalidRecordException {
        labels.add(new Label("event_name", requiredText(d, "eventName", "detail.eventName")));
        String error = optionalText(d, "errorCode", "detail.errorCode");
        if (error != null) {
            labels.add(new Label("error_code", error));
        }
    }

    /** An alarm's state as 1 (ALARM) or 0 (OK, INSUFFICIENT_DATA), one series per alarm. */
    private static MetricSample alarm(JsonNode d, long time, String account, String region)
            throws InvalidRecordException {
        String alarm = requiredText(d, "alarmName", "detail.alarmName");
        String state = requiredText(requiredObject(d, "state", "detail.state"), "value", "detail.state.value");
        double value;
        switch (state) {
            case "ALARM":
                value = 1;
                break;
            case "OK":
            case "INSUFFICIENT_DATA":
                value = 0;
                break;
            default:
                throw new InvalidRecordException(ReasonCode.UNKNOWN_VALUE,
                        "detail.state.value: expected OK, ALARM or INSUFFICIENT_DATA, got " + Snippets.clip(state));
        }
        List<Label> labels = new ArrayList<>();
        labels.add(new Label("account", account));
        labels.add(new Label("alarm_name", alarm));
        labels.add(new Label("region", region));
        String metric = singleMetric(d);
        if (metric != null) {
            labels.add(new Label("metric", metric));
        }
        return sample(ALARM_METRIC, value, time, labels.toArray(new Label[0]));
    }

    /** {@code Namespace/MetricName} of an alarm on one metric; null for metric math, anomaly bands or none. */
    private static String singleMetric(JsonNode d) throws InvalidRecordException {
        JsonNode config = optionalObject(d, "configuration", "detail.configuration");
        JsonNode metrics = config == null ? null : optionalArray(config, "metrics", "detail.configuration.metrics");
        if (metrics == null || metrics.size() != 1) {
            return null;
        }
        JsonNode m = metrics.get(0).path("metricStat").path("metric");
        if (!m.path("namespace").isTextual() || !m.path("name").isTextual()) {
            return null;
        }
        return m.get("namespace").textValue() + "/" + m.get("name").textValue();
    }

    private static MetricSample sample(String name, double value, long time, Label... labels) {
        MetricSample m = new MetricSample();
        m.name = name;
        m.value = value;
        m.time = time;
        java.util.Arrays.sort(labels, Comparator.comparing((Label l) -> l.key));
        m.labels = labels;
        return m;
    }
}
