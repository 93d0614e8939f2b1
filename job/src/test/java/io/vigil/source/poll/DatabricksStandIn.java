package io.vigil.source.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Databricks workspace's {@code POST /api/2.1/clusters/events} on loopback, and the Secrets
 * Manager {@code GetSecretValue} that holds its token. Each cluster's log has an event every
 * {@link #EVERY_MS} (at its own offset, so an event time names its cluster), cycling through the
 * three events of the documentation example (NOTES.md of the databricks-cluster-events samples):
 * RESTARTING, RUNNING, TERMINATING (INACTIVITY), with their details. Pages answer with
 * {@code events}, {@code next_page} (the request with the next {@code offset}) and {@code total_count}.
 */
final class DatabricksStandIn implements AutoCloseable {
    static final String TOKEN = "dapi-vigil-test-0123456789abcdef";
    static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/databricks-AbCdEf";
    static final long EVERY_MS = 200;
    /** The clusters the workspace has; see {@link #offset} for where each one's events fall. */
    static final List<String> CLUSTERS = List.of("1202-211320-brick1", "0802-034608-aloe926");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Integer> faults = new ConcurrentLinkedQueue<>();
    final AtomicInteger pagesFollowed = new AtomicInteger();
    final AtomicInteger faultsServed = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();
    final AtomicInteger badRequests = new AtomicInteger();
    final AtomicInteger secretsFetched = new AtomicInteger();

    DatabricksStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/2.1/clusters/events", this::events);
        server.createContext("/", this::secretsManager);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    static long offset(String cluster) {
        return 37 + 100 * CLUSTERS.indexOf(cluster);
    }

    void fail(int n, int status) {
        for (int i = 0; i < n; i++) {
            faults.add(status);
        }
    }

    int pendingFaults() {
        return faults.size();
    }

    private void secretsManager(HttpExchange x) throws IOException {
        try {
            JsonNode req = JSON.readTree(x.getRequestBody().readAllBytes());
            if (!"secretsmanager.GetSecretValue".equals(x.getRequestHeaders().getFirst("X-Amz-Target"))
                    || !SECRET_ARN.equals(req.path("SecretId").asText())) {
                reply(x, 400, "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"no such secret\"}");
                return;
            }
            secretsFetched.incrementAndGet();
            ObjectNode out = JSON.createObjectNode().put("ARN", SECRET_ARN).put("Name", "vigil/databricks")
                    .put("SecretString", JSON.createObjectNode().put("token", TOKEN).toString());
            reply(x, 200, out.toString(), "application/x-amz-json-1.1");
        } finally {
            x.close();
        }
    }

    private void events(HttpExchange x) throws IOException {
        try {
            if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                unauthorized.incrementAndGet();
                reply(x, 401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Invalid access token.\"}");
                return;
            }
            JsonNode req = JSON.readTree(x.getRequestBody().readAllBytes());
            String cluster = req.path("cluster_id").asText();
            if (!x.getRequestMethod().equals("POST") || !CLUSTERS.contains(cluster) || !req.path("start_time").canConvertToLong()
                    || !req.path("end_time").canConvertToLong() || !"ASC".equals(req.path("order").asText())
                    || req.path("limit").asInt(0) < 1 || req.path("limit").asInt() > 500) {
                badRequests.incrementAndGet();
                reply(x, 400, "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"bad request\"}");
                return;
            }
            Integer fault = faults.poll();
            if (fault != null) {
                faultsServed.incrementAndGet();
                reply(x, fault, fault == 429
                        ? "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"Too many requests.\"}"
                        : "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"The service is temporarily unavailable.\"}");
                return;
            }
            reply(x, 200, page(req, cluster));
        } finally {
            x.close();
        }
    }

    /** The events of [start_time, end_time] (both inclusive, as the API has them) recorded by now, from offset. */
    private String page(JsonNode req, String cluster) {
        long start = req.get("start_time").asLong();
        long end = Math.min(req.get("end_time").asLong(), System.currentTimeMillis());
        int limit = req.get("limit").asInt();
        int offset = req.path("offset").asInt(0);
        if (offset > 0) {
            pagesFollowed.incrementAndGet();
        }
        List<Long> times = new ArrayList<>();
        long o = offset(cluster);
        for (long t = Math.floorDiv(start - o, EVERY_MS) * EVERY_MS + o; t <= end; t += EVERY_MS) {
            if (t >= start) {
                times.add(t);
            }
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode events = out.putArray("events");
        for (int i = offset; i < Math.min(times.size(), offset + limit); i++) {
            events.add(event(cluster, times.get(i)));
        }
        if (offset + limit < times.size()) {
            ObjectNode next = ((ObjectNode) req.deepCopy()).put("offset", offset + limit);
            out.set("next_page", next);
        }
        out.put("total_count", times.size());
        return out.toString();
    }

    private static ObjectNode event(String cluster, long t) {
        ObjectNode e = JSON.createObjectNode().put("cluster_id", cluster).put("timestamp", t);
        switch ((int) (Math.floorDiv(t, EVERY_MS) % 3)) {
            case 0:
                e.put("type", "RESTARTING").putObject("details").put("user", "admin");
                break;
            case 1:
                e.put("type", "RUNNING").putObject("details").put("current_num_workers", 2).put("target_num_workers", 2);
                break;
            default:
                e.put("type", "TERMINATING").putObject("details").putObject("reason").put("code", "INACTIVITY")
                        .putObject("parameters").put("inactivity_duration_min", "120");
        }
        return e;
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        reply(x, status, body, "application/json");
    }

    private static void reply(HttpExchange x, int status, String body, String type) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
