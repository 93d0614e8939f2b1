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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Prometheus Alertmanager: each alert state change is posted to {@code /api/v2/alerts} of every
 * matching {@link AlertmanagerRoute}, as Prometheus does; a firing alert is posted again every
 * route's resend interval until it resolves (the delivery operator keeps that resend in its state),
 * and a resolved one once, ending at its resolution time. 2xx delivers; 429, 5xx, 408, timeouts and
 * connection failures are retried with backoff; 400, 413 and 422 (an alert Alertmanager finds
 * invalid) are abandoned at once; other 4xx are rejections, retried on the slow cadence until the
 * policy's maximum.
 * Grouping, silences, inhibition and notification are Alertmanager's.
 */
public final class AlertmanagerChannel implements Channel {
    private static final long serialVersionUID = 1L;
    private static final int ERROR_BODY_MAX = 200;

    private final List<AlertmanagerRoute> routes;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);

    private AlertmanagerChannel(List<AlertmanagerRoute> routes) {
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("an Alertmanager channel needs at least one route");
        }
        Set<String> names = new HashSet<>();
        for (AlertmanagerRoute r : routes) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("Alertmanager route name used twice: " + r.name());
            }
        }
        this.routes = new ArrayList<>(routes);
    }

    public static AlertmanagerChannel routes(AlertmanagerRoute... routes) {
        return new AlertmanagerChannel(Arrays.asList(routes));
    }

    public static AlertmanagerChannel routes(List<AlertmanagerRoute> routes) {
        return new AlertmanagerChannel(routes);
    }

    /** How long a request may wait for its response before it counts as a timeout (retried). */
    public AlertmanagerChannel requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    public List<AlertmanagerRoute> routeList() {
        return Collections.unmodifiableList(routes);
    }

    @Override
    public String sink() {
        return "alertmanager";
    }

    @Override
    public List<String> routes(AlertEvent alert) {
        List<String> out = new ArrayList<>();
        for (AlertmanagerRoute r : routes) {
            if (r.matches(alert)) {
                out.add(r.name());
            }
        }
        return out;
    }

    @Override
    public long resendMillis(String route) {
        for (AlertmanagerRoute r : routes) {
            if (r.name().equals(route)) {
                return r.resend().toMillis();
            }
        }
        return 0;
    }

    @Override
    public Connection open() {
        return new Live(this);
    }

    @Override
    public String toString() {
        return "alertmanager " + routes;
    }

    /** The open side: one HTTP client; one lane per Alertmanager URL. */
    private static final class Live implements Connection {
        private final AlertmanagerChannel config;
        private final Map<String, AlertmanagerRoute> byName = new LinkedHashMap<>();
        private final Map<URI, String> lanes = new LinkedHashMap<>();
        private final ExecutorService executor;
        private final HttpClient http;

        Live(AlertmanagerChannel config) {
            this.config = config;
            for (AlertmanagerRoute r : config.routes) {
                byName.put(r.name(), r);
                lanes.computeIfAbsent(r.url(), u -> "alertmanager-" + (lanes.size() + 1));
            }
            DeliveryHttp client = new DeliveryHttp("vigil-alertmanager-http-", config.connectTimeout);
            this.executor = client.executor;
            this.http = client.http;
        }

        @Override
        public String lane(String route) {
            AlertmanagerRoute r = byName.get(route);
            return r == null ? "unknown-" + route : lanes.get(r.url());
        }

        @Override
        public long minIntervalMillis() {
            return 0;
        }

        @Override
        public CompletableFuture<Outcome> send(String route, Notification notification) {
            AlertmanagerRoute r = byName.get(route);
            if (r == null) {
                return CompletableFuture.completedFuture(Outcome.rejected(null, "no Alertmanager route " + route));
            }
            String body;
            try {
                body = AlertmanagerMessage.body(notification.alerts, r, System.currentTimeMillis());
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(Outcome.rejected(null, "cannot build the alert: " + e));
            }
            HttpRequest request = HttpRequest.newBuilder(r.alertsEndpoint())
                    .timeout(config.requestTimeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            try {
                return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                        .handle((response, err) -> err != null ? failure(err) : judge(response));
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(failure(e));
            }
        }

        /** Alertmanager answers 200 with an empty body; 400 with the validation error. */
        private static Outcome judge(HttpResponse<String> response) {
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return Outcome.delivered(status, null);
            }
            String reason = "HTTP " + status + reason(response.body());
            if (status == 429) {
                long wait = SlackChannel.retryAfterMillis(response.headers().firstValue("Retry-After"));
                return wait == Outcome.NO_RETRY_AFTER ? Outcome.retryable(status, reason)
                        : Outcome.throttled(status, reason + " (Retry-After " + wait + " ms)", wait);
            }
            if (status >= 500 || status == 408) {
                return Outcome.retryable(status, reason);
            }
            if (status == 400 || status == 413 || status == 422) {
                // Alertmanager found the alert invalid: the same body would be refused again
                return Outcome.refused(status, reason);
            }
            // 401, 403, 404: a proxy or address to fix; retried on the slow cadence meanwhile
            return Outcome.rejected(status, reason);
        }

        private static String reason(String body) {
            if (body == null || body.trim().isEmpty()) {
                return "";
            }
            String b = body.replaceAll("\\p{Cntrl}+", " ").trim();
            return ": " + (b.length() > ERROR_BODY_MAX ? b.substring(0, ERROR_BODY_MAX) + "…" : b);
        }

        private Outcome failure(Throwable err) {
            Throwable t = err;
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            if (t instanceof HttpConnectTimeoutException) {
                return Outcome.retryable(null, "connect timed out after " + config.connectTimeout.toMillis() + " ms");
            }
            if (t instanceof HttpTimeoutException) {
                return Outcome.retryable(null, "timed out after " + config.requestTimeout.toMillis() + " ms");
            }
            return Outcome.retryable(null, t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
