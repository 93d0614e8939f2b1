package io.vigil.source.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cloud Monitoring's REST v3 {@code projects.timeSeries.list} on loopback, with an OAuth token
 * endpoint for a service-account key it makes (its {@code token_uri} points here, so google-auth
 * goes through its real JWT-bearer exchange). Two Pub/Sub subscriptions' num_undelivered_messages,
 * one series a page; each aligned point's value is its period's start in epoch seconds.
 */
final class CloudMonitoringStandIn implements AutoCloseable {
    static final String TOKEN = "ya29.vigil-test-token";
    static final List<String> SUBSCRIPTIONS = List.of("orders-dataflow", "clicks-dataflow");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Integer> faults = new ConcurrentLinkedQueue<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    final AtomicInteger pagesFollowed = new AtomicInteger();
    final AtomicInteger faultsServed = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();
    volatile Map<String, String> lastQuery = new HashMap<>();

    CloudMonitoringStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/v3/", this::timeSeries);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Writes a service-account key (a fresh RSA key) whose token_uri is this stand-in. */
    Path serviceAccountKey(Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode key = JSON.createObjectNode().put("type", "service_account").put("project_id", "vigil-test")
                .put("private_key_id", "vigil-test-key").put("private_key", pem)
                .put("client_email", "vigil@vigil-test.iam.gserviceaccount.com").put("client_id", "1")
                .put("token_uri", url() + "/token");
        Path file = dir.resolve("service-account.json");
        Files.writeString(file, key.toString());
        return file;
    }

    void fail(int n, int status) {
        for (int i = 0; i < n; i++) {
            faults.add(status);
        }
    }

    int pendingFaults() {
        return faults.size();
    }

    private void token(HttpExchange x) throws IOException {
        try {
            String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!form.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer") || !form.contains("assertion=")) {
                reply(x, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
            tokensIssued.incrementAndGet();
            reply(x, 200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
        } finally {
            x.close();
        }
    }

    private void timeSeries(HttpExchange x) throws IOException {
        try {
            if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                unauthorized.incrementAndGet();
                reply(x, 401, error(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED"));
                return;
            }
            if (!x.getRequestURI().getPath().equals("/v3/projects/vigil-test/timeSeries")) {
                reply(x, 404, error(404, "Not found", "NOT_FOUND"));
                return;
            }
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            lastQuery = q;
            Integer fault = faults.poll();
            if (fault != null) {
                faultsServed.incrementAndGet();
                reply(x, fault, error(fault, fault == 429 ? "Quota exceeded for quota metric 'Time series queries'"
                        : "The service is currently unavailable.", fault == 429 ? "RESOURCE_EXHAUSTED" : "UNAVAILABLE"));
                return;
            }
            reply(x, 200, page(q));
        } finally {
            x.close();
        }
    }

    private String page(Map<String, String> q) {
        long start = Instant.parse(q.get("interval.startTime")).getEpochSecond();
        long end = Instant.parse(q.get("interval.endTime")).getEpochSecond();
        String p = q.get("aggregation.alignmentPeriod");
        long period = Long.parseLong(p.substring(0, p.length() - 1));
        int index = 0;
        if (q.containsKey("pageToken")) {
            index = Integer.parseInt(q.get("pageToken").substring("series-".length()));
            pagesFollowed.incrementAndGet();
        }
        long now = System.currentTimeMillis() / 1000;
        ObjectNode out = JSON.createObjectNode();
        ArrayNode series = out.putArray("timeSeries");
        ObjectNode s = series.addObject();
        s.putObject("metric").put("type", "pubsub.googleapis.com/subscription/num_undelivered_messages");
        s.putObject("resource").put("type", "pubsub_subscription").putObject("labels")
                .put("project_id", "vigil-test").put("subscription_id", SUBSCRIPTIONS.get(index));
        s.put("metricKind", "GAUGE").put("valueType", "INT64");
        ArrayNode points = s.putArray("points");
        // aligned points end on period boundaries in (start, end], newest first as the API lists them
        for (long t = end / period * period; t > start; t -= period) {
            if (t > now) {
                continue;
            }
            ObjectNode pt = points.addObject();
            pt.putObject("interval").put("startTime", Instant.ofEpochSecond(t).toString()).put("endTime", Instant.ofEpochSecond(t).toString());
            pt.putObject("value").put("int64Value", String.valueOf(t - period));
        }
        if (index + 1 < SUBSCRIPTIONS.size()) {
            out.put("nextPageToken", "series-" + (index + 1));
        }
        return out.toString();
    }

    private static String error(int code, String message, String status) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\"}}";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void reply(HttpExchange x, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        x.sendResponseHeaders(status, body.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
