package io.vigil.config;

import io.vigil.delivery.AlertmanagerRoute;
import io.vigil.delivery.Grouping;
import io.vigil.delivery.SecretRef;
import io.vigil.delivery.SlackChannel;
import io.vigil.delivery.SlackRoute;
import io.vigil.delivery.SnsChannel;
import io.vigil.model.Severity;
import java.net.URI;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One validated {@code alerts.<name>} group: a place alert state changes go. Any number of
 * groups of any types combine; Slack groups are the routes of one Slack channel (tried in
 * {@code order}, then name), Alertmanager groups the routes of one Alertmanager channel (each
 * matching one gets the alert), and there is at most one SNS group (one topic per severity).
 */
public final class AlertOutput {
    /** Where the alerts go. */
    public enum Type {
        FILE,
        STDOUT,
        SLACK,
        SNS,
        ALERTMANAGER
    }

    public final String name;
    public final Type type;
    /** FILE: the JSON-lines file. */
    public final String path;
    /** STDOUT: alert JSON lines (true) or one line for people (false). */
    public final boolean json;
    /** SLACK: the route. */
    public final SlackRoute route;
    /** SLACK: where the route comes among the Slack routes (lowest first; ties by name). */
    public final int order;
    /** SNS: the channel. */
    public final SnsChannel sns;
    /** ALERTMANAGER: the route. */
    public final AlertmanagerRoute alertmanager;

    private AlertOutput(String name, Type type, String path, boolean json, SlackRoute route, int order, SnsChannel sns) {
        this(name, type, path, json, route, order, sns, null);
    }

    private AlertOutput(String name, Type type, String path, boolean json, SlackRoute route, int order, SnsChannel sns,
            AlertmanagerRoute alertmanager) {
        this.alertmanager = alertmanager;
        this.name = name;
        this.type = type;
        this.path = path;
        this.json = json;
        this.route = route;
        this.order = order;
        this.sns = sns;
    }

    /** The alert file written when no {@code alerts.*} group is configured. */
    static AlertOutput defaultFile(String outputDir) {
        return new AlertOutput("file", Type.FILE, java.nio.file.Paths.get(outputDir, "alerts.jsonl").toString(),
                true, null, 0, null);
    }

