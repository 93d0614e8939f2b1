package io.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.cli.VigilCli;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Severity;
import io.vigil.sink.AlertJson;
import io.vigil.testing.HeadlessChromium;
import io.vigil.testing.IncidentScenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil replay --report}: the report of a scripted replay, and of 10,000 alerts, opened in
 * headless Chromium; checks the DOM it renders and that no script error occurs.
 */
class ReplayReportITCase {
    /** The screenshot kept as a build artifact; docs/report.md says how it becomes docs/img/report.png. */
    static final Path SCREENSHOT = Paths.get("target/report-screenshot.png");
    /** The report itself, kept beside it. */
    static final Path SAMPLE = Paths.get("target/report-sample.html");
    private static final int WIDTH = 1400;

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @TempDir Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void reportOfAScriptedReplayShowsEveryAlertSpan() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        List<String> args = new ArrayList<>();
        for (String input : new IncidentScenario(in, true, 6).write()) {
            args.add("--input");
            args.add(input);
        }
        Path out = dir.resolve("out");
        Path html = dir.resolve("report.html");
        args.add(0, "replay");
        args.addAll(List.of("--out", out.toString(), "--no-tables", "--rules", "../conf/rules.yaml", "--report", html.toString()));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code = VigilCli.run(args.toArray(new String[0]), new PrintStream(printed, true, StandardCharsets.UTF_8), System.err);
        assertThat(code).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("wrote the report " + html);

