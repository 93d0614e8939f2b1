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
import io.vigil.model.LineageEvent;
import io.vigil.model.LineageEventKind;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.ReadNotes;
import io.vigil.model.ReasonCode;
import io.vigil.model.RunEventType;
import io.vigil.model.SchemaField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenLineage events (spec 2-0-x): RunEvents, and the static DatasetEvents and JobEvents. The
 * envelope of an event (time, run id, job, dataset names) is checked strictly; its facets are read
 * leniently, since producers put them in different places and ship newer versions: a known facet
 * whose shape is not understood is skipped and counted ({@link ReadNotes#unreadableFacets}), never
 * a reason to dead-letter a valid run event.
 *
 * <p>Data-quality facets ({@code dataQualityAssertions}, {@code dataQualityMetrics}) are read from a
 * dataset's {@code facets} as well as its {@code inputFacets}/{@code outputFacets}: dbt-ol puts a
 * failed test's assertions under the input dataset's {@code facets}, Great Expectations under
 * {@code inputFacets}. Assertions given in both places are kept once.
 */
public class OpenLineageParser implements RecordParser {
    /** Most inputs, and most outputs, read from one event; the rest are counted, not read. */
    public static final int MAX_DATASETS_PER_SIDE = 1000;
    /** Most data-quality assertions read per dataset; the rest are counted, not read. */
    public static final int MAX_ASSERTIONS_PER_DATASET = 200;

    @Override
    public Envelope parse(String source, String text) throws InvalidRecordException {
        JsonNode root = JsonFields.parseObject(text);
        boolean[] zoneless = new boolean[1];
        long eventTime = EventTimes.parseIsoOrLocal(
                "eventTime", requiredText(root, "eventTime", "eventTime"), zoneless);
        ReadNotes notes = new ReadNotes();
        notes.zonelessTime = zoneless[0];
        Envelope env;
        try {
            LineageEventKind staticKind = staticKind(root);
            env = staticKind != null
                    ? Envelope.of(source, staticEvent(root, staticKind, eventTime, notes))
                    : Envelope.of(source, runEvent(root, eventTime, notes));
        } catch (InvalidRecordException x) {
            throw x.withTime(eventTime);
        }
        if (!notes.isEmpty()) {
            env.notes = notes;
        }
        return env;
    }

    /**
     * A DatasetEvent or JobEvent: no {@code run}, and its schemaURL names the event type, or (for
     * producers that send no schemaURL) it carries a {@code dataset}, or a {@code job} and no
     * {@code eventType}. A RunEvent that lost its run still has its eventType and stays refused.
     */
    private static LineageEventKind staticKind(JsonNode root) {
        if (!JsonFields.absent(root.get("run"))) {
            return null;
        }
        JsonNode url = root.get("schemaURL");
        if (url != null && url.isTextual()) {
            String u = url.asText();
            if (u.endsWith("/DatasetEvent")) {
                return LineageEventKind.DATASET;
            }
            if (u.endsWith("/JobEvent")) {
                return LineageEventKind.JOB;
            }
        }
        if (!JsonFields.absent(root.get("dataset"))) {
            return LineageEventKind.DATASET;
        }
        if (!JsonFields.absent(root.get("job")) && JsonFields.absent(root.get("eventType"))) {
            return LineageEventKind.JOB;
        }
        return null;
    }

    private static LineageEvent staticEvent(JsonNode root, LineageEventKind kind, long eventTime, ReadNotes notes)
            throws InvalidRecordException {
        LineageEvent e = new LineageEvent();
        e.kind = kind;
        e.eventTime = eventTime;
        e.producer = optionalText(root, "producer", "producer");
        if (kind == LineageEventKind.DATASET) {
            JsonNode d = requiredObject(root, "dataset", "dataset");
            e.datasets = new Dataset[] {staticDataset(d, "dataset", notes)};
            return e;
        }
        JsonNode job = requiredObject(root, "job", "job");
        e.jobNamespace = requiredText(job, "namespace", "job.namespace");
        e.jobName = requiredText(job, "name", "job.name");
        List<Dataset> all = new ArrayList<>();
        for (String side : new String[] {"inputs", "outputs"}) {
            JsonNode arr = optionalArray(root, side, side);
            int n = arr == null ? 0 : Math.min(arr.size(), MAX_DATASETS_PER_SIDE);
            if (arr != null) {
                notes.datasetsDropped += arr.size() - n;
            }
            for (int i = 0; i < n; i++) {
                String path = side + "[" + i + "]";
                JsonNode d = arr.get(i);
                if (!d.isObject()) {
                    throw JsonFields.badType(path, "an object", d);
                }
                all.add(staticDataset(d, path, notes));
            }
            if (side.equals("inputs")) {
                e.inputCount = all.size();
            }
        }
        e.datasets = all.toArray(new Dataset[0]);
        return e;
    }

    private static Dataset staticDataset(JsonNode d, String path, ReadNotes notes) throws InvalidRecordException {
        Dataset ds = new Dataset(
                requiredText(d, "namespace", path + ".namespace"), requiredText(d, "name", path + ".name"));
        JsonNode facets = lenientObject(d, "facets", path + ".facets", notes);
        if (facets != null) {
            readDatasource(ds, facets, path + ".facets", notes);
            readSchema(ds, facets, path + ".facets", notes);
        }
        return ds;
    }

    private static PipelineRunEvent runEvent(JsonNode root, long eventTime, ReadNotes notes)
            throws InvalidRecordException {
        PipelineRunEvent e = new PipelineRunEvent();
        e.eventTime = eventTime;
        String type = optionalText(root, "eventType", "eventType");
        e.eventType = type == null ? RunEventType.OTHER : eventType(type);
        e.producer = optionalText(root, "producer", "producer");

        JsonNode run = requiredObject(root, "run", "run");
        e.runId = requiredText(run, "runId", "run.runId");
        JsonNode job = requiredObject(root, "job", "job");
        e.jobNamespace = requiredText(job, "namespace", "job.namespace");
        e.jobName = requiredText(job, "name", "job.name");

        JsonNode runFacets = lenientObject(run, "facets", "run.facets", notes);
        if (runFacets != null) {
            readErrorMessage(e, runFacets, notes);
            readParent(e, runFacets, notes);
            readNominalTime(e, runFacets, notes);
        }
        JsonNode jobFacets = lenientObject(job, "facets", "job.facets", notes);
        if (jobFacets != null) {
            readJobType(e, jobFacets, notes);
        }
        e.inputs = datasets(root, "inputs", true, notes);
        e.outputs = datasets(root, "outputs", false, notes);
        return e;
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

    // ---- run and job facets ---------------------------------------------------------------

    /** Reads one facet's fields; throws for a shape it does not know. */
    private interface FacetReader {
        void read(JsonNode facet, String path) throws InvalidRecordException;
    }

    /**
     * Reads facet {@code name} of {@code facets} where present; a facet of a shape it cannot read
     * is counted as unreadable and leaves the event valid. Readers set their fields only once all
     * of them are read, so a facet is taken whole or not at all.
     */
    private static void readFacet(JsonNode facets, String name, String path, ReadNotes notes, FacetReader reader) {
        try {
            JsonNode f = optionalObject(facets, name, path);
            if (f != null) {
                reader.read(f, path);
            }
        } catch (InvalidRecordException x) {
            unreadable(notes, x);
        }
    }

    private static void readErrorMessage(PipelineRunEvent e, JsonNode runFacets, ReadNotes notes) {
        readFacet(runFacets, "errorMessage", "run.facets.errorMessage", notes,
                (f, path) -> e.errorMessage = optionalText(f, "message", path + ".message"));
    }

    private static void readParent(PipelineRunEvent e, JsonNode runFacets, ReadNotes notes) {
        readFacet(runFacets, "parent", "run.facets.parent", notes, (f, path) -> {
            JsonNode run = optionalObject(f, "run", path + ".run");
            JsonNode job = optionalObject(f, "job", path + ".job");
            String runId = run == null ? null : optionalText(run, "runId", path + ".run.runId");
            String ns = job == null ? null : optionalText(job, "namespace", path + ".job.namespace");
            String name = job == null ? null : optionalText(job, "name", path + ".job.name");
            e.parentRunId = runId;
            e.parentJobNamespace = ns;
            e.parentJobName = name;
        });
    }

    private static void readNominalTime(PipelineRunEvent e, JsonNode runFacets, ReadNotes notes) {
        readFacet(runFacets, "nominalTime", "run.facets.nominalTime", notes, (f, path) -> {
            String start = optionalText(f, "nominalStartTime", path + ".nominalStartTime");
            String end = optionalText(f, "nominalEndTime", path + ".nominalEndTime");
            Long s = start == null ? null : EventTimes.parseIsoOrLocal(path + ".nominalStartTime", start, null);
            Long t = end == null ? null : EventTimes.parseIsoOrLocal(path + ".nominalEndTime", end, null);
            e.nominalStartTime = s;
            e.nominalEndTime = t;
        });
    }

    private static void readJobType(PipelineRunEvent e, JsonNode jobFacets, ReadNotes notes) {
        readFacet(jobFacets, "jobType", "job.facets.jobType", notes, (f, path) -> {
            String processing = optionalText(f, "processingType", path + ".processingType");
            String integration = optionalText(f, "integration", path + ".integration");
            String type = optionalText(f, "jobType", path + ".jobType");
            e.processingType = processing;
            e.integration = integration;
            e.jobType = type;
        });
    }

    // ---- datasets ---------------------------------------------------------------------------

    private static Dataset[] datasets(JsonNode root, String field, boolean inputs, ReadNotes notes)
            throws InvalidRecordException {
        JsonNode arr = optionalArray(root, field, field);
        if (arr == null || arr.isEmpty()) {
            return new Dataset[0];
        }
        int n = Math.min(arr.size(), MAX_DATASETS_PER_SIDE);
        notes.datasetsDropped += arr.size() - n;
        Dataset[] out = new Dataset[n];
        for (int i = 0; i < n; i++) {
            String path = field + "[" + i + "]";
            JsonNode d = arr.get(i);
            if (!d.isObject()) {
                throw JsonFields.badType(path, "an object", d);
            }
            Dataset ds = new Dataset(
                    requiredText(d, "namespace", path + ".namespace"),
                    requiredText(d, "name", path + ".name"));
            String sideName = inputs ? "inputFacets" : "outputFacets";
            JsonNode facets = lenientObject(d, "facets", path + ".facets", notes);
            JsonNode sideFacets = lenientObject(d, sideName, path + "." + sideName, notes);
            Set<DataQualityAssertion> assertions = new LinkedHashSet<>();
            int[] dropped = new int[1];
            if (sideFacets != null) {
                readAssertions(assertions, dropped, sideFacets, path + "." + sideName, notes);
            }
            if (facets != null) {
                readAssertions(assertions, dropped, facets, path + ".facets", notes);
                readDatasource(ds, facets, path + ".facets", notes);
                readSchema(ds, facets, path + ".facets", notes);
            }
            notes.assertionsDropped += dropped[0];
            ds.assertions = assertions.toArray(new DataQualityAssertion[0]);
            // the input facet is the spec's place for metrics; a dataset facet is the fallback
            boolean metrics = sideFacets != null && readQualityMetrics(ds, sideFacets, path + "." + sideName, notes);
            if (!metrics && facets != null) {
                readQualityMetrics(ds, facets, path + ".facets", notes);
            }
            if (!inputs && sideFacets != null) {
                readOutputStatistics(ds, sideFacets, path + ".outputFacets", notes);
            }
            out[i] = ds;
        }
        return out;
    }

    /**
     * Adds the facet's assertions to {@code into}; duplicates (same check, column and outcome)
     * collapse. Entries of an unknown shape are skipped and the facet counted unreadable once.
     */
    private static void readAssertions(
            Set<DataQualityAssertion> into, int[] dropped, JsonNode facets, String path, ReadNotes notes) {
        String facetPath = path + ".dataQualityAssertions";
        JsonNode list;
        try {
            JsonNode facet = optionalObject(facets, "dataQualityAssertions", facetPath);
            if (facet == null) {
                return;
            }
            list = optionalArray(facet, "assertions", facetPath + ".assertions");
        } catch (InvalidRecordException x) {
            unreadable(notes, x);
            return;
        }
        if (list == null) {
            return;
        }
        InvalidRecordException firstBad = null;
        for (int i = 0; i < list.size(); i++) {
            String p = facetPath + ".assertions[" + i + "]";
            try {
                JsonNode a = list.get(i);
                if (!a.isObject()) {
                    throw JsonFields.badType(p, "an object", a);
                }
                DataQualityAssertion read = new DataQualityAssertion(
                        requiredText(a, "assertion", p + ".assertion"),
                        requiredBoolean(a, "success", p + ".success"),
                        optionalText(a, "column", p + ".column"));
                if (!into.contains(read)) {
                    if (into.size() < MAX_ASSERTIONS_PER_DATASET) {
                        into.add(read);
                    } else {
                        dropped[0]++;
                    }
                }
            } catch (InvalidRecordException x) {
                if (firstBad == null) {
                    firstBad = x;
                }
            }
        }
        if (firstBad != null) {
            unreadable(notes, firstBad);
        }
    }

    /** Reads the facet if present; true when it was there and readable. */
    private static boolean readQualityMetrics(Dataset ds, JsonNode facets, String path, ReadNotes notes) {
        String facetPath = path + ".dataQualityMetrics";
        JsonNode facet;
        Long rows;
        JsonNode columns;
        try {
            facet = optionalObject(facets, "dataQualityMetrics", facetPath);
            if (facet == null) {
                return false;
            }
            rows = count(facet, "rowCount", facetPath + ".rowCount");
            columns = optionalObject(facet, "columnMetrics", facetPath + ".columnMetrics");
        } catch (InvalidRecordException x) {
            unreadable(notes, x);
            return false;
        }
        ds.rowCount = rows;
        if (columns == null) {
            return true;
        }
        List<ColumnMetric> out = new ArrayList<>(columns.size());
        InvalidRecordException firstBad = null;
        Iterator<Map.Entry<String, JsonNode>> it = columns.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> col = it.next();
            String p = facetPath + ".columnMetrics." + Snippets.clip(col.getKey());
            try {
                if (!col.getValue().isObject()) {
                    throw JsonFields.badType(p, "an object", col.getValue());
                }
                out.add(new ColumnMetric(
                        col.getKey(),
                        count(col.getValue(), "nullCount", p + ".nullCount"),
                        count(col.getValue(), "distinctCount", p + ".distinctCount")));
            } catch (InvalidRecordException x) {
                if (firstBad == null) {
                    firstBad = x;
                }
            }
        }
        if (firstBad != null) {
            unreadable(notes, firstBad);
        }
        ds.columnMetrics = out.toArray(new ColumnMetric[0]);
        return true;
    }

    private static void readOutputStatistics(Dataset ds, JsonNode facets, String path, ReadNotes notes) {
        readFacet(facets, "outputStatistics", path + ".outputStatistics", notes, (stats, facetPath) -> {
            Long rows = count(stats, "rowCount", facetPath + ".rowCount");
            if (rows != null || ds.rowCount == null) {
                ds.rowCount = rows;
            }
        });
    }

    private static void readDatasource(Dataset ds, JsonNode facets, String path, ReadNotes notes) {
        readFacet(facets, "dataSource", path + ".dataSource", notes, (f, facetPath) -> {
            String uri = optionalText(f, "uri", facetPath + ".uri");
            ds.datasource = uri != null ? uri : optionalText(f, "name", facetPath + ".name");
        });
    }

    private static void readSchema(Dataset ds, JsonNode facets, String path, ReadNotes notes) {
        String facetPath = path + ".schema";
        try {
            JsonNode f = optionalObject(facets, "schema", facetPath);
            if (f == null) {
                return;
            }
            JsonNode fields = optionalArray(f, "fields", facetPath + ".fields");
            if (fields == null) {
                return;
            }
            List<SchemaField> out = new ArrayList<>(fields.size());
            for (int i = 0; i < fields.size(); i++) {
                String p = facetPath + ".fields[" + i + "]";
                JsonNode field = fields.get(i);
                if (!field.isObject()) {
                    throw JsonFields.badType(p, "an object", field);
                }
                out.add(new SchemaField(
                        requiredText(field, "name", p + ".name"), optionalText(field, "type", p + ".type")));
            }
            ds.schemaFields = out.toArray(new SchemaField[0]);
        } catch (InvalidRecordException x) {
            unreadable(notes, x);
        }
    }

    /** A facets map that is not an object is counted unreadable and treated as absent. */
    private static JsonNode lenientObject(JsonNode obj, String field, String path, ReadNotes notes) {
        try {
            return optionalObject(obj, field, path);
        } catch (InvalidRecordException x) {
            unreadable(notes, x);
            return null;
        }
    }

    private static void unreadable(ReadNotes notes, InvalidRecordException x) {
        notes.unreadableFacets++;
        if (notes.unreadableDetail == null) {
            notes.unreadableDetail = x.reason() + " " + x.detail();
        }
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
