package io.vigil.parse;

import static io.vigil.parse.RealSamples.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.model.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** pip-audit's own JSON output (pip-audit/real/NOTES.md) and refusals. */
class PipAuditParserTest {
    private static final InputFormat F = InputFormat.PIP_AUDIT;
    private static final long ARRIVAL = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();

    private static Envelope arrived(String text) {
        return RealSamples.decoder().decode(RawRecord.of("s", F, text.getBytes(StandardCharsets.UTF_8), ARRIVAL, "test"));
    }

    private static String wrapped(String report) {
        return "{\"time\":\"2026-11-02T09:00:00Z\",\"project\":\"stock-pipeline\",\"report\":" + report + "}";
    }

    @Test
    void everyPublishedReportCountsItsVulnerabilitiesAtArrival() {
        List<String> reports = RealSamples.lines("/pip-audit/real/json-format-tests.jsonl");
        List<Double> counts = reports.stream().map(r -> {
            Envelope e = arrived(r);
            assertThat(e.deadLetter).as(e.deadLetter == null ? "" : e.deadLetter.detail).isNull();
            assertThat(e.metric.name).isEqualTo("pip_audit_vulnerabilities");
            assertThat(e.metric.time).isEqualTo(ARRIVAL);
            assertThat(e.metric.labels).isEmpty();
            return e.metric.value;
        }).collect(Collectors.toList());
        // foo 1.0: 2 and bar 0.1: 1; the skipped-dependency report: foo 1.0 only, bar skipped
        assertThat(counts).containsExactly(3.0, 3.0, 3.0, 1.0, 3.0, 3.0);
        Envelope legacy = arrived(RealSamples.lines("/pip-audit/real/readme-legacy-list.jsonl").get(0));
        assertThat(legacy.metric.value).isEqualTo(2.0);
    }

    @Test
    void aWrappedReportCountsAtItsOwnTimeWithItsProject() {
        String report = RealSamples.lines("/pip-audit/real/json-format-tests.jsonl").get(0);
        Envelope e = RealSamples.decode(F, wrapped(report));
        assertThat(e.metric.value).isEqualTo(3.0);
        assertThat(e.metric.time).isEqualTo(Instant.parse("2026-11-02T09:00:00Z").toEpochMilli());
        assertThat(Arrays.toString(e.metric.labels)).isEqualTo("[project=stock-pipeline]");
        String legacy = RealSamples.lines("/pip-audit/real/readme-legacy-list.jsonl").get(0);
        assertThat(RealSamples.decode(F, wrapped(legacy)).metric.value).isEqualTo(2.0);
    }

    @Test
    void invalidReportsAreDeadLettered() {
        String report = RealSamples.lines("/pip-audit/real/json-format-tests.jsonl").get(0);
        // replay has no arrival time: a bare report has no time at all
        assertDeadLetter(F, report, ReasonCode.MISSING_FIELD, "wrap it");
        assertDeadLetter(F, wrapped(report).replace("2026-11-02T09:00:00Z", "soon"), ReasonCode.BAD_TIMESTAMP, "time");
        assertDeadLetter(F, wrapped("{\"fixes\":[]}"), ReasonCode.MISSING_FIELD, "dependencies");
        assertDeadLetter(F, wrapped(report.replace("\"name\":\"foo\",", "")), ReasonCode.MISSING_FIELD, "dependencies[0].name");
        assertDeadLetter(F, wrapped(report.replace("\"id\":\"VULN-0\"", "\"id\":0")), ReasonCode.BAD_TYPE, "dependencies[0].vulns[0].id");
        assertDeadLetter(F, wrapped(report.replace("\"version\":\"1.0\",", "")), ReasonCode.MISSING_FIELD, "dependencies[0].version");
        assertDeadLetter(F, wrapped("7"), ReasonCode.BAD_TYPE, "report");
    }
}
