package io.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's data: spans from alert events, per-minute counts, and the data blob in the page. */
class ReplayReportTest {
    @TempDir Path dir;

    private final ObjectMapper json = new ObjectMapper();

    private static String alert(String rule, String entity, String severity, String state, String at, String endsAt, Double value) {
        return "{\"alert_id\":\"x\",\"rule_id\":\"" + rule + "\",\"severity\":\"" + severity + "\",\"state\":\"" + state
                + "\",\"entity\":\"" + entity + "\",\"summary\":\"s\",\"value\":" + value + ",\"threshold\":5.0,"
                + "\"event_time\":\"" + at + "\",\"starts_at\":\"" + at + "\""
                + (endsAt == null ? "" : ",\"ends_at\":\"" + endsAt + "\"") + ",\"labels\":{},\"runbook_url\":null}";
    }

    @Test
    void anEscalationSplitsTheSpanAndAResolveClosesIt() throws Exception {
        Files.write(dir.resolve("alerts.jsonl"), java.util.List.of(
                alert("r1", "e1", "warning", "firing", "2026-11-02T00:10:00Z", null, 6.0),
                alert("r1", "e1", "critical", "firing", "2026-11-02T00:12:00Z", null, 9.0),
                alert("r0", "e2", "warning", "firing", "2026-11-02T00:15:00Z", null, null),
                alert("r1", "e1", "critical", "resolved", "2026-11-02T00:20:00Z", "2026-11-02T00:19:00Z", 1.0),
                alert("r1", "e3", "info", "resolved", "2026-11-02T00:21:00Z", "2026-11-02T00:21:00Z", 1.0)));
        AlertTimeline t = AlertTimeline.read(dir.resolve("alerts.jsonl"));
        assertThat(t.events()).isEqualTo(5);
        assertThat(t.spanCount()).isEqualTo(3);
        assertThat(t.fired(Severity.WARNING)).isEqualTo(2);
        assertThat(t.fired(Severity.CRITICAL)).isEqualTo(1);
        assertThat(t.resolved(Severity.CRITICAL)).isEqualTo(1);
        assertThat(t.unmatchedResolves()).isEqualTo(1); // e3 resolved without firing: no span
        // rows by rule id: r0 first
        assertThat(t.rows()).extracting(r -> r.rule + "/" + r.entity).containsExactly("r0/e2", "r1/e1");
        AlertTimeline.Row r1 = t.rows().get(1);
        AlertTimeline.Span warning = t.spans(r1).get(0);
        AlertTimeline.Span critical = t.spans(r1).get(1);
        assertThat(warning.end).isEqualTo(critical.start); // escalation hands over at once
        assertThat(warning.resolved).isFalse();
        assertThat(critical.resolved).isTrue();
        assertThat(critical.end).isEqualTo(java.time.Instant.parse("2026-11-02T00:19:00Z").toEpochMilli());
        assertThat(critical.resolvedValue).isEqualTo(1.0);
        AlertTimeline.Span open = t.spans(t.rows().get(0)).get(0);
        assertThat(open.end).isEqualTo(Long.MIN_VALUE);
        assertThat(open.value).isNaN();

        JsonNode data = ReplayReport.of(dir, null).data();
        assertThat(data.get("spans")).hasSize(3);
        assertThat(data.get("spans").get(0).get(3).isNull()).isTrue(); // open span: no end
        assertThat(data.get("alerts").get("fired").get("warning").asLong()).isEqualTo(2);
        assertThat(data.get("end").asLong()).isEqualTo(java.time.Instant.parse("2026-11-02T00:21:00Z").toEpochMilli());
    }

    @Test
    void theDataCannotEndItsScriptElement() throws Exception {
        String entity = "</script><script>alert(1)</script><!-- & \u2028";
        Files.write(dir.resolve("alerts.jsonl"), java.util.List.of(
                alert("r", entity.replace("\u2028", "\\u2028"), "warning", "firing", "2026-11-02T00:10:00Z", null, 1.0)));
        String page = ReplayReport.of(dir, null).page();
        int start = page.indexOf("<script type=\"application/json\" id=\"vigil-data\">");
        int end = page.indexOf("</script>", start);
        String blob = page.substring(page.indexOf('>', start) + 1, end);
        assertThat(blob).doesNotContain("<").doesNotContain(">").doesNotContain("\u2028");
        assertThat(json.readTree(blob).get("rows").get(0).get(1).asText()).isEqualTo(entity);
        // the template's placeholders are all filled
        assertThat(page).doesNotContain("/*DATA*/").doesNotContain("/*SCRIPT*/").doesNotContain("/*STYLE*/");
    }

    @Test
    void perMinuteCountsAreCoarsenedOnlyBeyondTheLimit() throws Exception {
        Map<String, TreeMap<Long, SourceMinutes.Counts>> minutes = new TreeMap<>();
        TreeMap<Long, SourceMinutes.Counts> m = new TreeMap<>();
        for (long i = 0; i < ReplayReport.MAX_VOLUME_ROWS + 1; i++) {
            SourceMinutes.Counts c = new SourceMinutes.Counts();
            c.read = 2;
            c.invalid = i % 2;
            m.put(i * SourceMinutes.MINUTE, c);
        }
        minutes.put("big", m);
        Files.writeString(dir.resolve(SourceMinutes.FILE_PREFIX + "0.json"), SourceMinutes.render(minutes));
        assertThat(SourceMinutes.read(dir).get("big")).hasSize(ReplayReport.MAX_VOLUME_ROWS + 1);
        JsonNode data = ReplayReport.of(dir, null).data();
        assertThat(data.get("bucket_ms").asLong()).isEqualTo(5 * SourceMinutes.MINUTE);
        long read = 0;
        long invalid = 0;
        for (JsonNode row : data.get("volume").get("big")) {
            read += row.get(1).asLong();
            invalid += row.get(2).asLong();
        }
        assertThat(read).isEqualTo(2L * (ReplayReport.MAX_VOLUME_ROWS + 1));
        assertThat(invalid).isEqualTo((ReplayReport.MAX_VOLUME_ROWS + 1) / 2);
        assertThat(data.get("volume").get("big").size()).isLessThanOrEqualTo(ReplayReport.MAX_VOLUME_ROWS);

        m.headMap(100 * SourceMinutes.MINUTE).clear();
        m.tailMap(200 * SourceMinutes.MINUTE).clear();
        Files.writeString(dir.resolve(SourceMinutes.FILE_PREFIX + "0.json"), SourceMinutes.render(minutes));
        assertThat(ReplayReport.of(dir, null).data().get("bucket_ms").asLong()).isEqualTo(SourceMinutes.MINUTE);
    }
}
