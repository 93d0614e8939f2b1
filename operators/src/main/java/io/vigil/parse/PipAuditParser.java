package io.vigil.parse;

import static io.vigil.parse.JsonFields.optionalArray;
import static io.vigil.parse.JsonFields.optionalText;
import static io.vigil.parse.JsonFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.Envelope;
import io.vigil.model.Label;
import io.vigil.model.MetricSample;
import io.vigil.model.RawRecord;
import io.vigil.model.ReasonCode;

/**
 * A {@code pip-audit -f json} report as one {@code pip_audit_vulnerabilities} sample: the number of
 * known vulnerabilities. The report holds no time: a bare report counts at its arrival; wrapped as
 * {@code {"time", "project"?, "report"}} it counts at its own (docs/inputs-events.md).
 */
public class PipAuditParser implements RecordParser {
    public static final String METRIC = "pip_audit_vulnerabilities";

    @Override
    public Envelope parse(String source, String text) throws InvalidRecordException {
        return parse(source, text, RawRecord.NO_RECEIVE_TIME);
    }

    @Override
    public Envelope parse(String source, String text, long receivedAt) throws InvalidRecordException {
        JsonNode root = text.startsWith("[")
                // pip-audit before 2.0 wrote the dependency list alone
                ? JsonFields.parseObject("{\"dependencies\":" + text + "}")
                : JsonFields.parseObject(text);
        MetricSample m = new MetricSample();
        m.name = METRIC;
        JsonNode report = root;
        String project = null;
        if (root.has("report")) {
            m.time = EventTimes.isoOrEpochMillis(root, "time");
            try {
                project = optionalText(root, "project", "project");
                report = root.get("report");
                if (report.isArray()) {
                    report = JsonFields.parseObject("{\"dependencies\":" + report.toString() + "}");
                } else if (!report.isObject()) {
                    throw JsonFields.badType("report", "a pip-audit JSON report", report);
                }
            } catch (InvalidRecordException x) {
                throw x.withTime(m.time);
            }
        } else if (receivedAt != RawRecord.NO_RECEIVE_TIME) {
            m.time = receivedAt;
        } else {
            throw new InvalidRecordException(ReasonCode.MISSING_FIELD, "time is required: a bare pip-audit report "
                    + "carries none and a replay has no arrival time; wrap it as {\"time\": ..., \"report\": ...}");
        }
        try {
            m.value = vulnerabilities(report);
            m.labels = project == null ? new Label[0] : new Label[] {new Label("project", project)};
        } catch (InvalidRecordException x) {
            throw x.withTime(m.time);
        }
        return Envelope.of(source, m);
    }

    /** Vulnerabilities over all audited dependencies; skipped ones (with a skip_reason) have none. */
    private static int vulnerabilities(JsonNode report) throws InvalidRecordException {
        JsonNode deps = optionalArray(report, "dependencies", "dependencies");
        if (deps == null) {
            throw JsonFields.missing("dependencies");
        }
        optionalArray(report, "fixes", "fixes");
        int n = 0;
        for (int i = 0; i < deps.size(); i++) {
            String path = "dependencies[" + i + "]";
            JsonNode d = deps.get(i);
            if (!d.isObject()) {
                throw JsonFields.badType(path, "an object", d);
            }
            requiredText(d, "name", path + ".name");
            if (optionalText(d, "skip_reason", path + ".skip_reason") != null) {
                continue;
            }
            requiredText(d, "version", path + ".version");
            JsonNode vulns = optionalArray(d, "vulns", path + ".vulns");
            if (vulns == null) {
                throw JsonFields.missing(path + ".vulns");
            }
            for (int k = 0; k < vulns.size(); k++) {
                String vp = path + ".vulns[" + k + "]";
                if (!vulns.get(k).isObject()) {
                    throw JsonFields.badType(vp, "an object", vulns.get(k));
                }
                requiredText(vulns.get(k), "id", vp + ".id");
                optionalArray(vulns.get(k), "fix_versions", vp + ".fix_versions");
            }
            n += vulns.size();
        }
        return n;
    }
}
