package io.vigil.source.poll;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Prometheus text exposition format (0.0.4): {@code name{label="value",...} value [ms]}
 * lines, counters, gauges, summaries and histograms alike ({@code _bucket} samples keep their
 * {@code le} label). Comments ({@code # HELP}, {@code # TYPE}) carry nothing a sample needs.
 */
public final class PrometheusText {
    private PrometheusText() {}

    /**
     * One JSON line per sample. A line that is not a sample is passed on as it is, so the metrics
     * parser dead-letters it with its text; NaN and infinite values are left out (JSON has none).
     *
     * @param defaultTime the time of samples without a timestamp
     * @param extra labels added to every sample unless it has them
     */
    public static List<String> samples(String body, long defaultTime, Map<String, String> extra) {
        List<String> out = new ArrayList<>();
        for (String raw : body.split("\n")) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            String json;
            try {
                json = sample(line, defaultTime, extra);
            } catch (IllegalArgumentException e) {
                json = line;
            }
            if (json != null) {
                out.add(json);
            }
        }
        return out;
    }

    private static String sample(String line, long defaultTime, Map<String, String> extra) {
        int i = skipSpace(line, 0);
        int nameStart = i;
        while (i < line.length() && isNameChar(line.charAt(i), i == nameStart)) {
            i++;
        }
        if (i == nameStart) {
            throw new IllegalArgumentException("no metric name");
        }
        String name = line.substring(nameStart, i);
        Map<String, String> labels = new TreeMap<>();
        i = skipSpace(line, i);
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        String[] rest = line.substring(i).trim().split("[ \t]+");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            throw new IllegalArgumentException("expected a value and an optional timestamp");
        }
        double value = value(rest[0]);
        long time = rest.length == 2 ? Long.parseLong(rest[1]) : defaultTime;
        extra.forEach(labels::putIfAbsent);
        return SampleLine.of(name, value, time, labels);
    }

    /** Reads {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace. */
    private static int labels(String line, int i, Map<String, String> into) {
        while (true) {
            i = skipSpace(line, i);
            if (i >= line.length()) {
                throw new IllegalArgumentException("unclosed label set");
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int start = i;
            while (i < line.length() && isNameChar(line.charAt(i), i == start) && line.charAt(i) != ':') {
                i++;
            }
            if (i == start) {
                throw new IllegalArgumentException("bad label name");
            }
            String key = line.substring(start, i);
            i = skipSpace(line, i);
            if (i >= line.length() || line.charAt(i) != '=') {
                throw new IllegalArgumentException("expected = after label " + key);
            }
            i = skipSpace(line, i + 1);
            if (i >= line.length() || line.charAt(i) != '"') {
                throw new IllegalArgumentException("expected a quoted value for label " + key);
            }
            StringBuilder v = new StringBuilder();
            i++;
            while (true) {
                if (i >= line.length()) {
                    throw new IllegalArgumentException("unclosed value of label " + key);
                }
                char c = line.charAt(i++);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && i < line.length()) {
                    char e = line.charAt(i++);
                    // the format escapes only backslash, quote and newline
                    v.append(e == 'n' ? '\n' : e);
                } else {
                    v.append(c);
                }
            }
            into.put(key, v.toString());
            i = skipSpace(line, i);
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            }
        }
    }

    /** A sample value: a Go float, or NaN, +Inf, -Inf. */
    static double value(String s) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(s);
        }
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
