package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import io.vigil.model.Severity;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An Alertmanager that alerts (by severity and label matchers, all of which must hold) are posted
 * to, and how often a firing alert is sent to it again. Every matching route gets the alert, as
 * Prometheus sends to every Alertmanager it knows.
 */
public final class AlertmanagerRoute implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Prometheus's default resend delay. */
    public static final Duration DEFAULT_RESEND = Duration.ofMinutes(1);

    private final String name;
    private final URI url;
    private final EnumSet<Severity> severities = EnumSet.allOf(Severity.class);
    private final LinkedHashMap<String, String> labels = new LinkedHashMap<>();
    private final java.util.ArrayList<io.vigil.rules.AlertMatcher> matchers = new java.util.ArrayList<>();
    private Duration resend = DEFAULT_RESEND;
    private String generatorUrl;

    private AlertmanagerRoute(String name, URI url) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("a route name is letters, digits, '_', '.' and '-': " + name);
        }
        if (!acceptsUrl(url)) {
            throw new IllegalArgumentException("the Alertmanager URL of route " + name
                    + " is not an http(s) URL without query: " + url);
        }
        this.name = name;
        String u = url.toString();
        this.url = URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }

    /** A route to the Alertmanager at {@code url} (its base, e.g. {@code http://alertmanager:9093}). */
    public static AlertmanagerRoute named(String name, URI url) {
        return new AlertmanagerRoute(name, url);
    }

    /** http or https, a host, and no query or fragment: {@code /api/v2/alerts} is appended. */
    public static boolean acceptsUrl(URI url) {
        if (url == null || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
            return false;
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("http") || scheme.equals("https");
    }

    /** Only alerts of these severities. */
    public AlertmanagerRoute severities(Severity first, Severity... more) {
        severities.clear();
        severities.add(first);
        Collections.addAll(severities, more);
        return this;
    }

    /** Only alerts this matcher (Alertmanager syntax, e.g. {@code escalation_level="L2"}) holds for. */
    public AlertmanagerRoute match(io.vigil.rules.AlertMatcher m) {
        matchers.add(Objects.requireNonNull(m));
        return this;
    }

    public java.util.List<io.vigil.rules.AlertMatcher> matchers() {
        return Collections.unmodifiableList(matchers);
    }

    /** Only alerts carrying this label with exactly this value. */
    public AlertmanagerRoute label(String key, String value) {
        labels.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
        return this;
    }

    /** How often a firing alert is sent again; its end time is four of these ahead, as Prometheus does. */
    public AlertmanagerRoute resend(Duration every) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the resend interval must be positive, not " + every);
        }
        this.resend = every;
        return this;
    }

    /**
     * The alerts' generatorURL: {@code {rule}} and {@code {alert_id}} in it are replaced (URL
     * encoded); without one it is the rule's runbook URL when that is an absolute http(s) URL.
     */
    public AlertmanagerRoute generatorUrl(String template) {
        this.generatorUrl = template;
        return this;
    }

    public String name() {
        return name;
    }

    public URI url() {
        return url;
    }

    /** Where alerts are posted. */
    public URI alertsEndpoint() {
        return URI.create(url + "/api/v2/alerts");
    }

    public Duration resend() {
        return resend;
    }

    public String generatorUrl() {
        return generatorUrl;
    }

    public Set<Severity> severities() {
        return Collections.unmodifiableSet(severities);
    }

    public Map<String, String> labels() {
        return Collections.unmodifiableMap(labels);
    }

    public boolean matches(AlertEvent a) {
        return RouteFilter.takes(severities, labels, matchers, a);
    }

    @Override
    public String toString() {
        return name + " " + severities + (labels.isEmpty() ? "" : " " + labels) + (matchers.isEmpty() ? "" : " " + matchers) + " -> " + url + " (resend every "
                + io.vigil.config.Durations.format(resend.toMillis()) + ")";
    }
}
