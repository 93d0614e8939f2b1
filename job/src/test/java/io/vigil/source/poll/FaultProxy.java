package io.vigil.source.poll;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of a server: GETs are passed on, except that the test can queue
 * statuses (503, 429 with Retry-After) that the next requests get instead.
 */
final class FaultProxy implements AutoCloseable {
    private final URI target;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final ConcurrentLinkedQueue<Integer> faults = new ConcurrentLinkedQueue<>();
    final AtomicInteger forwarded = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();

    FaultProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code n} requests get {@code status} (429s ask to retry after 1 s). */
    void fail(int n, int status) {
        for (int i = 0; i < n; i++) {
            faults.add(status);
        }
    }

    int pendingFaults() {
        return faults.size();
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            Integer fault = faults.poll();
            byte[] body;
            int status;
            if (fault != null) {
                failed.incrementAndGet();
                status = fault;
                body = ("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"injected " + fault + "\"}").getBytes();
                if (fault == 429) {
                    x.getResponseHeaders().set("Retry-After", "1");
                }
            } else {
                HttpResponse<byte[]> r;
                try {
                    r = client.send(HttpRequest.newBuilder(target.resolve(x.getRequestURI().toString())).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                forwarded.incrementAndGet();
                status = r.statusCode();
                body = r.body();
                r.headers().firstValue("Content-Type").ifPresent(v -> x.getResponseHeaders().set("Content-Type", v));
            }
            x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream o = x.getResponseBody()) {
                    o.write(body);
                }
            }
        } finally {
            x.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
