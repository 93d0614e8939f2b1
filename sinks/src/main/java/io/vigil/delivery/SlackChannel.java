package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClientBuilder;

/**
 * Slack incoming webhooks. Routes are tried in order and the first match wins (a route marked
 * {@link SlackRoute#continueMatching()} lets the alert go on to the next match). Each webhook gets
 * at most one message per {@link #minInterval(Duration)} (Slack allows one per second) and one
 * request at a time; a 429's Retry-After holds the webhook. Webhook URLs are secrets: resolved from
 * their {@link SecretRef} on first use, re-resolved after a rejection (a rotated secret is picked up
 * without a restart), and scrubbed from every error; plain http is refused except on loopback.
 */
public final class SlackChannel implements Channel {
    private static final long serialVersionUID = 1L;
    private static final int ERROR_BODY_MAX = 200;

    private final List<SlackRoute> routes;
    private Duration minInterval = Duration.ofSeconds(1);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private String runbookBase;
    private URI secretsManagerEndpoint;

    private SlackChannel(List<SlackRoute> routes) {
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("a Slack channel needs at least one route");
        }
        Set<String> names = new HashSet<>();
        for (SlackRoute r : routes) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("Slack route name used twice: " + r.name());
            }
        }
        this.routes = new ArrayList<>(routes);
    }

    /** The routes, in matching order. */
    public static SlackChannel routes(SlackRoute... routes) {
        return new SlackChannel(java.util.Arrays.asList(routes));
    }

    public static SlackChannel routes(List<SlackRoute> routes) {
        return new SlackChannel(routes);
    }

    /** The least time between two messages to one webhook; Slack's limit is one per second. */
    public SlackChannel minInterval(Duration interval) {
        this.minInterval = interval;
        return this;
    }

    /** How long a request may wait for its response before it counts as a timeout (retried). */
    public SlackChannel requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    /** Makes relative runbook URLs links, e.g. {@code https://github.com/acme/vigil/blob/main/}. */
    public SlackChannel runbookBase(String base) {
        this.runbookBase = base;
        return this;
    }

    /** Where Secrets Manager is reached instead of AWS (a stand-in in tests). */
    public SlackChannel secretsManagerEndpoint(URI endpoint) {
        this.secretsManagerEndpoint = endpoint;
        return this;
    }

    /**
     * Whether a webhook URL may be posted to: https, or plain http on loopback only (tests), since
     * the URL itself is the secret. Checked at start-up for webhooks given in the properties.
     */
    public static boolean acceptsWebhook(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost())
                || "[::1]".equals(uri.getHost());
        return uri.getHost() != null && ("https".equals(scheme) || ("http".equals(scheme) && loopback));
    }

    public List<SlackRoute> routeList() {
        return Collections.unmodifiableList(routes);
    }

    @Override
    public String sink() {
        return "slack";
    }

    @Override
    public List<String> routes(AlertEvent alert) {
        List<String> out = new ArrayList<>();
        for (SlackRoute r : routes) {
            if (r.matches(alert)) {
                out.add(r.name());
                if (!r.continues()) {
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public List<String> routeNames() {
        List<String> names = new ArrayList<>();
        for (SlackRoute r : routes) {
            names.add(r.name());
        }
        return names;
    }

    @Override
    public DigestSchedule digest(String route) {
        for (SlackRoute r : routes) {
            if (r.name().equals(route)) {
                return r.digest();
            }
        }
        return null;
    }

    @Override
    public Grouping grouping(String route) {
        for (SlackRoute r : routes) {
            if (r.name().equals(route)) {
                return r.grouping();
            }
        }
        return Grouping.NONE;
    }

    @Override
    public Connection open() {
        return new Live(this);
    }

    @Override
    public String toString() {
        return "slack " + routes;
    }

    /** Seconds, or an HTTP date; NO_RETRY_AFTER when absent or unreadable. */
    static long retryAfterMillis(Optional<String> header) {
        if (!header.isPresent()) {
            return Outcome.NO_RETRY_AFTER;
        }
        String v = header.get().trim();
        try {
            return Math.max(0, Long.parseLong(v)) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
            } catch (RuntimeException notADate) {
                return Outcome.NO_RETRY_AFTER;
            }
        }
    }

    /** The open side: an HTTP client, the resolved webhooks, and what must be scrubbed from errors. */
    private static final class Live implements Connection {
        private final SlackChannel config;
        private final Map<String, SlackRoute> byName = new LinkedHashMap<>();
        private final Map<SecretRef, String> lanes = new LinkedHashMap<>();
        private final ExecutorService executor;
        private final HttpClient http;
        /** Resolved webhooks; a failed or rejected one is dropped and fetched again next time. */
        private final Map<SecretRef, CompletableFuture<URI>> webhooks = new ConcurrentHashMap<>();
        /** Every webhook value seen, and its path: scrubbed from any text that leaves this class. */
        private final Set<String> secrets = ConcurrentHashMap.newKeySet();
        private final Map<String, SecretsManagerAsyncClient> secretsManagers = new ConcurrentHashMap<>();

        Live(SlackChannel config) {
            this.config = config;
            for (SlackRoute r : config.routes) {
                byName.put(r.name(), r);
                lanes.computeIfAbsent(r.webhook(), ref -> "webhook-" + (lanes.size() + 1));
            }
            DeliveryHttp client = new DeliveryHttp("vigil-slack-http-", config.connectTimeout);
            this.executor = client.executor;
            this.http = client.http;
        }

        @Override
        public String lane(String route) {
            SlackRoute r = byName.get(route);
            return r == null ? "unknown-" + route : lanes.get(r.webhook());
        }

        @Override
        public long minIntervalMillis() {
            return config.minInterval.toMillis();
        }

        @Override
        public CompletableFuture<Outcome> send(String route, Notification notification) {
            SlackRoute r = byName.get(route);
            if (r == null) {
                return CompletableFuture.completedFuture(Outcome.rejected(null, "no Slack route " + route));
            }
            String body;
            try {
                body = SlackMessage.body(notification, config.runbookBase, r.timezone());
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(Outcome.rejected(null, "cannot build the message: " + e));
            }
            return webhook(r).handle((uri, err) -> {
                if (err != null) {
                    Throwable t = unwrap(err);
                    return CompletableFuture.completedFuture(t instanceof IllegalArgumentException
                            ? Outcome.rejected(null, scrub(t.getMessage()))
                            : Outcome.retryable(null, "webhook of route " + route + " unavailable: "
                                    + scrub(t.getMessage())));
                }
                return post(r, uri, body);
            }).thenCompose(f -> f);
        }

        private CompletableFuture<URI> webhook(SlackRoute r) {
            CompletableFuture<URI> cached = webhooks.computeIfAbsent(r.webhook(), ref -> ref.resolve(this::secretsManager)
                    .thenApply(value -> {
                        secrets.add(value);
                        return check(r, value);
                    }));
            // a failure is not remembered: the next attempt asks again
            cached.whenComplete((u, e) -> {
                if (e != null) {
                    webhooks.remove(r.webhook(), cached);
                }
            });
            return cached;
        }

        /** The webhook as a URI, https (or http on loopback only: the URL itself is the secret). */
        private URI check(SlackRoute r, String value) {
            URI uri;
            try {
                uri = URI.create(value.trim());
            } catch (IllegalArgumentException e) {
                // the parser's message quotes the URL
                throw new IllegalArgumentException("webhook of route " + r.name() + " (" + r.webhook()
                        + ") is not a URL");
            }
            if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
                secrets.add(uri.getRawPath());
            }
            if (!acceptsWebhook(uri)) {
                throw new IllegalArgumentException("webhook of route " + r.name() + " (" + r.webhook()
                        + ") is not an https URL");
            }
            return uri;
        }

        private CompletableFuture<Outcome> post(SlackRoute r, URI uri, String body) {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(config.requestTimeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            try {
                return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                        .handle((response, err) -> err != null ? failure(err) : judge(r, response));
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(failure(e));
            }
        }

        /** Slack answers 200 "ok"; 429 with Retry-After; 4xx with a reason such as no_service. */
        private Outcome judge(SlackRoute r, HttpResponse<String> response) {
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return Outcome.delivered(status, null);
            }
            String reason = "HTTP " + status + reason(response.body());
            if (status == 429) {
                long wait = retryAfterMillis(response.headers().firstValue("Retry-After"));
                return wait == Outcome.NO_RETRY_AFTER ? Outcome.retryable(status, reason)
                        : Outcome.throttled(status, reason + " (Retry-After " + wait + " ms)", wait);
            }
            if (status >= 500 || status == 408) {
                return Outcome.retryable(status, reason);
            }
            // revoked, archived or rotated: fetch the secret again before the next attempt
            webhooks.remove(r.webhook());
            return Outcome.rejected(status, reason);
        }

        private String reason(String body) {
            if (body == null || body.trim().isEmpty()) {
                return "";
            }
            String b = body.replaceAll("\\p{Cntrl}+", " ").trim();
            return ": " + scrub(b.length() > ERROR_BODY_MAX ? b.substring(0, ERROR_BODY_MAX) + "…" : b);
        }

        private Outcome failure(Throwable err) {
            Throwable t = unwrap(err);
            if (t instanceof HttpConnectTimeoutException) {
                return Outcome.retryable(null, "connect timed out after " + config.connectTimeout.toMillis() + " ms");
            }
            if (t instanceof HttpTimeoutException) {
                return Outcome.retryable(null, "timed out after " + config.requestTimeout.toMillis() + " ms");
            }
            return Outcome.retryable(null, scrub(t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage())));
        }

        /** Removes every webhook URL and path this connection knows from {@code text}. */
        private String scrub(String text) {
            if (text == null) {
                return null;
            }
            // longest first: a whole URL is replaced before its path could leave its host behind
            List<String> known = new ArrayList<>(secrets);
            known.sort((a, b) -> Integer.compare(b.length(), a.length()));
            String out = text;
            for (String s : known) {
                out = out.replace(s, "<redacted>");
            }
            return out;
        }

        private SecretsManagerAsyncClient secretsManager(String region) {
            return secretsManagers.computeIfAbsent(region == null ? "" : region, r -> {
                SecretsManagerAsyncClientBuilder b = SecretsManagerAsyncClient.builder()
                        .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)));
                if (!r.isEmpty()) {
                    b.region(Region.of(r));
                }
                if (config.secretsManagerEndpoint != null) {
                    b.endpointOverride(config.secretsManagerEndpoint);
                }
                return b.build();
            });
        }

        private static Throwable unwrap(Throwable e) {
            Throwable t = e;
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            return t;
        }

        @Override
        public void close() {
            executor.shutdownNow();
            for (SecretsManagerAsyncClient c : secretsManagers.values()) {
                c.close();
            }
            secretsManagers.clear();
        }
    }
}
