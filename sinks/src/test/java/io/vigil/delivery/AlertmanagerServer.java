package io.vigil.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}) on a free loopback
 * port, started once per test class: clustering off, storage and configuration in a temporary
 * directory, one route grouping by {@code alertname} (group_wait 1 s, group_interval 2 s) to a
 * webhook receiver that this extension runs on loopback too, so a test sees the notifications
 * Alertmanager sends (with {@code send_resolved}). Fails, saying how to install it, when the
 * binary is missing.
 */
public class AlertmanagerServer implements BeforeAllCallback, AfterAllCallback {
    static final String INSTALL = "apt-get update && apt-get install -y prometheus-alertmanager";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    private Path dir;
    private HttpServer receiver;
    private Process process;
    private int port;

    /** The Alertmanager binary: Debian's name, or upstream's, on the PATH. */
    static Path binary() {
        for (String name : new String[] {"prometheus-alertmanager", "alertmanager"}) {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                Path p = Paths.get(d, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path bin = binary();
        if (bin == null) {
            throw new IllegalStateException("prometheus-alertmanager is not installed; the Alertmanager tests run "
                    + "against the real one: " + INSTALL);
        }
        dir = Files.createTempDirectory("vigil-alertmanager");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                notifications.add(JSON.readTree(in));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        port = freePort();
        String config = "route:\n"
                + "  receiver: vigil-test\n"
                + "  group_by: [alertname]\n"
                + "  group_wait: 1s\n"
                + "  group_interval: 2s\n"
                + "  repeat_interval: 1h\n"
                + "receivers:\n"
                + "  - name: vigil-test\n"
                + "    webhook_configs:\n"
                + "      - url: http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\n"
                + "        send_resolved: true\n";
        Path configFile = dir.resolve("alertmanager.yml");
        Files.write(configFile, config.getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("data"));
        process = new ProcessBuilder(bin.toString(), "--config.file=" + configFile,
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!ready()) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("Alertmanager did not get ready on port " + port + "; its log:\n" + log());
            }
            Thread.sleep(100);
        }
    }

    private boolean ready() {
        try {
            return client.send(HttpRequest.newBuilder(url().resolve("/-/ready")).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** Alertmanager's base URL, what a route points at. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** What Alertmanager logged so far. */
    public String log() throws IOException {
        Path log = dir.resolve("alertmanager.log");
        return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "(no log)";
    }

    /** GET /api/v2/alerts: the alerts it holds that have not ended. */
    public List<JsonNode> alerts() throws Exception {
        return list(get("/api/v2/alerts"));
    }

    /** GET /api/v2/alerts/groups: the alerts as its route groups them. */
    public List<JsonNode> groups() throws Exception {
        return list(get("/api/v2/alerts/groups"));
    }

    /** POST /api/v2/silences: silences alerts whose {@code alertname} is {@code alertname}; returns its id. */
    public String silence(String alertname, Duration length) throws Exception {
        ObjectNode s = JSON.createObjectNode();
        ArrayNode matchers = s.putArray("matchers");
        ObjectNode m = matchers.addObject();
        m.put("name", "alertname");
        m.put("value", alertname);
        m.put("isRegex", false);
        m.put("isEqual", true);
        Instant now = Instant.now();
        s.put("startsAt", now.toString());
        s.put("endsAt", now.plus(length).toString());
        s.put("createdBy", "vigil-test");
        s.put("comment", "silenced by the Alertmanager ITCase");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(url().resolve("/api/v2/silences"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(s))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("silence refused: HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("silenceID").asText();
    }

    /** The webhook notifications Alertmanager sent, oldest first. */
    public List<JsonNode> notifications() {
        return new ArrayList<>(notifications);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(url().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
