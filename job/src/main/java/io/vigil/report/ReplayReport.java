package io.vigil.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.VigilTopology;
import io.vigil.model.Severity;
import io.vigil.rules.Rule;
import io.vigil.rules.RuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The replay report: one self-contained HTML page (no network needed) with summary counts, the
 * alert timeline, per-source volume and invalid rate, and per rule the values it judged against
 * its thresholds. Built from a replay's output directory; the data goes into the page as one JSON
 * blob, rendered by the page's own script.
 */
public final class ReplayReport {
    /** Per-minute rows beyond which the volume data is summed into coarser buckets (page size). */
    static final int MAX_VOLUME_ROWS = 50_000;
    private static final long[] BUCKETS_MS = {60_000L, 300_000L, 900_000L, 3_600_000L, 21_600_000L, 86_400_000L};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode data;

    private ReplayReport(ObjectNode data) {
        this.data = data;
    }

    /** Wires what the report needs beyond the replay's usual outputs: per-minute counts per source. */
    public static void attach(VigilTopology.Streams streams, Path outDir) {
        streams.envelopes.sinkTo(new SourceMinutes(outDir)).name("report source minutes")
                .uid("report-source-minutes").setParallelism(streams.envelopes.getParallelism());
    }

    /** The report of the replay whose outputs are in {@code outDir}; {@code rules} may be null. */
    public static ReplayReport of(Path outDir, RuleSet rules) throws IOException {
        ObjectNode d = JSON.createObjectNode();
        d.put("out", outDir.toAbsolutePath().normalize().toString());
        d.put("generated_at", Instant.now().toString());
        sources(d, outDir);
        d.put("dead_letters", lines(outDir.resolve("dead-letter.jsonl")));
        AlertTimeline timeline = AlertTimeline.read(outDir.resolve("alerts.jsonl"));
        alerts(d, timeline, rules);
        long[] range = volume(d, SourceMinutes.read(outDir));
        long start = Math.min(range[0], timeline.firstTime());
        long end = Math.max(range[1], timeline.lastTime());
        if (start > end) { // nothing at all
            start = 0;
            end = 0;
        }
        d.put("start", start);
        d.put("end", end);
        return new ReplayReport(d);
    }

    /** The report's data as embedded in the page. */
    public ObjectNode data() {
        return data;
    }

    /** Writes the page to {@code html}, replacing it. */
    public void write(Path html) throws IOException {
        Path parent = html.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(html, page().getBytes(StandardCharsets.UTF_8));
    }

    /** The whole page: template with its style, script and data inlined. */
    public String page() throws IOException {
        String page = resource("page.html");
        // the data last: its text must not be searched for the other placeholders
        return page.replace("/*STYLE*/", resource("report.css"))
                .replace("/*SCRIPT*/", resource("report.js"))
                .replace("/*DATA*/", scriptSafe(JSON.writeValueAsString(data)));
    }

