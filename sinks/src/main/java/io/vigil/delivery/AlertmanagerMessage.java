package io.vigil.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Label;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body Alertmanager's {@code POST /api/v2/alerts} takes for one alert: labels (which identify
 * the alert there, so they never change while it fires), annotations, {@code startsAt},
 * {@code endsAt} and {@code generatorURL}.
 */
public final class AlertmanagerMessage {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** As Prometheus: a firing alert is valid for four resend intervals, so one or two lost resends do not end it. */
    static final int VALID_RESENDS = 4;

    private AlertmanagerMessage() {}

    /**
     * The request body, a JSON array of one alert. A firing alert ends {@value #VALID_RESENDS}
     * resend intervals after {@code now} (each resend moves it on); a resolved one at its
     * resolution time.
     */
    public static String body(AlertEvent a, AlertmanagerRoute route, long now) {
        return body(new AlertEvent[] {a}, route, now);
    }

    /** The request body of several alerts, one array element each (Alertmanager groups them itself). */
    public static String body(AlertEvent[] alerts, AlertmanagerRoute route, long now) {
        ArrayNode root = MAPPER.createArrayNode();
        for (AlertEvent a : alerts) {
            add(root, a, route, now);
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an Alertmanager alert", e);
        }
    }

    private static void add(ArrayNode root, AlertEvent a, AlertmanagerRoute route, long now) {
        ObjectNode alert = root.addObject();
        ObjectNode labels = alert.putObject("labels");
        labels(a).forEach(labels::put);
        ObjectNode annotations = alert.putObject("annotations");
        annotations(a).forEach(annotations::put);
        // Alertmanager refuses an alert that ends before it starts: an event time ahead of this
        // clock (allowed up to event-time.max-ahead) starts now instead
        long startsAt = Math.min(a.startsAt, now);
        alert.put("startsAt", Instant.ofEpochMilli(startsAt).toString());
        alert.put("endsAt", Instant.ofEpochMilli(Math.max(startsAt, endsAt(a, route.resend().toMillis(), now))).toString());
        String generator = generatorUrl(a, route.generatorUrl());
        if (generator != null) {
            alert.put("generatorURL", generator);
        }
    }

    static long endsAt(AlertEvent a, long resendMillis, long now) {
        if (a.state == AlertState.RESOLVED) {
            return a.endsAt > 0 ? a.endsAt : now;
        }
        return now + VALID_RESENDS * resendMillis;
    }

    /**
     * {@code alertname} (the rule), {@code severity}, {@code rule_id}, {@code entity}; then the
     * rule's labels; then the entity's dimensions ({@code dataset}, {@code job}, {@code source},
     * or {@code metric} and the series' labels). A later one never replaces an earlier one; names
     * are made valid Alertmanager label names.
     */
    public static Map<String, String> labels(AlertEvent a) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("alertname", a.ruleId);
        out.put("severity", a.severity.wire());
        out.put("rule_id", a.ruleId);
        out.put("entity", a.entity == null ? "" : a.entity);
        for (Label l : a.labels == null ? new Label[0] : a.labels) {
            out.putIfAbsent(labelName(l.key), l.value == null ? "" : l.value);
        }
        dimensions(a.entity).forEach((k, v) -> out.putIfAbsent(labelName(k), v));
        return out;
    }

    /** The entity's parts: {@code dataset s3://lake/x} gives dataset, {@code metric m{k=v}} metric and k. */
    static Map<String, String> dimensions(String entity) {
        Map<String, String> out = new LinkedHashMap<>();
        if (entity == null) {
            return out;
        }
        int space = entity.indexOf(' ');
        if (space <= 0) {
            return out;
        }
        String kind = entity.substring(0, space);
        String key = entity.substring(space + 1);
        switch (kind) {
            case "dataset":
            case "source":
            case "job":
                out.put(kind, key);
                break;
            case "metric":
                int open = key.indexOf('{');
                if (open < 0 || !key.endsWith("}")) {
                    out.put("metric", key);
                    break;
                }
                out.put("metric", key.substring(0, open));
                String inner = key.substring(open + 1, key.length() - 1);
                for (String pair : inner.isEmpty() ? new String[0] : inner.split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        out.putIfAbsent(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                break;
            default:
                break;
        }
        return out;
    }

    /** Alertmanager label names are {@code [a-zA-Z_][a-zA-Z0-9_]*}: other characters become '_'. */
    static String labelName(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 1);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (i == 0 && c >= '0' && c <= '9') {
                sb.append('_').append(c);
            } else {
                sb.append(ok ? c : '_');
            }
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    /** summary, runbook_url (when there is one), value, threshold (when numeric) and alert_id. */
    public static Map<String, String> annotations(AlertEvent a) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("summary", a.summary == null ? "" : a.summary);
        if (a.runbookUrl != null && !a.runbookUrl.trim().isEmpty()) {
            out.put("runbook_url", a.runbookUrl.trim());
        }
        out.put("value", SlackMessage.number(a.value));
        if (Double.isFinite(a.threshold)) {
            out.put("threshold", SlackMessage.number(a.threshold));
        }
        out.put("alert_id", a.alertId);
        return out;
    }

    /** The route's template filled in, else an absolute http(s) runbook URL, else none. */
    static String generatorUrl(AlertEvent a, String template) {
        if (template != null) {
            return template.replace("{rule}", encode(a.ruleId)).replace("{alert_id}", encode(a.alertId));
        }
        String r = a.runbookUrl == null ? "" : a.runbookUrl.trim();
        String lower = r.toLowerCase(Locale.ROOT);
        boolean http = lower.startsWith("https://") || lower.startsWith("http://");
        if (!http || r.chars().anyMatch(c -> c <= ' ')) {
            return null;
        }
        try {
            // Alertmanager refuses the whole alert for a generatorURL that is not a URI
            java.net.URI.create(r);
            return r;
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
