package io.vigil.source.poll;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** GETs and POSTs over java.net.http with a timeout, telling retryable failures (429, 5xx, no connection) from others. */
final class HttpEndpoint {
    private final HttpClient client;
    private final Duration timeout;

    HttpEndpoint(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The body of a 200 answer. */
    String get(URI uri, Map<String, String> headers, String what) throws PollFailure {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
        headers.forEach(b::header);
        HttpResponse<String> r = send(b, what);
        if (r.statusCode() != 200) {
            throw PollFailure.ofStatus(r.statusCode(), what, retryAfter(r.headers().firstValue("Retry-After").orElse(null)));
        }
        return r.body();
    }

    /** The body of a 200 answer to a POST of a JSON body. */
    String postJson(URI uri, Map<String, String> headers, String json, String what) throws PollFailure {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        headers.forEach(b::header);
        HttpResponse<String> r = send(b, what);
        if (r.statusCode() != 200) {
            throw PollFailure.ofStatus(r.statusCode(), what, retryAfter(r.headers().firstValue("Retry-After").orElse(null)));
        }
        return r.body();
    }

    /** The answer, whatever its status; no connection or a timeout is a retryable failure. */
    HttpResponse<String> send(HttpRequest.Builder b, String what) throws PollFailure {
        try {
            return client.send(b.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PollFailure(what + ": " + e, true, -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PollFailure(what + ": interrupted", false, -1, e);
        }
    }

    /** Retry-After in seconds as ms; -1 when absent or an HTTP date (then the backoff applies). */
    static long retryAfter(String v) {
        if (v == null) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(v.trim())) * 1000;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
