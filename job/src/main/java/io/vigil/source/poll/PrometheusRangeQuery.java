package io.vigil.source.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One PromQL query evaluated with {@code /api/v1/query_range} at each step of a period range;
 * each series' point becomes a sample named after the query, labelled with the series' labels.
 */
public final class PrometheusRangeQuery implements Poller {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String promql;
    private final String baseUrl;
    private final Duration timeout;
    private transient HttpEndpoint http;

    /** @param baseUrl the Prometheus server, e.g. http://prometheus:9090 */
    public PrometheusRangeQuery(String name, String promql, String baseUrl, Duration timeout) {
        this.name = name;
        this.promql = promql;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
    }

    @Override
    public String id() {
        return "prometheus:" + name;
    }

    @Override
    public boolean replays() {
        return true;
    }

    @Override
    public void open() {
        http = new HttpEndpoint(timeout);
    }

    @Override
    public List<String> poll(long startMs, long endMs, long stepMs) throws PollFailure {
        // query_range evaluates at start, start+step, ... up to end inclusive: the last period's start
        URI uri = URI.create(baseUrl + "/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + seconds(startMs) + "&end=" + seconds(endMs - stepMs) + "&step=" + seconds(stepMs));
        String body = http.get(uri, Collections.emptyMap(), "prometheus query " + name);
        return samples(body, startMs, endMs);
    }

    /** The samples of a query_range answer with times in {@code [startMs, endMs)}. */
    List<String> samples(String body, long startMs, long endMs) throws PollFailure {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new PollFailure("prometheus query " + name + ": not JSON: " + e.getMessage(), false);
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new PollFailure("prometheus query " + name + ": " + root.path("errorType").asText() + ": "
                    + root.path("error").asText(), false);
        }
        JsonNode data = root.path("data");
        List<String> out = new ArrayList<>();
        for (JsonNode series : data.path("result")) {
            Map<String, String> labels = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = series.path("metric").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> l = it.next();
                if (!l.getKey().equals("__name__")) {
                    labels.put(l.getKey(), l.getValue().asText());
                }
            }
            for (JsonNode point : series.path("values")) {
                long t = new BigDecimal(point.get(0).asText()).movePointRight(3).longValue();
                if (t < startMs || t >= endMs) {
                    continue;
                }
                String line = SampleLine.of(name, PrometheusText.value(point.get(1).asText()), t, labels);
                if (line != null) {
                    out.add(line);
                }
            }
        }
        return out;
    }

    static String seconds(long ms) {
        return BigDecimal.valueOf(ms).movePointLeft(3).toPlainString();
    }

    @Override
    public void close() {}
}
