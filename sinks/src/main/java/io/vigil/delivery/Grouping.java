package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * How a route groups alerts into notifications, as Alertmanager's route options: alerts with the
 * same values of the {@code group_by} labels share a notification, first sent {@code group_wait}
 * after the group's first alert, then at most every {@code group_interval} when the group
 * changed, and again every {@code repeat_interval} while any of its alerts fires.
 * {@link #NONE}: one notification per alert state change.
 */
public final class Grouping implements Serializable {
    private static final long serialVersionUID = 1L;

    /** No grouping: every alert state change is its own notification. */
    public static final Grouping NONE = new Grouping(null, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4));

    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_REPEAT = Duration.ofHours(4);

    /** Null: no grouping. */
    private final List<String> by;
    private final Duration wait;
    private final Duration interval;
    private final Duration repeat;

    private Grouping(List<String> by, Duration wait, Duration interval, Duration repeat) {
        this.by = by == null ? null : Collections.unmodifiableList(new ArrayList<>(by));
        this.wait = requireNonNegative(wait, "group_wait");
        this.interval = requirePositive(interval, "group_interval");
        this.repeat = requirePositive(repeat, "repeat_interval");
    }

    /**
     * Groups by these labels: {@code alertname} or {@code rule_id} (the rule), {@code entity},
     * {@code severity}, or any label of the alert (an alert without it has the empty value).
     */
    public static Grouping by(String... labels) {
        return by(Arrays.asList(labels));
    }

    public static Grouping by(List<String> labels) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("group_by needs at least one label name, or ... for no grouping");
        }
        for (String l : labels) {
            if (l == null || !l.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw new IllegalArgumentException("'" + l + "' is not a label name");
            }
        }
        return new Grouping(labels, DEFAULT_WAIT, DEFAULT_INTERVAL, DEFAULT_REPEAT);
    }

    public Grouping groupWait(Duration d) {
        return new Grouping(by, d, interval, repeat);
    }

    public Grouping groupInterval(Duration d) {
        return new Grouping(by, wait, d, repeat);
    }

    public Grouping repeatInterval(Duration d) {
        return new Grouping(by, wait, interval, d);
    }

    public boolean groups() {
        return by != null;
    }

    public List<String> labels() {
        return by == null ? Collections.emptyList() : by;
    }

    public long waitMillis() {
        return wait.toMillis();
    }

    public long intervalMillis() {
        return interval.toMillis();
    }

    public long repeatMillis() {
        return repeat.toMillis();
    }

    /** The group {@code a} belongs to, for people: {@code rule_id=kpi_par_90, team=risk}. */
    public String groupOf(AlertEvent a) {
        StringBuilder sb = new StringBuilder();
        for (String l : labels()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(l).append('=').append(value(a, l));
        }
        return sb.toString();
    }

    static String value(AlertEvent a, String label) {
        switch (label) {
            case "alertname":
            case "rule_id":
                return a.ruleId;
            case "entity":
                return a.entity;
            case "severity":
                return a.severity == null ? "" : a.severity.wire();
            default:
                if (a.labels != null) {
                    for (Label l : a.labels) {
                        if (label.equals(l.key)) {
                            return l.value;
                        }
                    }
                }
                return "";
        }
    }

    private static Duration requireNonNegative(Duration d, String name) {
        if (Objects.requireNonNull(d, name).isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        return d;
    }

    private static Duration requirePositive(Duration d, String name) {
        if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return by == null ? "no grouping" : "group_by " + by + " wait " + wait + " interval " + interval + " repeat " + repeat;
    }
}
