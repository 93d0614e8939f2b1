package io.vigil.parse;

import static io.vigil.parse.JsonFields.optionalArray;
import static io.vigil.parse.JsonFields.optionalLong;
import static io.vigil.parse.JsonFields.optionalObject;
import static io.vigil.parse.JsonFields.optionalText;
import static io.vigil.parse.JsonFields.requiredBoolean;
import static io.vigil.parse.JsonFields.requiredObject;
import static io.vigil.parse.JsonFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.ColumnMetric;
import io.vigil.model.DataQualityAssertion;
import io.vigil.model.Dataset;
import io.vigil.model.Envelope;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.ReasonCode;
import io.vigil.model.RunEventType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * OpenLineage RunEvent (spec 2-0-2) JSON. Reads the fields and facets Vigil judges; unknown
 * fields and facets are ignored, but a known facet of the wrong shape is refused, since
 * silently skipping a data-quality facet would hide the very failure it reports.
 */
public class OpenLineageParser implements RecordParser {
    @Override
    public Envelope parse(String source, String text) throws InvalidRecordException {
        JsonNode root = JsonFields.parseObject(text);
        PipelineRunEvent e = new PipelineRunEvent();
        e.eventTime = EventTimes.parseIso("eventTime", requiredText(root, "eventTime", "eventTime"));
        try {
            String type = optionalText(root, "eventType", "eventType");
            e.eventType = type == null ? RunEventType.OTHER : eventType(type);
            e.producer = optionalText(root, "producer", "producer");

            JsonNode run = requiredObject(root, "run", "run");
            e.runId = requiredText(run, "runId", "run.runId");
            JsonNode runFacets = optionalObject(run, "facets", "run.facets");
            if (runFacets != null) {
                JsonNode error = optionalObject(runFacets, "errorMessage", "run.facets.errorMessage");
                if (error != null) {
                    e.errorMessage = optionalText(error, "message", "run.facets.errorMessage.message");
                }
            }

            JsonNode job = requiredObject(root, "job", "job");
            e.jobNamespace = requiredText(job, "namespace", "job.namespace");
            e.jobName = requiredText(job, "name", "job.name");

            e.inputs = datasets(root, "inputs", true);
            e.outputs = datasets(root, "outputs", false);
        } catch (InvalidRecordException x) {
            throw x.withTime(e.eventTime);
        }
        return Envelope.of(source, e);
    }

    private static RunEventType eventType(String s) throws InvalidRecordException {
        switch (s) {
            case "START":
                return RunEventType.START;
            case "RUNNING":
                return RunEventType.RUNNING;
            case "COMPLETE":
                return RunEventType.COMPLETE;
            case "ABORT":
                return RunEventType.ABORT;
            case "FAIL":
                return RunEventType.FAIL;
            case "OTHER":
                return RunEventType.OTHER;
            default:
                throw new InvalidRecordException(
                        ReasonCode.UNKNOWN_VALUE,
                        "eventType: '" + Snippets.clip(s)
                                + "' is not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER");
        }
    }

    private static Dataset[] datasets(JsonNode root, String field, boolean inputs)
            throws InvalidRecordException {
        JsonNode arr = optionalArray(root, field, field);
        if (arr == null || arr.isEmpty()) {
            return new Dataset[0];
        }
        Dataset[] out = new Dataset[arr.size()];
        for (int i = 0; i < arr.size(); i++) {
            String path = field + "[" + i + "]";
            JsonNode d = arr.get(i);
            if (!d.isObject()) {
                throw JsonFields.badType(path, "an object", d);
            }
            Dataset ds = new Dataset(
                    requiredText(d, "namespace", path + ".namespace"),
                    requiredText(d, "name", path + ".name"));
            if (inputs) {
                JsonNode facets = optionalObject(d, "inputFacets", path + ".inputFacets");
                if (facets != null) {
                    readAssertions(ds, facets, path + ".inputFacets");
                    readQualityMetrics(ds, facets, path + ".inputFacets");
                }
            } else {
                JsonNode facets = optionalObject(d, "outputFacets", path + ".outputFacets");
                if (facets != null) {
                    JsonNode stats = optionalObject(
                            facets, "outputStatistics", path + ".outputFacets.outputStatistics");
                    if (stats != null) {
                        ds.rowCount = count(
                                stats, "rowCount", path + ".outputFacets.outputStatistics.rowCount");
                    }
                }
            }
            out[i] = ds;
        }
        return out;
    }

    private static void readAssertions(Dataset ds, JsonNode facets, String path)
            throws InvalidRecordException {
        String facetPath = path + ".dataQualityAssertions";
        JsonNode facet = optionalObject(facets, "dataQualityAssertions", facetPath);
        if (facet == null) {
            return;
        }
        JsonNode list = optionalArray(facet, "assertions", facetPath + ".assertions");
        if (list == null) {
            return;
        }
        DataQualityAssertion[] out = new DataQualityAssertion[list.size()];
        for (int i = 0; i < list.size(); i++) {
            String p = facetPath + ".assertions[" + i + "]";
            JsonNode a = list.get(i);
            if (!a.isObject()) {
                throw JsonFields.badType(p, "an object", a);
            }
            out[i] = new DataQualityAssertion(
                    requiredText(a, "assertion", p + ".assertion"),
                    requiredBoolean(a, "success", p + ".success"),
                    optionalText(a, "column", p + ".column"));
        }
        ds.assertions = out;
    }

    private static void readQualityMetrics(Dataset ds, JsonNode facets, String path)
            throws InvalidRecordException {
        String facetPath = path + ".dataQualityMetrics";
        JsonNode facet = optionalObject(facets, "dataQualityMetrics", facetPath);
        if (facet == null) {
            return;
        }
        ds.rowCount = count(facet, "rowCount", facetPath + ".rowCount");
        JsonNode columns = optionalObject(facet, "columnMetrics", facetPath + ".columnMetrics");
        if (columns == null) {
            return;
        }
        List<ColumnMetric> out = new ArrayList<>(columns.size());
        Iterator<Map.Entry<String, JsonNode>> it = columns.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> col = it.next();
            String p = facetPath + ".columnMetrics." + col.getKey();
            if (!col.getValue().isObject()) {
                throw JsonFields.badType(p, "an object", col.getValue());
            }
            out.add(new ColumnMetric(
                    col.getKey(),
                    count(col.getValue(), "nullCount", p + ".nullCount"),
                    count(col.getValue(), "distinctCount", p + ".distinctCount")));
        }
        ds.columnMetrics = out.toArray(new ColumnMetric[0]);
    }

    /** A non-negative count, or null when not reported. */
    private static Long count(JsonNode obj, String field, String path) throws InvalidRecordException {
        Long n = optionalLong(obj, field, path);
        if (n != null && n < 0) {
            throw new InvalidRecordException(ReasonCode.OUT_OF_RANGE, path + ": " + n + " is negative");
        }
        return n;
    }
}
