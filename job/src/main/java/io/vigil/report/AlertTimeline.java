package io.vigil.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.Severity;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert events of {@code alerts.jsonl} as firing spans on rows of rule x entity: each firing
 * event opens a span at its event time (a change of severity closes the previous one), a resolved
 * event closes the open span at its {@code ends_at}. A span still open at the end has no end.
 */
public final class AlertTimeline {
    /** One rule x entity: a row of the timeline. */
    public static final class Row {
        public final String rule;
        public final String entity;
        final long first;
        final List<Span> spans = new ArrayList<>();

        Row(String rule, String entity, long first) {
            this.rule = rule;
            this.entity = entity;
            this.first = first;
        }
    }

    /** A time an alert fired at one severity. */
    public static final class Span {
        public final Row row;
        public final Severity severity;
        public final long start;
        /** Long.MIN_VALUE while open. */
        public long end = Long.MIN_VALUE;
        public boolean resolved;
        /** Value and threshold when it fired; NaN when the rule has none. */
        public final double value;
        public final double threshold;
        /** Value when it resolved (NaN if not resolved or none). */
        public double resolvedValue = Double.NaN;
        public final String summary;

        Span(Row row, Severity severity, long start, double value, double threshold, String summary) {
            this.row = row;
            this.severity = severity;
            this.start = start;
            this.value = value;
            this.threshold = threshold;
            this.summary = summary;
        }
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Map<Row, Span> open = new HashMap<>();
    private final long[] fired = new long[Severity.values().length];
    private final long[] resolved = new long[Severity.values().length];
    private long events;
    private long unmatchedResolves;
    private long last = Long.MIN_VALUE;
    private long firstTime = Long.MAX_VALUE;

    /** The timeline of an {@code alerts.jsonl} (in event-time order, as replay writes it). */
    public static AlertTimeline read(Path alertsJsonl) throws IOException {
        AlertTimeline t = new AlertTimeline();
        if (!Files.isRegularFile(alertsJsonl)) {
            return t;
        }
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = Files.newBufferedReader(alertsJsonl, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    t.add(json.readTree(line));
                }
            }
        }
        return t;
    }

    /** Adds one alert event in the wire format of {@code io.vigil.sink.AlertJson}. */
    public void add(JsonNode a) {
        events++;
        String rule = a.get("rule_id").asText();
        String entity = a.get("entity").asText();
        Severity severity = Severity.valueOf(a.get("severity").asText().toUpperCase(java.util.Locale.ROOT));
        long at = Instant.parse(a.get("event_time").asText()).toEpochMilli();
        last = Math.max(last, at);
        firstTime = Math.min(firstTime, at);
        String key = rule + "\u0000" + entity;
        if ("firing".equals(a.get("state").asText())) {
            Row row = rows.computeIfAbsent(key, k -> new Row(rule, entity, at));
            Span current = open.remove(row);
            fired[severity.ordinal()]++;
            if (current != null) {
                current.end = at; // escalated or lowered: the next span takes over
            }
            Span s = new Span(row, severity, at, number(a.get("value")), number(a.get("threshold")),
                    a.path("summary").asText(""));
            row.spans.add(s);
            open.put(row, s);
        } else {
            resolved[severity.ordinal()]++;
            Row row = rows.get(key);
            Span current = row == null ? null : open.remove(row);
            if (current == null) {
                unmatchedResolves++;
                return;
            }
            JsonNode endsAt = a.get("ends_at");
            current.end = endsAt == null || endsAt.isNull() ? at : Instant.parse(endsAt.asText()).toEpochMilli();
            last = Math.max(last, current.end);
            current.resolved = true;
            current.resolvedValue = number(a.get("value"));
        }
    }

    private static double number(JsonNode n) {
        return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
    }

    /** Rows by rule id, then by when they first fired. */
    public List<Row> rows() {
        List<Row> out = new ArrayList<>(rows.values());
        out.sort(Comparator.comparing((Row r) -> r.rule).thenComparingLong(r -> r.first)
                .thenComparing(r -> r.entity));
        return out;
    }

    public List<Span> spans(Row row) {
        return row.spans;
    }

    public long spanCount() {
        long n = 0;
        for (Row r : rows.values()) {
            n += r.spans.size();
        }
        return n;
    }

    public long events() {
        return events;
    }

    public long fired(Severity s) {
        return fired[s.ordinal()];
    }

    public long resolved(Severity s) {
        return resolved[s.ordinal()];
    }

    /** Resolved events with no firing before them (none in a whole replay's output). */
    public long unmatchedResolves() {
        return unmatchedResolves;
    }

    /** Earliest and latest time of any event or span end; MAX/MIN_VALUE when empty. */
    public long firstTime() {
        return firstTime;
    }

    public long lastTime() {
        return last;
    }
}