        // expected from the scenario's own list of alerts: a span per firing event, a mark per resolve
        long firing = IncidentScenario.EXPECTED.stream().filter(l -> l.split(" ")[2].equals("firing")).count();
        long resolved = IncidentScenario.EXPECTED.stream().filter(l -> l.split(" ")[2].equals("resolved")).count();
        long par90 = IncidentScenario.EXPECTED.stream().filter(l -> l.contains(" kpi_par_90 firing ")).count();
        JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("total").get("invalid").asLong()).isPositive(); // the scenario has bad records

        // the per-minute counts add up to the summary's, per source
        java.util.Map<String, java.util.TreeMap<Long, SourceMinutes.Counts>> minutes = SourceMinutes.read(out);
        summary.get("sources").fields().forEachRemaining(s -> {
            long read = 0;
            long invalid = 0;
            for (SourceMinutes.Counts m : minutes.getOrDefault(s.getKey(), new java.util.TreeMap<>()).values()) {
                read += m.read;
                invalid += m.invalid;
            }
            assertThat(read).as("read of %s", s.getKey()).isEqualTo(s.getValue().get("read").asLong());
            assertThat(invalid).as("invalid of %s", s.getKey()).isEqualTo(s.getValue().get("invalid").asLong());
        });

        try (HeadlessChromium.Page page = CHROMIUM.newPage(WIDTH, 900)) {
            page.open(html);
            assertThat(page.evaluate("document.body.getAttribute('data-rendered')").asText()).isEqualTo("true");
            assertThat(page.evaluate("document.querySelectorAll('#timeline rect.span').length").asLong()).isEqualTo(firing);
            assertThat(page.evaluate("document.querySelectorAll('#timeline line.res').length").asLong()).isEqualTo(resolved);
            // one volume chart per source, with the total shown in the summary table
            assertThat(page.evaluate("document.querySelectorAll('rect.bar-valid').length > 0").asBoolean()).isTrue();
            assertThat(page.evaluate("document.querySelector('table.counts tr.total').textContent").asText())
                    .contains(String.format("%,d", summary.get("total").get("read").asLong()));
            // the same rendering the report shows the reader
            page.screenshot(SCREENSHOT, WIDTH, 2400);
            Files.copy(html, SAMPLE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(SCREENSHOT)).isPositive();

            // the filter box narrows the timeline to one rule
            page.evaluate("(function(){var f=document.getElementById('filter');f.value='kpi_par_90';"
                    + "f.dispatchEvent(new Event('input'));return new Promise(function(r){setTimeout(r,400);});})()");
            assertThat(page.evaluate("document.querySelectorAll('#timeline rect.span').length").asLong()).isEqualTo(par90);

            assertThat(page.errors).isEmpty();
            assertThat(page.requests).allMatch(u -> u.startsWith("file:"), "only the report file itself is loaded");
        }
    }

    @Test
    void tenThousandAlertsRenderWithoutErrors() throws Exception {
        Path out = Files.createDirectories(dir.resolve("synthetic"));
        AlertJson encoder = new AlertJson();
        long t0 = java.time.Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
        long firing = 0;
        long open = 0;
        StringBuilder lines = new StringBuilder();
        // 40 rules x 250 entities; each alert fires once, some escalate, most resolve; one entity name
        // carries markup that would end the data script if it were not escaped
        List<AlertEvent> events = new ArrayList<>();
        for (int a = 0; a < 10_000; a++) {
            String rule = "synthetic_rule_" + (a % 40);
            String entity = a == 7 ? "source </script><script>window.injected=1</script>" : "entity-" + (a / 40);
            long start = t0 + (a * 7919L % 1440) * 60_000L;
            events.add(event(rule, entity, Severity.WARNING, AlertState.FIRING, start, 0));
            firing++;
            long end = start + (5 + a % 90) * 60_000L;
            Severity last = Severity.WARNING;
            if (a % 3 == 0) {
                events.add(event(rule, entity, Severity.CRITICAL, AlertState.FIRING, start + 120_000L, 0));
                firing++;
                last = Severity.CRITICAL;
            }
            if (a % 10 != 0) {
                events.add(event(rule, entity, last, AlertState.RESOLVED, end, end));
            } else {
                open++;
            }
        }
        events.sort((x, y) -> Long.compare(x.eventTime, y.eventTime));
        for (AlertEvent e : events) {
            lines.append(encoder.encode(e)).append('\n');
        }
        Files.writeString(out.resolve("alerts.jsonl"), lines);
        Path html = dir.resolve("large.html");
        ReplayReport.of(out, null).write(html);

        try (HeadlessChromium.Page page = CHROMIUM.newPage(WIDTH, 900)) {
            long started = System.nanoTime();
            page.open(html);
            long loadMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(page.evaluate("document.body.getAttribute('data-rendered')").asText()).isEqualTo("true");
            assertThat(page.evaluate("document.querySelectorAll('#timeline rect.span').length").asLong()).isEqualTo(firing);
            assertThat(page.evaluate("document.querySelectorAll('#timeline rect.span.open').length").asLong()).isEqualTo(open);
            // 250 entities per rule: collapsed into one lane per rule, no entity rows yet
            assertThat(page.evaluate("document.querySelectorAll('#timeline text.entity').length").asLong()).isZero();
            assertThat(page.evaluate("typeof window.injected").asText()).isEqualTo("undefined");
            long expandMs = page.evaluate("(function(){var t=performance.now();document.getElementById('expand-all').click();"
                    + "return Math.round(performance.now()-t);})()").asLong();
            assertThat(page.evaluate("document.querySelectorAll('#timeline text.entity').length").asLong()).isEqualTo(10_000);
            assertThat(page.evaluate("document.querySelectorAll('#timeline rect.span').length").asLong()).isEqualTo(firing);
            assertThat(page.evaluate("document.getElementById('vigil-data').textContent.indexOf('window.injected')")
                    .asLong()).isPositive(); // the markup is in the data, escaped, not cut off
            assertThat(page.errors).isEmpty();
            System.out.printf("report of %d spans: opened in %d ms, all 10,000 rows expanded in %d ms%n", firing, loadMs,
                    expandMs);
            assertThat(loadMs).as("open and render").isLessThan(20_000);
        }
    }

    private static AlertEvent event(String rule, String entity, Severity s, AlertState state, long at, long endsAt) {
        AlertEvent e = new AlertEvent();
        e.alertId = Integer.toHexString((rule + entity).hashCode());
        e.ruleId = rule;
        e.severity = s;
        e.state = state;
        e.entity = entity;
        e.value = 10 + (at / 60_000L) % 50;
        e.threshold = s == Severity.CRITICAL ? 40 : 20;
        e.summary = rule + " on " + entity + " is " + e.value;
        e.eventTime = at;
        e.startsAt = at;
        e.endsAt = endsAt;
        e.runbookUrl = "";
        e.emittedAt = at;
        return e;
    }
}
