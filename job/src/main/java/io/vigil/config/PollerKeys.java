package io.vigil.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the keys of a poller input group (prometheus, cloudwatch, cloud-monitoring, databricks-events). */
final class PollerKeys {
    private PollerKeys() {}

    static InputConfig.Poll read(ConfigGroup g, InputConfig.Type type) {
        boolean prometheus = type == InputConfig.Type.PROMETHEUS;
        boolean databricks = type == InputConfig.Type.DATABRICKS_EVENTS;
        List<String> scrape = prometheus ? g.get("scrape.urls", "", PollerKeys::urls) : new ArrayList<>();
        Map<String, String> queries = databricks ? null : prometheus && !scrape.isEmpty()
                ? g.get("queries", null, PollerKeys::queries) : g.required("queries", PollerKeys::queries);
        if (queries == null) {
            queries = new LinkedHashMap<>();
        }
        String url = databricks || prometheus && !queries.isEmpty() ? g.required("url", VigilConfig::httpUrl)
                : prometheus ? g.get("url", null, s -> {
                    throw new IllegalArgumentException("only used with queries");
                }) : null;
        Duration step = g.get("step", "60s", s -> {
            Duration d = VigilConfig.positiveDuration(s);
            if (d.toMillis() < 1000 || d.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("must be whole seconds, at least 1s");
            }
            return d;
        });
        Duration delay = g.get("delay", prometheus ? "30s" : "3m", Durations::parse);
        Duration lookback = g.get("lookback", "0s", Durations::parse);
        int maxPeriods = g.get("catch-up.max-periods", "60", VigilConfig::positiveInt);
        int attempts = g.get("retry.attempts", "5", VigilConfig::positiveInt);
        Duration backoff = g.get("retry.backoff", "1s", VigilConfig::positiveDuration);
        Duration maxBackoff = g.get("retry.max-backoff", "30s", VigilConfig::positiveDuration);
        if (maxBackoff.compareTo(backoff) < 0) {
            throw ConfigException.at(g.name, "retry.max-backoff", "is shorter than retry.backoff (" + backoff + ")");
        }
        Duration timeout = g.get("timeout", "10s", VigilConfig::positiveDuration);
        String region = null;
        String endpoint = null;
        String project = null;
        String credentials = null;
        if (type == InputConfig.Type.CLOUDWATCH) {
            long sec = step.getSeconds();
            if (!(sec == 1 || sec == 5 || sec == 10 || sec == 30 || sec % 60 == 0)) {
                throw ConfigException.at(g.name, "step", "CloudWatch periods are 1s, 5s, 10s, 30s or a multiple of 60s");
            }
            for (Map.Entry<String, String> q : queries.entrySet()) {
                try {
                    io.vigil.source.poll.CloudWatchQuery.parse(q.getKey(), q.getValue());
                } catch (IllegalArgumentException e) {
                    throw ConfigException.at(g.name, "queries", e.getMessage());
                }
            }
            region = g.required("aws.region", s -> {
                if (!s.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
                    throw new IllegalArgumentException("'" + s + "' is not an AWS region such as eu-west-1");
                }
                return s;
            });
            endpoint = g.get("aws.endpoint", null, VigilConfig::httpUrl);
        }
        String aligner = null;
        if (type == InputConfig.Type.CLOUD_MONITORING) {
            project = g.required("project", s -> {
                if (!s.matches("[a-z][a-z0-9-]{4,28}[a-z0-9]|[a-z0-9.:-]+")) {
                    throw new IllegalArgumentException("'" + s + "' is not a project id");
                }
                return s;
            });
            credentials = g.get("credentials", null, s -> {
                if (s.startsWith("secretsmanager:")) {
                    io.vigil.delivery.SecretRef.parse(s);
                } else if (s.startsWith("env:")) {
                    String v = System.getenv(s.substring(4));
                    if (v == null || v.isBlank()) {
                        throw new IllegalArgumentException("environment variable '" + s.substring(4) + "' is not set");
                    }
                } else if (!Files.isRegularFile(Paths.get(s))) {
                    throw new IllegalArgumentException("no such file " + s + " (or use env:VAR or secretsmanager:ARN)");
                }
                return s;
            });
            aligner = g.get("aligner", "ALIGN_MEAN", s -> {
                if (!s.matches("ALIGN_[A-Z0-9_]+")) {
                    throw new IllegalArgumentException("'" + s + "' is not a Cloud Monitoring aligner such as ALIGN_MEAN");
                }
                return s;
            });
            endpoint = g.get("endpoint", null, VigilConfig::httpUrl);
        }
        List<String> clusters = new ArrayList<>();
        String token = null;
        int pageSize = 0;
        String secretsEndpoint = null;
        if (databricks) {
            clusters = g.required("clusters", PollerKeys::clusters);
            token = g.required("token", s -> {
                io.vigil.source.TaskSecret.of(s, null);
                return s.trim();
            });
            pageSize = g.get("page.size", "500", s -> {
                int n = VigilConfig.positiveInt(s);
                if (n > 500) {
                    throw new IllegalArgumentException("the Clusters API pages at most 500 events");
                }
                return n;
            });
            secretsEndpoint = g.get("secretsmanager.endpoint", null, VigilConfig::httpUrl);
        }
        return new InputConfig.Poll(queries, url, scrape, step, delay, lookback, maxPeriods, attempts, backoff,
                maxBackoff, timeout, region, endpoint, project, credentials, aligner, clusters, token, pageSize,
                secretsEndpoint);
    }

    /** Comma-separated cluster ids, each once. */
    private static List<String> clusters(String s) {
        List<String> out = new ArrayList<>();
        for (String c : s.split(",")) {
            String id = c.trim();
            if (id.isEmpty()) {
                continue;
            }
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                throw new IllegalArgumentException("'" + id + "' is not a cluster id such as 1202-211320-brick1");
            }
            if (out.contains(id)) {
                throw new IllegalArgumentException("cluster " + id + " is given twice");
            }
            out.add(id);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no cluster id");
        }
        return out;
    }

    private static List<String> urls(String s) {
        List<String> out = new ArrayList<>();
        for (String u : s.split(",")) {
            if (!u.isBlank()) {
                out.add(VigilConfig.httpUrl(u.trim()));
            }
        }
        return out;
    }

    /** {@code NAME=QUERY;NAME=QUERY}, or a file of NAME=QUERY lines (# comments). */
    static Map<String, String> queries(String s) {
        List<String> entries = new ArrayList<>();
        Path file = Paths.get(s.trim());
        if (!s.contains("=") && Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && !line.trim().startsWith("#")) {
                        entries.add(line);
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
        } else {
            for (String e : s.split(";")) {
                if (!e.isBlank()) {
                    entries.add(e);
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            String name = eq < 0 ? "" : e.substring(0, eq).trim();
            if (!name.matches("[A-Za-z_:][A-Za-z0-9_:.]*")) {
                throw new IllegalArgumentException("'" + e.trim() + "' is not NAME=QUERY with a metric name (letters, digits, _ : .)"
                        + (eq < 0 && !s.contains("=") ? " (nor a file)" : ""));
            }
            String q = e.substring(eq + 1).trim();
            if (q.isEmpty()) {
                throw new IllegalArgumentException("query " + name + " is empty");
            }
            if (out.put(name, q) != null) {
                throw new IllegalArgumentException("query " + name + " is given twice");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no query");
        }
        return out;
    }
}