    static AlertOutput read(String name, ConfigGroup g, String outputDir) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new ConfigException("config: group '" + g.name + "': alert sink names use letters, digits, _, . and -");
        }
        Type type = g.required("type", s -> {
            try {
                return Type.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("'" + s + "' is not an alert sink type; expected file, stdout, slack, sns or alertmanager");
            }
        });
        g.type = type.name().toLowerCase(Locale.ROOT) + " alert sink";
        AlertOutput out;
        switch (type) {
            case FILE:
                out = new AlertOutput(name, type, g.get("path",
                        java.nio.file.Paths.get(outputDir, "alerts.jsonl").toString(), s -> s), true, null, 0, null);
                break;
            case STDOUT:
                boolean json = g.get("format", "json", s -> {
                    if (!s.equals("json") && !s.equals("text")) {
                        throw new IllegalArgumentException("'" + s + "' is not json or text");
                    }
                    return s.equals("json");
                });
                out = new AlertOutput(name, type, null, json, null, 0, null);
                break;
            case SLACK:
                out = new AlertOutput(name, type, null, false, slack(name, g), g.get("order", "0", Integer::parseInt), null);
                break;
            case ALERTMANAGER:
                out = new AlertOutput(name, type, null, false, null, 0, null, alertmanager(name, g));
                break;
            default:
                out = new AlertOutput(name, type, null, false, null, 0, sns(g));
        }
        g.rejectUnknown();
        return out;
    }

    private static SlackRoute slack(String name, ConfigGroup g) {
        SecretRef webhook = g.required("webhook", AlertOutput::webhook);
        SlackRoute route = SlackRoute.named(name, webhook);
        EnumSet<Severity> severities = g.get("severities", "critical,warning,info", AlertOutput::severities);
        Severity[] list = severities.toArray(new Severity[0]);
        route.severities(list[0], java.util.Arrays.copyOfRange(list, 1, list.length));
        Map<String, String> labels = g.get("labels", "", AlertOutput::labels);
        labels.forEach(route::label);
        g.get("match", "", AlertOutput::matchers).forEach(route::match);
        if (g.get("continue", "false", VigilConfig::bool)) {
            route.continueMatching();
        }
        route.timezone(g.get("timezone", "UTC", AlertOutput::zone));
        route.grouping(grouping(g));
        java.time.LocalTime digest = g.get("digest_at", null, AlertOutput::localTime);
        if (digest != null) {
            route.digestAt(digest);
        }
        return route;
    }

    /**
     * {@code group_by} (label names, or {@code ...}: no grouping, the default) and its timing,
     * as Alertmanager's route options; the timing keys need a group_by.
     */
    private static Grouping grouping(ConfigGroup g) {
        Grouping by = g.get("group_by", "...", s -> {
            if (s.trim().equals("...")) {
                return Grouping.NONE;
            }
            java.util.List<String> labels = new java.util.ArrayList<>();
            for (String part : s.split(",", -1)) {
                labels.add(part.trim());
            }
            return Grouping.by(labels);
        });
        java.time.Duration wait = g.get("group_wait", null, Durations::parse);
        java.time.Duration interval = g.get("group_interval", null, VigilConfig::positiveDuration);
        java.time.Duration repeat = g.get("repeat_interval", null, VigilConfig::positiveDuration);
        if (!by.groups()) {
            String[] timing = {"group_wait", "group_interval", "repeat_interval"};
            Object[] given = {wait, interval, repeat};
            for (int i = 0; i < timing.length; i++) {
                if (given[i] != null) {
                    throw ConfigException.at(g.name, timing[i], "only applies with a group_by");
                }
            }
            return by;
        }
        return by.groupWait(wait == null ? Grouping.DEFAULT_WAIT : wait)
                .groupInterval(interval == null ? Grouping.DEFAULT_INTERVAL : interval)
                .repeatInterval(repeat == null ? Grouping.DEFAULT_REPEAT : repeat);
    }

    private static AlertmanagerRoute alertmanager(String name, ConfigGroup g) {
        URI url = g.required("url", s -> {
            URI u = URI.create(s.trim());
            if (!AlertmanagerRoute.acceptsUrl(u)) {
                throw new IllegalArgumentException("'" + s + "' is not an http(s) URL without query, e.g. http://alertmanager:9093");
            }
            return u;
        });
        AlertmanagerRoute route = AlertmanagerRoute.named(name, url);
        EnumSet<Severity> severities = g.get("severities", "critical,warning,info", AlertOutput::severities);
        Severity[] list = severities.toArray(new Severity[0]);
        route.severities(list[0], java.util.Arrays.copyOfRange(list, 1, list.length));
        g.get("labels", "", AlertOutput::labels).forEach(route::label);
        g.get("match", "", AlertOutput::matchers).forEach(route::match);
        route.resend(g.get("resend", "1m", VigilConfig::positiveDuration));
        String generator = g.get("generator.url", null, s -> {
            VigilConfig.httpUrl(s.replace("{rule}", "r").replace("{alert_id}", "a"));
            return s;
        });
        if (generator != null) {
            route.generatorUrl(generator);
        }
        return route;
    }

    /** A time of day, {@code HH:mm}: 08:00. */
    private static java.time.LocalTime localTime(String s) {
        try {
            return java.time.LocalTime.parse(s.trim(), java.time.format.DateTimeFormatter.ofPattern("HH:mm"));
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("'" + s + "' is not a time of day HH:mm, e.g. 08:00");
        }
    }

    /** A time zone id: UTC, Europe/Paris, America/New_York, +02:00. */
    private static java.time.ZoneId zone(String s) {
        try {
            return java.time.ZoneId.of(s.trim());
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("'" + s + "' is not a time zone; expected e.g. UTC or Europe/Paris");
        }
    }

    /**
     * A webhook reference. A value given in the properties must be an https URL (http only on
     * loopback, for tests); the message never repeats the value, which is a secret.
     */
    private static SecretRef webhook(String s) {
        SecretRef ref = SecretRef.parse(s);
        if (ref.kind() == SecretRef.Kind.LITERAL) {
            String url = s.startsWith("literal:") ? s.substring("literal:".length()) : s;
            URI u;
            try {
                u = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a URL, env:VAR or secretsmanager:ARN (value not shown: it is a secret)");
            }
            if (!SlackChannel.acceptsWebhook(u)) {
                throw new IllegalArgumentException("not an https URL, env:VAR or secretsmanager:ARN (value not shown: it is a secret)");
            }
        }
        return ref;
    }

    private static SnsChannel sns(ConfigGroup g) {
        String all = g.get("topic", null, AlertOutput::topicArn);
        Map<Severity, String> topics = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            String t = g.get("topic." + s.wire(), all, AlertOutput::topicArn);
            if (t != null && !t.equals("none")) {
                topics.put(s, t);
            }
        }
        if (topics.isEmpty()) {
            throw ConfigException.at(g.name, "topic", "is required (or topic.critical, topic.warning, topic.info)");
        }
        SnsChannel sns = SnsChannel.topics(topics);
        sns.requestTimeout(g.get("timeout", "10s", VigilConfig::positiveDuration));
        sns.timezone(g.get("timezone", "UTC", AlertOutput::zone));
        sns.grouping(grouping(g));
        java.time.LocalTime digest = g.get("digest_at", null, AlertOutput::localTime);
        if (digest != null) {
            sns.digestAt(digest);
        }
        String endpoint = g.get("aws.endpoint", null, VigilConfig::httpUrl);
        if (endpoint != null) {
            sns.endpointOverride(URI.create(endpoint));
        }
        return sns;
    }

    private static String topicArn(String s) {
        if (s.equals("none")) {
            return s;
        }
        if (!s.matches("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?")) {
            throw new IllegalArgumentException("'" + s + "' is not an SNS topic ARN; expected arn:aws:sns:REGION:ACCOUNT:NAME (or none)");
        }
        return s;
    }

    private static EnumSet<Severity> severities(String s) {
        EnumSet<Severity> out = EnumSet.noneOf(Severity.class);
        for (String part : s.split(",")) {
            String p = part.trim();
            try {
                out.add(Severity.valueOf(p.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + p + "' is not a severity; expected critical, warning or info");
            }
        }
        return out;
    }

    /**
     * Alertmanager matchers, comma-separated ({@code severity=~"warning|critical",team!=loans}); a
     * comma inside double quotes belongs to the value. Every one must hold.
     */
    static java.util.List<io.vigil.rules.AlertMatcher> matchers(String s) {
        java.util.List<io.vigil.rules.AlertMatcher> out = new java.util.ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : ',';
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                if (!part.toString().trim().isEmpty()) {
                    out.add(io.vigil.rules.AlertMatcher.parse(part.toString()));
                }
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("'" + s + "' has an unclosed double quote");
        }
        return out;
    }

    /** {@code key=value,key=value}: every label must be on the alert. */
    private static Map<String, String> labels(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s.trim().isEmpty()) {
            return out;
        }
        for (String part : s.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not key=value");
            }
            out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return out;
    }

    @Override
    public String toString() {
        switch (type) {
            case FILE:
                return name + ": file " + path;
            case STDOUT:
                return name + ": stdout (" + (json ? "json" : "text") + ")";
            case SLACK:
                return name + ": slack " + route;
            case ALERTMANAGER:
                return name + ": alertmanager " + alertmanager;
            default:
                return name + ": " + sns;
        }
    }
}