    /**
     * JSON that can sit inside a {@code <script>} element: no {@code </script>} or {@code <!--}
     * can end or change it. Outside strings JSON has no {@code <}, {@code >} or {@code &}; inside
     * strings the escapes read back as the same characters.
     */
    static String scriptSafe(String json) {
        StringBuilder b = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<':
                    b.append("\\u003c");
                    break;
                case '>':
                    b.append("\\u003e");
                    break;
                case '&':
                    b.append("\\u0026");
                    break;
                case '\u2028':
                    b.append("\\u2028");
                    break;
                case '\u2029':
                    b.append("\\u2029");
                    break;
                default:
                    b.append(c);
            }
        }
        return b.toString();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ReplayReport.class.getResourceAsStream("/report/" + name)) {
            if (in == null) {
                throw new IOException("report template missing from the classpath: report/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long lines(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            return 0;
        }
        try (Stream<String> s = Files.lines(f, StandardCharsets.UTF_8)) {
            return s.filter(l -> !l.isBlank()).count();
        }
    }

    private static void sources(ObjectNode d, Path outDir) throws IOException {
        ArrayNode out = d.putArray("sources");
        Path f = outDir.resolve("summary.json");
        if (!Files.isRegularFile(f)) {
            return;
        }
        JsonNode s = JSON.readTree(f.toFile());
        Iterator<Map.Entry<String, JsonNode>> it = s.path("sources").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.addObject().put("name", e.getKey()).setAll(counts(e.getValue()));
        }
        if (s.has("total")) {
            d.putObject("total").setAll(counts(s.get("total")));
        }
    }

    private static ObjectNode counts(JsonNode t) {
        ObjectNode o = JSON.createObjectNode();
        for (String k : new String[] {"read", "valid", "invalid", "late"}) {
            o.put(k, t.path(k).asLong());
        }
        o.set("invalid_by_reason", t.path("invalid_by_reason").deepCopy());
        return o;
    }

    private static void alerts(ObjectNode d, AlertTimeline t, RuleSet rules) {
        ObjectNode counts = d.putObject("alerts");
        counts.put("events", t.events());
        counts.put("spans", t.spanCount());
        ObjectNode fired = counts.putObject("fired");
        ObjectNode resolved = counts.putObject("resolved");
        for (Severity s : Severity.values()) {
            fired.put(s.wire(), t.fired(s));
            resolved.put(s.wire(), t.resolved(s));
        }
        ArrayNode ruleList = d.putArray("rules");
        Map<String, Integer> ruleIndex = new HashMap<>();
        ArrayNode rows = d.putArray("rows");
        // spans as arrays: [row, severity, start, end|null, resolved 0/1, value, threshold, resolved value, summary]
        ArrayNode spans = d.putArray("spans");
        List<AlertTimeline.Row> ordered = t.rows();
        for (int r = 0; r < ordered.size(); r++) {
            AlertTimeline.Row row = ordered.get(r);
            Integer ri = ruleIndex.get(row.rule);
            if (ri == null) {
                ri = ruleList.size();
                ruleIndex.put(row.rule, ri);
                ObjectNode rn = ruleList.addObject().put("id", row.rule);
                Rule rule = rules == null ? null : rules.rule(row.rule);
                if (rule != null) {
                    rn.put("description", rule.description);
                    if (rule.kind != null) {
                        rn.put("kind", rule.kind.id());
                        rn.put("unit", rule.kind.unit().name().toLowerCase(java.util.Locale.ROOT));
                    }
                    rn.put("direction", rule.direction == null ? null : rule.direction.name().toLowerCase(java.util.Locale.ROOT));
                    if (rule.info != null) {
                        rn.put("info", rule.info);
                    }
                    if (rule.warning != null) {
                        rn.put("warning", rule.warning);
                    }
                    if (rule.critical != null) {
                        rn.put("critical", rule.critical);
                    }
                }
            }
            rows.addArray().add(ri).add(row.entity);
            for (AlertTimeline.Span s : t.spans(row)) {
                ArrayNode a = spans.addArray().add(r).add(s.severity.ordinal()).add(s.start);
                if (s.end == Long.MIN_VALUE) {
                    a.addNull();
                } else {
                    a.add(s.end);
                }
                a.add(s.resolved ? 1 : 0);
                number(a, s.value);
                number(a, s.threshold);
                number(a, s.resolvedValue);
                a.add(s.summary);
            }
        }
    }

    private static void number(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    /** Writes the per-source volume, coarsened if needed; returns the first and last instant covered. */
    private static long[] volume(ObjectNode d, Map<String, TreeMap<Long, SourceMinutes.Counts>> minutes) {
        long rows = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (TreeMap<Long, SourceMinutes.Counts> m : minutes.values()) {
            rows += m.size();
            if (!m.isEmpty()) {
                first = Math.min(first, m.firstKey());
                last = Math.max(last, m.lastKey() + SourceMinutes.MINUTE);
            }
        }
        long bucket = BUCKETS_MS[0];
        for (long b : BUCKETS_MS) {
            bucket = b;
            // at most this many rows once summed into buckets of b
            long bound = first == Long.MAX_VALUE ? 0 : Math.min(rows, minutes.size() * ((last - first) / b + 1));
            if (bound <= MAX_VOLUME_ROWS) {
                break;
            }
        }
        d.put("bucket_ms", bucket);
        ObjectNode out = d.putObject("volume");
        for (Map.Entry<String, TreeMap<Long, SourceMinutes.Counts>> s : minutes.entrySet()) {
            TreeMap<Long, long[]> coarse = new TreeMap<>();
            for (Map.Entry<Long, SourceMinutes.Counts> m : s.getValue().entrySet()) {
                long[] c = coarse.computeIfAbsent(Math.floorDiv(m.getKey(), bucket) * bucket, k -> new long[3]);
                c[0] += m.getValue().read;
                c[1] += m.getValue().invalid;
                c[2] += m.getValue().late;
            }
            ArrayNode a = out.putArray(s.getKey());
            for (Map.Entry<Long, long[]> c : coarse.entrySet()) {
                a.addArray().add(c.getKey()).add(c.getValue()[0]).add(c.getValue()[1]).add(c.getValue()[2]);
            }
        }
        if (first != Long.MAX_VALUE) {
            last = Math.floorDiv(last - 1, bucket) * bucket + bucket;
        }
        return new long[] {first, last};
    }
}
