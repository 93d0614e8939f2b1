package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import io.vigil.model.Severity;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Slack route: which alerts (by severity and label matchers, all of which must hold) go to which
 * incoming webhook. Within a {@link SlackChannel} the first matching route wins, unless it says
 * {@link #continueMatching()}, in the manner of Alertmanager's {@code continue}.
 */
public final class SlackRoute implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final SecretRef webhook;
    private final EnumSet<Severity> severities = EnumSet.allOf(Severity.class);
    private final LinkedHashMap<String, String> labels = new LinkedHashMap<>();
    private final java.util.ArrayList<io.vigil.rules.AlertMatcher> matchers = new java.util.ArrayList<>();
    private boolean continueMatching;
    private String timezone = "UTC";
    private Grouping grouping = Grouping.NONE;
    private java.time.LocalTime digestAt;

    private SlackRoute(String name, SecretRef webhook) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("a route name is letters, digits, '_', '.' and '-': " + name);
        }
        this.name = name;
        this.webhook = Objects.requireNonNull(webhook, "webhook");
    }

    /** A route matching every alert until narrowed; its name is what delivery records show. */
    public static SlackRoute named(String name, SecretRef webhook) {
        return new SlackRoute(name, webhook);
    }

    /** Only alerts of these severities. */
    public SlackRoute severities(Severity first, Severity... more) {
        severities.clear();
        severities.add(first);
        Collections.addAll(severities, more);
        return this;
    }

    /** Only alerts this matcher (Alertmanager syntax, e.g. {@code escalation_level="L2"}) holds for. */
    public SlackRoute match(io.vigil.rules.AlertMatcher m) {
        matchers.add(Objects.requireNonNull(m));
        return this;
    }

    public java.util.List<io.vigil.rules.AlertMatcher> matchers() {
        return Collections.unmodifiableList(matchers);
    }

    /** Only alerts carrying this label with exactly this value. */
    public SlackRoute label(String key, String value) {
        labels.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
        return this;
    }

    /** Alerts this route takes also go on to the next matching route. */
    public SlackRoute continueMatching() {
        this.continueMatching = true;
        return this;
    }

    /** The zone the message's times are shown in; UTC unless set. */
    public SlackRoute timezone(java.time.ZoneId zone) {
        this.timezone = zone.getId();
        return this;
    }

    /** How this route groups alerts into messages; {@link Grouping#NONE} (one message per state change) unless set. */
    public SlackRoute grouping(Grouping g) {
        this.grouping = Objects.requireNonNull(g, "grouping");
        return this;
    }

    public Grouping grouping() {
        return grouping;
    }

    /** Sends a daily digest at this local time in the route's {@link #timezone(java.time.ZoneId)}. */
    public SlackRoute digestAt(java.time.LocalTime at) {
        this.digestAt = at;
        return this;
    }

    /** The route's digest schedule; null without one. */
    public DigestSchedule digest() {
        return digestAt == null ? null : DigestSchedule.daily(digestAt, timezone());
    }

    public java.time.ZoneId timezone() {
        return java.time.ZoneId.of(timezone);
    }

    public String name() {
        return name;
    }

    public SecretRef webhook() {
        return webhook;
    }

    public Set<Severity> severities() {
        return Collections.unmodifiableSet(severities);
    }

    public Map<String, String> labels() {
        return Collections.unmodifiableMap(labels);
    }

    public boolean continues() {
        return continueMatching;
    }

    public boolean matches(AlertEvent a) {
        return RouteFilter.takes(severities, labels, matchers, a);
    }

    @Override
    public String toString() {
        return name + " " + severities + (labels.isEmpty() ? "" : " " + labels) + (matchers.isEmpty() ? "" : " " + matchers) + " -> " + webhook
                + (continueMatching ? " (continue)" : "") + (grouping.groups() ? ", " + grouping : "");
    }
}
