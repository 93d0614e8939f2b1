package io.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Headless Chromium for the tests of a class, driven over the DevTools protocol (a WebSocket,
 * JSON by Jackson): open a page, read its script errors, console errors and requests, evaluate
 * expressions, take screenshots. Uses Debian's {@code chromium}, or the binary in {@code CHROMIUM}.
 */
public class HeadlessChromium implements BeforeAllCallback, AfterAllCallback {
    public static final String INSTALL = "install it with: sudo apt-get install -y chromium (Debian/Ubuntu; .ci/run does it),"
            + " or set CHROMIUM to a Chromium or Chrome binary";
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Process process;
    private Path profile;
    private int port;
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String binary = binary();
        if (binary == null) {
            throw new IllegalStateException("this test needs headless Chromium and found none on the PATH; " + INSTALL);
        }
        profile = Files.createTempDirectory("vigil-chromium");
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless=new", "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1", "--user-data-dir=" + profile, "--no-first-run",
                "--no-default-browser-check", "--disable-gpu", "--disable-extensions", "--disable-background-networking",
                "--disable-dev-shm-usage", "--allow-file-access-from-files", "--hide-scrollbars", "about:blank"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add(1, "--no-sandbox"); // Chromium's sandbox refuses to run as root (containers, CI)
        }
        process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> ws = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    stderr.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        ws.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                // the process ended: its stream closes
            }
            ws.completeExceptionally(new IllegalStateException("chromium exited before listening: " + stderr));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        URI browser = URI.create(ws.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        port = browser.getPort();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (profile != null) {
            try (Stream<Path> s = Files.walk(profile)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** The Chromium binary: $CHROMIUM, else the first of the usual names on the PATH, else null. */
    static String binary() {
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank()) {
            return env;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
                Path p = Paths.get(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    /** A new tab of {@code width} x {@code height} CSS pixels, with the script and console errors recorded. */
    public Page newPage(int width, int height) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/new?about:blank"))
                .PUT(HttpRequest.BodyPublishers.noBody()).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("chromium /json/new: " + r.statusCode() + " " + r.body());
        }
        JsonNode target = JSON.readTree(r.body());
        Page page = new Page(target.get("id").asText());
        page.socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(URI.create(target.get("webSocketDebuggerUrl").asText()), page).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        page.call("Runtime.enable", null);
        page.call("Log.enable", null);
        page.call("Page.enable", null);
        page.call("Network.enable", null);
        ObjectNode metrics = JSON.createObjectNode().put("width", width).put("height", height).put("deviceScaleFactor", 1)
                .put("mobile", false);
        page.call("Emulation.setDeviceMetricsOverride", metrics);
        return page;
    }

    /** One tab over its DevTools WebSocket. */
    public final class Page implements WebSocket.Listener, AutoCloseable {
        private final String targetId;
        private WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
        /** Uncaught exceptions, console.error calls and error log entries, as text. */
        public final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        /** Every URL the page requested. */
        public final List<String> requests = Collections.synchronizedList(new ArrayList<>());

        private Page(String targetId) {
            this.targetId = targetId;
        }

        /** Sends one command and waits for its result. */
        public JsonNode call(String method, ObjectNode params) throws Exception {
            int id = ids.incrementAndGet();
            ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
            if (params != null) {
                msg.set("params", params);
            }
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            calls.put(id, f);
            socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode reply = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + ": " + reply.get("error"));
            }
            return reply.path("result");
        }

        /** Opens {@code file} and waits for its load event. */
        public void open(Path file) throws Exception {
            loaded = new CompletableFuture<>();
            call("Page.navigate", JSON.createObjectNode().put("url", file.toAbsolutePath().toUri().toString()));
            loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        /** The value of a JavaScript expression (awaited if a promise); a thrown error fails. */
        public JsonNode evaluate(String expression) throws Exception {
            JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                    .put("returnByValue", true).put("awaitPromise", true));
            if (r.has("exceptionDetails")) {
                throw new IllegalStateException("evaluate " + expression + ": " + r.get("exceptionDetails"));
            }
            return r.path("result").path("value");
        }

        /** A PNG of the whole page (up to {@code maxHeight} CSS pixels tall) written to {@code file}. */
        public void screenshot(Path file, int width, int maxHeight) throws Exception {
            JsonNode m = call("Page.getLayoutMetrics", null);
            int height = (int) Math.min(maxHeight, Math.ceil(m.path("cssContentSize").path("height").asDouble(900)));
            call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                    .put("deviceScaleFactor", 1).put("mobile", false));
            JsonNode shot = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onMessage(JSON.readTree(text));
                } catch (IOException e) {
                    errors.add("unreadable DevTools message: " + e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }

        private void onMessage(JsonNode msg) {
            if (msg.has("id")) {
                CompletableFuture<JsonNode> f = calls.remove(msg.get("id").asInt());
                if (f != null) {
                    f.complete(msg);
                }
                return;
            }
            JsonNode p = msg.path("params");
            switch (msg.path("method").asText()) {
                case "Page.loadEventFired":
                    loaded.complete(null);
                    break;
                case "Runtime.exceptionThrown":
                    JsonNode d = p.path("exceptionDetails");
                    errors.add("exception: " + d.path("exception").path("description").asText(d.path("text").asText())
                            + " at " + d.path("url").asText() + ":" + d.path("lineNumber").asInt());
                    break;
                case "Runtime.consoleAPICalled":
                    if ("error".equals(p.path("type").asText()) || "assert".equals(p.path("type").asText())) {
                        errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
                    }
                    break;
                case "Log.entryAdded":
                    if ("error".equals(p.path("entry").path("level").asText())) {
                        errors.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
                    }
                    break;
                case "Network.requestWillBeSent":
                    requests.add(p.path("request").path("url").asText());
                    break;
                default:
                    break;
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            errors.add("DevTools socket: " + error);
            calls.values().forEach(f -> f.completeExceptionally(error));
        }

        @Override
        public void close() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/close/" + targetId))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
