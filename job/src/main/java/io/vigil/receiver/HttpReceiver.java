package io.vigil.receiver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.config.ReceiverConfig;
import io.vigil.delivery.SecretRef;
import io.vigil.parse.WebhookSignature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;

/**
 * The local HTTP way in of {@code bin/vigil run}: {@code POST /api/v1/lineage} (OpenLineage's HTTP
 * transport) and {@code POST /api/v1/github} (GitHub webhooks). A request is answered 200 only
 * once its lines are synced to the {@link Spool} the job's watched file input reads, so an
 * acknowledged event survives a crash of the receiver or of the job.
 */
public final class HttpReceiver implements AutoCloseable {
    public static final String LINEAGE_PATH = "/api/v1/lineage";
    public static final String GITHUB_PATH = "/api/v1/github";
    /** Under the OpenLineage Python client's default 5 s timeout: a late answer still reaches it. */
    static final long ACK_TIMEOUT_MS = 4_000;
    private static final int THREADS = 32;

    private final HttpServer server;
    private final ExecutorService threads;
    private final Spool lineage;
    private final Spool github;
    /** "Bearer TOKEN" as bytes, or null when no token is asked for. */
    private final byte[] bearer;
    private final WebhookSignature signature;
    private final long maxBody;

    private HttpReceiver(HttpServer server, ExecutorService threads, Spool lineage, Spool github, String token,
            WebhookSignature signature, long maxBody) {
        this.server = server;
        this.threads = threads;
        this.lineage = lineage;
        this.github = github;
        this.bearer = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.signature = signature;
        this.maxBody = maxBody;
    }

    /** Resolves the configured secrets, opens the spools and starts listening. */
    public static HttpReceiver start(ReceiverConfig c) throws IOException {
        String token = c.token == null ? null : resolve(c.token, "token");
        WebhookSignature sig = c.githubSecret == null ? null
                : new WebhookSignature(resolve(c.githubSecret, "github.secret"));
        Spool lineage = Spool.open(c.lineageSpool(), "lineage", c.rollBytes, c.rollInterval);
        Spool github = sig == null ? null : Spool.open(c.githubSpool(), "github", c.rollBytes, c.rollInterval);
        HttpServer server = HttpServer.create(new InetSocketAddress(c.bind, c.port), 128);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "vigil-receiver");
            t.setDaemon(true);
            return t;
        });
        HttpReceiver r = new HttpReceiver(server, threads, lineage, github, token, sig, c.maxBody);
        server.setExecutor(threads);
        server.createContext("/", r::handle);
        server.start();
        return r;
    }

    /** The secret a reference names: env:VAR, secretsmanager:ARN[#key], or the value itself. */
    private static String resolve(String ref, String key) {
        SecretRef s = SecretRef.parse(ref);
        SecretsManagerAsyncClient[] made = new SecretsManagerAsyncClient[1];
        try {
            return s.resolve(region -> made[0] = region == null ? SecretsManagerAsyncClient.create()
                    : SecretsManagerAsyncClient.builder().region(Region.of(region)).build()).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("receiver." + key + ": " + e.getCause().getMessage());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("receiver." + key + ": " + s + " not fetched in time");
        } finally {
            if (made[0] != null) {
                made[0].close();
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Spool lineageSpool() {
        return lineage;
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getPath();
            boolean isLineage = path.equals(LINEAGE_PATH);
            boolean isGithub = path.equals(GITHUB_PATH) && github != null;
            if (!isLineage && !isGithub) {
                answer(x, 404, "no such endpoint; POST " + LINEAGE_PATH + (github == null ? "" : " or " + GITHUB_PATH));
                return;
            }
            if (!x.getRequestMethod().equals("POST")) {
                x.getResponseHeaders().set("Allow", "POST");
                answer(x, 405, "POST only");
                return;
            }
            if (isLineage && bearer != null && !authorised(x.getRequestHeaders().getFirst("Authorization"))) {
                x.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                answer(x, 401, "missing or wrong bearer token");
                return;
            }
            String declared = x.getRequestHeaders().getFirst("Content-Length");
            if (declared != null && parseLong(declared) > maxBody) {
                // the body stays unread: the connection cannot carry another request, and a client
                // reusing it would meet a reset
                x.getResponseHeaders().set("Connection", "close");
                answer(x, 413, "body over " + maxBody + " bytes");
                return;
            }
            byte[] body = read(x.getRequestBody(), maxBody);
            if (body == null) {
                x.getResponseHeaders().set("Connection", "close");
                answer(x, 413, "body over " + maxBody + " bytes");
                return;
            }
            List<byte[]> lines;
            Spool spool;
            if (isLineage) {
                String enc = x.getRequestHeaders().getFirst("Content-Encoding");
                if (enc != null && enc.trim().equalsIgnoreCase("gzip")) {
                    try {
                        body = read(new GZIPInputStream(new java.io.ByteArrayInputStream(body)), maxBody);
                    } catch (IOException e) {
                        answer(x, 400, "body is not gzip");
                        return;
                    }
                    if (body == null) {
                        answer(x, 413, "body over " + maxBody + " bytes once decompressed");
                        return;
                    }
                } else if (enc != null && !enc.trim().isEmpty() && !enc.trim().equalsIgnoreCase("identity")) {
                    answer(x, 415, "Content-Encoding " + enc + " not supported; gzip or none");
                    return;
                }
                if (body.length == 0) {
                    answer(x, 400, "empty body");
                    return;
                }
                lines = RequestLines.of(body);
                spool = lineage;
            } else {
                if (!signature.verify(body, x.getRequestHeaders().getFirst(WebhookSignature.HEADER))) {
                    answer(x, 401, WebhookSignature.HEADER + " missing or does not match the body");
                    return;
                }
                String event = x.getRequestHeaders().getFirst("X-GitHub-Event");
                String delivery = x.getRequestHeaders().getFirst("X-GitHub-Delivery");
                lines = Collections.singletonList(RequestLines.github(event, delivery, body));
                spool = github;
            }
            if (lines.isEmpty()) {
                answer(x, 200, "{\"accepted\":0}");
                return;
            }
            try {
                spool.append(lines).get(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // not acknowledged: the client retries (a late write may then be read twice)
                x.getResponseHeaders().set("Retry-After", "1");
                answer(x, 503, "not stored: " + (e instanceof TimeoutException ? "disk too slow" : e.getCause().getMessage()));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer(x, 503, "shutting down");
                return;
            }
            answer(x, 200, "{\"accepted\":" + lines.size() + "}");
        } finally {
            x.close();
        }
    }

    private boolean authorised(String header) {
        // constant time: the comparison does not stop at the first wrong byte
        return header != null && MessageDigest.isEqual(bearer, header.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** The whole stream, or null when it holds more than {@code max} bytes. */
    private static byte[] read(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void answer(HttpExchange x, int status, String message) throws IOException {
        boolean json = message.startsWith("{");
        byte[] body = (json ? message : "{\"error\":\"" + message.replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops listening (requests in flight get up to a second), then closes the spools. */
    @Override
    public void close() throws IOException {
        server.stop(1);
        threads.shutdown();
        lineage.close();
        if (github != null) {
            github.close();
        }
    }

    @Override
    public String toString() {
        return "receiver on port " + port() + (bearer == null ? "" : " (bearer token)")
                + (signature == null ? "" : ", GitHub on " + GITHUB_PATH);
    }
}
