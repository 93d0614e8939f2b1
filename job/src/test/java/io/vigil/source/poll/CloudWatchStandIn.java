package io.vigil.source.poll;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CloudWatch's GetMetricData on loopback, in the service's AWS Query protocol: a form-encoded POST
 * signed with SigV4, answered with the XML the service model describes (GetMetricDataResponse /
 * GetMetricDataResult / MetricDataResults, NextToken) and errors as ErrorResponse (400 Throttling).
 * Its shape follows the service model (aws/aws-sdk-java-v2 services/cloudwatch/.../service-2.json:
 * protocol query, resultWrapper GetMetricDataResult) and the API reference's MetricDataResult
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataResult.html);
 * no recorded response of the real service was found to copy.
 * Every metric has one datapoint per period whose value is the period's start in epoch seconds;
 * an answer holds at most {@code pageSize} datapoints and a NextToken for the rest.
 */
final class CloudWatchStandIn implements AutoCloseable {
    private final HttpServer server;
    private final int pageSize;
    private final ConcurrentLinkedQueue<int[]> faults = new ConcurrentLinkedQueue<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger pagesFollowed = new AtomicInteger();
    final AtomicInteger faultsServed = new AtomicInteger();
    final AtomicInteger unsigned = new AtomicInteger();
    volatile Map<String, String> lastForm = new HashMap<>();

    CloudWatchStandIn(int pageSize) throws IOException {
        this.pageSize = pageSize;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The next {@code n} requests are throttled (400 Throttling). */
    void throttle(int n) {
        for (int i = 0; i < n; i++) {
            faults.add(new int[] {400});
        }
    }

    /** The next {@code n} requests get a 500 InternalFailure. */
    void fail(int n) {
        for (int i = 0; i < n; i++) {
            faults.add(new int[] {500});
        }
    }

    int pendingFaults() {
        return faults.size();
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            requests.incrementAndGet();
            String auth = x.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 Credential=")
                    || !auth.contains("/eu-west-1/monitoring/aws4_request")
                    || x.getRequestHeaders().getFirst("X-Amz-Date") == null) {
                unsigned.incrementAndGet();
                reply(x, 403, error("Sender", "IncompleteSignature", "Request must be signed with SigV4"));
                return;
            }
            Map<String, String> form = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            lastForm = form;
            int[] fault = faults.poll();
            if (fault != null) {
                faultsServed.incrementAndGet();
                reply(x, fault[0], fault[0] == 400 ? error("Sender", "Throttling", "Rate exceeded")
                        : error("Receiver", "InternalFailure", "The request processing has failed because of an unknown error"));
                return;
            }
            if (!"GetMetricData".equals(form.get("Action")) || !"2010-08-01".equals(form.get("Version"))) {
                reply(x, 400, error("Sender", "InvalidAction", "Could not find operation " + form.get("Action")));
                return;
            }
            reply(x, 200, answer(form));
        } finally {
            x.close();
        }
    }

    private String answer(Map<String, String> form) {
        long start = Instant.parse(form.get("StartTime")).getEpochSecond();
        long end = Instant.parse(form.get("EndTime")).getEpochSecond();
        String q = "MetricDataQueries.member.1.";
        long period = Long.parseLong(form.get(q + "MetricStat.Period"));
        long now = System.currentTimeMillis() / 1000;
        int offset = 0;
        if (form.containsKey("NextToken")) {
            offset = Integer.parseInt(form.get("NextToken").substring("page-".length()));
            pagesFollowed.incrementAndGet();
        }
        StringBuilder ts = new StringBuilder();
        StringBuilder vs = new StringBuilder();
        int i = 0;
        int shown = 0;
        String next = null;
        // datapoints exist for periods that have ended
        for (long t = (start + period - 1) / period * period; t < end && t + period <= now; t += period, i++) {
            if (i < offset) {
                continue;
            }
            if (shown == pageSize) {
                next = "page-" + i;
                break;
            }
            ts.append("<member>").append(Instant.ofEpochSecond(t)).append("</member>");
            vs.append("<member>").append((double) t).append("</member>");
            shown++;
        }
        return "<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">\n"
                + "  <GetMetricDataResult>\n"
                + "    <MetricDataResults>\n"
                + "      <member>\n"
                + "        <Timestamps>" + ts + "</Timestamps>\n"
                + "        <StatusCode>" + (next == null ? "Complete" : "PartialData") + "</StatusCode>\n"
                + "        <Values>" + vs + "</Values>\n"
                + "        <Id>" + form.get(q + "Id") + "</Id>\n"
                + "        <Label>" + form.get(q + "MetricStat.Metric.MetricName") + "</Label>\n"
                + "      </member>\n"
                + "    </MetricDataResults>\n"
                + (next == null ? "" : "    <NextToken>" + next + "</NextToken>\n")
                + "    <Messages/>\n"
                + "  </GetMetricDataResult>\n"
                + "  <ResponseMetadata>\n"
                + "    <RequestId>" + java.util.UUID.randomUUID() + "</RequestId>\n"
                + "  </ResponseMetadata>\n"
                + "</GetMetricDataResponse>\n";
    }

    private static String error(String type, String code, String message) {
        return "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">\n"
                + "  <Error>\n    <Type>" + type + "</Type>\n    <Code>" + code + "</Code>\n    <Message>" + message
                + "</Message>\n  </Error>\n  <RequestId>" + java.util.UUID.randomUUID() + "</RequestId>\n</ErrorResponse>\n";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String kv : body.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void reply(HttpExchange x, int status, String xml) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/xml");
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
