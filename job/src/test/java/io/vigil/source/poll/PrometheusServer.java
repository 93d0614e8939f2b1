package io.vigil.source.poll;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Prometheus (Debian's /usr/bin/prometheus) on a free loopback port with a temporary
 * config and storage, scraping every second a small exporter this extension runs, whose gauges the
 * test sets. Started before the tests and stopped after them.
 */
final class PrometheusServer implements BeforeAllCallback, AfterAllCallback {
    static final String BINARY = "/usr/bin/prometheus";

    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    private HttpServer exporter;
    private Process prometheus;
    private Path dir;
    private int port;

    /** Gauge {@code name} (no labels) as the exporter serves it from the next scrape on: read at each scrape. */
    void gauge(String name, DoubleSupplier value) {
        gauges.put(name, value);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    URI exporterUrl() {
        return URI.create("http://127.0.0.1:" + exporter.getAddress().getPort() + "/metrics");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.isExecutable(Paths.get(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's Prometheus with "
                    + "'apt-get update && apt-get install -y prometheus' (.ci/run does)");
        }
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", x -> {
            StringBuilder b = new StringBuilder();
            gauges.forEach((k, v) -> b.append("# TYPE ").append(k).append(" gauge\n").append(k).append(' ').append(v.getAsDouble()).append('\n'));
            byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            x.sendResponseHeaders(200, body.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            }
        });
        exporter.start();
        dir = Files.createTempDirectory("vigil-prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n  - job_name: vigil-exporter\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + exporter.getAddress().getPort() + "']\n");
        port = freePort();
        prometheus = new ProcessBuilder(BINARY, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--web.enable-lifecycle")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ready()) {
            if (!prometheus.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("prometheus did not get ready: " + Files.readString(dir.resolve("prometheus.log")));
            }
            Thread.sleep(200);
        }
    }

    private boolean ready() {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url() + "/-/ready").openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (exporter != null) {
            exporter.stop(0);
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
