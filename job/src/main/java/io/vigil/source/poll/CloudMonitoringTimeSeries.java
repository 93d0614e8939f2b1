package io.vigil.source.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import io.vigil.source.SecretCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Google Cloud Monitoring filter read with the REST v3 {@code timeSeries.list}, aligned to the
 * step ({@code aggregation.alignmentPeriod}) and following {@code nextPageToken}. A point of the
 * period ending at t becomes a sample at t - step named after the query, labelled with the
 * series' metric and resource labels. Credentials come from google-auth on the task manager.
 */
public final class CloudMonitoringTimeSeries implements Poller {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SCOPE = "https://www.googleapis.com/auth/monitoring.read";

    private final String name;
    private final String filter;
    private final String project;
    private final String aligner;
    /** The key's place (file, env:, secretsmanager:), or null for the environment's default credentials. */
    private final String credentialsSpec;
    private final String baseUrl;
    private final Duration timeout;
    private transient HttpEndpoint http;
    private transient Credentials credentials;

    public CloudMonitoringTimeSeries(String name, String filter, String project, String aligner, String credentialsSpec,
            String baseUrl, Duration timeout) {
        this.name = name;
        this.filter = filter;
        this.project = project;
        this.aligner = aligner;
        this.credentialsSpec = credentialsSpec;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
    }

    @Override
    public String id() {
        return "cloud-monitoring:" + name;
    }

    @Override
    public boolean replays() {
        return true;
    }

    @Override
    public void open() throws IOException {
        http = new HttpEndpoint(timeout);
        credentials = credentialsSpec != null ? SecretCredentials.of(credentialsSpec, SCOPE, null)
                : GoogleCredentials.getApplicationDefault().createScoped(SCOPE);
    }

    @Override
    public List<String> poll(long startMs, long endMs, long stepMs) throws PollFailure {
        List<String> out = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = page(startMs, endMs, stepMs, token);
            samples(page, startMs, endMs, stepMs, out);
            String next = page.path("nextPageToken").asText("");
            token = next.isEmpty() ? null : next;
            if (++pages > 1000) {
                throw new PollFailure("cloud monitoring " + name + ": more than 1000 pages", false);
            }
        } while (token != null);
        return out;
    }

    URI uri(long startMs, long endMs, long stepMs, String token) {
        String q = "filter=" + encode(filter)
                + "&interval.startTime=" + encode(Instant.ofEpochMilli(startMs).toString())
                + "&interval.endTime=" + encode(Instant.ofEpochMilli(endMs).toString())
                + "&aggregation.alignmentPeriod=" + (stepMs / 1000) + "s"
                + "&aggregation.perSeriesAligner=" + aligner
                + (token == null ? "" : "&pageToken=" + encode(token));
        return URI.create(baseUrl + "/v3/projects/" + encode(project) + "/timeSeries?" + q);
    }

    private JsonNode page(long startMs, long endMs, long stepMs, String token) throws PollFailure {
        String what = "cloud monitoring " + name;
        URI uri = uri(startMs, endMs, stepMs, token);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
        try {
            for (Map.Entry<String, List<String>> h : credentials.getRequestMetadata(uri).entrySet()) {
                h.getValue().forEach(v -> b.header(h.getKey(), v));
            }
        } catch (IOException e) {
            // the token endpoint or the key's place did not answer: worth retrying
            throw new PollFailure(what + ": no access token: " + e.getMessage(), true, -1, e);
        }
        HttpResponse<String> r = http.send(b, what);
        if (r.statusCode() == 401) {
            try {
                credentials.refresh(); // an expired or revoked token: a fresh one for the next attempt
            } catch (IOException e) {
                // the next attempt reports it
            }
            throw new PollFailure(what + ": HTTP 401", true, -1, null);
        }
        if (r.statusCode() != 200) {
            throw PollFailure.ofStatus(r.statusCode(), what,
                    HttpEndpoint.retryAfter(r.headers().firstValue("Retry-After").orElse(null)));
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new PollFailure(what + ": not JSON: " + e.getMessage(), false);
        }
    }

    void samples(JsonNode page, long startMs, long endMs, long stepMs, List<String> out) throws PollFailure {
        for (JsonNode series : page.path("timeSeries")) {
            Map<String, String> labels = new TreeMap<>();
            copy(series.path("resource").path("labels"), labels);
            copy(series.path("metric").path("labels"), labels);
            List<long[]> order = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (JsonNode point : series.path("points")) {
                long t;
                try {
                    t = Instant.parse(point.path("interval").path("endTime").asText()).toEpochMilli() - stepMs;
                } catch (RuntimeException e) {
                    throw new PollFailure("cloud monitoring " + name + ": bad point time " + point.path("interval"), false);
                }
                if (t < startMs || t >= endMs) {
                    continue;
                }
                String line = SampleLine.of(name, value(point.path("value")), t, labels);
                if (line != null) {
                    order.add(new long[] {t, lines.size()});
                    lines.add(line);
                }
            }
            // the API lists a series' points newest first
            order.sort((a, b) -> Long.compare(a[0], b[0]));
            order.forEach(o -> out.add(lines.get((int) o[1])));
        }
    }

    private static double value(JsonNode v) {
        if (v.has("doubleValue")) {
            return v.get("doubleValue").asDouble();
        }
        if (v.has("int64Value")) {
            return Double.parseDouble(v.get("int64Value").asText()); // int64 travels as a JSON string
        }
        if (v.has("boolValue")) {
            return v.get("boolValue").asBoolean() ? 1 : 0;
        }
        if (v.has("distributionValue")) {
            return v.get("distributionValue").path("mean").asDouble(0);
        }
        return Double.NaN; // strings and money: no sample
    }

    private static void copy(JsonNode from, Map<String, String> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> l = it.next();
            into.put(l.getKey(), l.getValue().asText());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {}
}
