package io.vigil.delivery;

import io.vigil.alert.AlertIds;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The groups of every grouping route (see {@link Grouping}) and when each is notified: the
 * delivery operator's grouping, kept apart from its sending. Used on the task thread only.
 *
 * <p>Two clocks. Live, the group clock is the wall clock: alerts join when they arrive, and due
 * groups are flushed when the operator's timer fires. In replay it is event time: alerts are held
 * until the watermark passes their event time, then joined at that time, interleaved with the
 * flushes due before it, so the same input gives the same notifications however the watermark
 * advances. A flush's time is the time it was due, not when it ran.
 */
final class AlertGroups {
    /** Takes a notification for one route. */
    interface Notifier {
        void notify(String sink, String route, Notification notification);
    }

    private final List<Channel> channels;
    private final boolean eventTime;
    /** By sink, route and group id: flushes go out in the same order in every run. */
    private final TreeMap<String, AlertGroup> groups = new TreeMap<>();
    /** Replay: alerts not yet joined, by event time, then arrival. */
    private final List<AlertEvent> held = new ArrayList<>();
    /** Routes' digests, on the same clock. */
    private final RouteDigests digests;

    AlertGroups(List<Channel> channels, boolean eventTime) {
        this.channels = channels;
        this.eventTime = eventTime;
        this.digests = new RouteDigests(channels);
    }

    /** Live: starts the digests of the routes that have one, from {@code now}; in replay the first alert does. */
    void startDigests(long now) {
        if (!eventTime) {
            digests.start(now);
        }
    }

    void restoreDigests(Iterable<RouteDigest> restored) {
        digests.restore(restored);
    }

    List<RouteDigest> digestList() {
        return digests.list();
    }

    /** Whether {@code route} of {@code c} groups: then its alerts go here, not straight to delivery. */
    static boolean groups(Channel c, String route) {
        return c.grouping(route).groups();
    }

    void restore(Iterable<AlertGroup> restoredGroups, Iterable<AlertEvent> restoredHeld) {
        for (AlertGroup g : restoredGroups) {
            groups.put(id(g.sink, g.route, g.key), g);
        }
        for (AlertEvent a : restoredHeld) {
            held.add(a);
        }
    }

    List<AlertGroup> groupList() {
        return new ArrayList<>(groups.values());
    }

    List<AlertEvent> heldList() {
        return new ArrayList<>(held);
    }

    boolean isEmpty() {
        return groups.isEmpty() && held.isEmpty();
    }

    int size() {
        return groups.size();
    }

    /**
     * An alert state change for the grouping routes it matches: joined at {@code now} (wall
     * clock), or, in replay, held until the watermark passes its event time.
     */
    void add(AlertEvent a, long now) {
        if (!eventTime) {
            join(a, now);
            return;
        }
        int i = held.size();
        while (i > 0 && held.get(i - 1).eventTime > a.eventTime) {
            i--;
        }
        held.add(i, a);
    }

    /** Live: flushes every group due at {@code now}. */
    void flushDue(long now, Notifier out) {
        for (AlertGroup g : new ArrayList<>(groups.values())) {
            if (g.dueAt <= now) {
                flush(g, now, out);
            }
        }
        digests.makeDue(now, out);
    }

    /**
     * Replay: joins the held alerts and flushes the groups due, in time order, up to
     * {@code watermark}. At the end of input (the greatest watermark) it stops after the last held
     * alert: {@link #end} sends what changed, and no repeat runs on forever.
     */
    void advance(long watermark, Notifier out) {
        while (true) {
            long nextAlert = held.isEmpty() ? Long.MAX_VALUE : held.get(0).eventTime;
            long nextDue = nextDue();
            if (watermark == Long.MAX_VALUE && held.isEmpty()) {
                return;
            }
            long t = Math.min(nextAlert, nextDue);
            if (t == Long.MAX_VALUE || t > watermark) {
                return;
            }
            if (nextAlert <= nextDue) {
                join(held.remove(0), nextAlert); // an alert at a group's due time is in that flush
            } else {
                for (AlertGroup g : new ArrayList<>(groups.values())) {
                    if (g.dueAt == nextDue) {
                        flush(g, nextDue, out);
                    }
                }
                digests.makeDue(nextDue, out);
            }
        }
    }

    /** The earliest time a group is due; {@code Long.MAX_VALUE} with none. */
    long nextDue() {
        long next = digests.nextDue();
        for (AlertGroup g : groups.values()) {
            next = Math.min(next, g.dueAt);
        }
        return next;
    }

    /**
     * The input ended: held alerts join, every group that changed is notified once more (live at
     * {@code now}, in replay at its due time), and the groups are dropped: a finished job repeats
     * nothing.
     */
    void end(long now, Notifier out) {
        while (!held.isEmpty()) {
            AlertEvent a = held.remove(0);
            join(a, a.eventTime);
        }
        for (AlertGroup g : new ArrayList<>(groups.values())) {
            boolean nothingToSay = g.notifiedAt == AlertGroup.NEVER && g.firing.length == 0
                    || g.firing.length == 0 && g.resolved.length == 0;
            if (g.changed && !nothingToSay) {
                send(g, eventTime ? g.dueAt : now, out);
            }
        }
        groups.clear();
    }

    private void join(AlertEvent a, long t) {
        digests.record(a, t);
        for (Channel c : channels) {
            for (String route : c.routes(a)) {
                Grouping grouping = c.grouping(route);
                if (grouping.groups()) {
                    join(c.sink(), route, grouping, a, t);
                }
            }
        }
    }

    private void join(String sink, String route, Grouping grouping, AlertEvent a, long t) {
        String labels = grouping.groupOf(a);
        String key = "group-" + AlertIds.of(sink + "/" + route, labels);
        // an alert whose severity or labels changed leaves the group it was in
        for (AlertGroup other : groups.subMap(id(sink, route, ""), id(sink, route, "\uffff")).values()) {
            int i = other.indexOf(other.firing, a.alertId);
            if (!other.key.equals(key) && i >= 0) {
                other.firing = AlertGroup.without(other.firing, i);
                other.changed = true;
                schedule(other, grouping, t);
            }
        }
        AlertGroup g = groups.get(id(sink, route, key));
        if (g == null) {
            g = new AlertGroup();
            g.sink = sink;
            g.route = route;
            g.key = key;
            g.labels = labels;
            g.firstAt = t;
            g.dueAt = t + grouping.waitMillis();
            groups.put(id(sink, route, key), g);
        }
        int firing = g.indexOf(g.firing, a.alertId);
        int resolved = g.indexOf(g.resolved, a.alertId);
        if (a.state == AlertState.FIRING) {
            if (resolved >= 0) {
                g.resolved = AlertGroup.without(g.resolved, resolved); // firing again before anyone heard
            }
            if (firing < 0) {
                g.firing = AlertGroup.with(g.firing, a);
                g.changed = true;
            } else {
                // a repeat changes nothing people need to hear; a severity change does
                g.changed |= g.firing[firing].severity != a.severity;
                g.firing[firing] = a;
            }
        } else {
            if (firing >= 0) {
                g.firing = AlertGroup.without(g.firing, firing);
            }
            g.resolved = resolved >= 0 ? g.resolved : AlertGroup.with(g.resolved, a);
            if (resolved >= 0) {
                g.resolved[resolved] = a;
            }
            g.changed = true;
        }
        schedule(g, grouping, t);
    }

    /** A group notified before that changed goes out at most one group_interval after its last notification. */
    private static void schedule(AlertGroup g, Grouping grouping, long t) {
        if (g.changed && g.notifiedAt != AlertGroup.NEVER) {
            g.dueAt = Math.min(g.dueAt, Math.max(t, g.notifiedAt + grouping.intervalMillis()));
        }
    }

    /** A due group: notified if it changed or its repeat is due; dropped once nothing in it fires. */
    private void flush(AlertGroup g, long t, Notifier out) {
        Grouping grouping = grouping(g);
        // nothing to say: never announced and nothing fires, or its only members moved to another group
        boolean neverAnnounced = g.notifiedAt == AlertGroup.NEVER && g.firing.length == 0
                || g.firing.length == 0 && g.resolved.length == 0;
        boolean repeat = g.firing.length > 0 && g.notifiedAt != AlertGroup.NEVER
                && t >= g.notifiedAt + grouping.repeatMillis();
        if (!neverAnnounced && (g.changed || repeat)) {
            send(g, t, out);
        }
        g.changed = false;
        g.resolved = new AlertEvent[0];
        if (g.firing.length == 0 || !grouping.groups()) {
            groups.remove(id(g.sink, g.route, g.key));
            return;
        }
        g.dueAt = g.notifiedAt == AlertGroup.NEVER ? t + grouping.waitMillis() : g.notifiedAt + grouping.repeatMillis();
    }

    private static void send(AlertGroup g, long t, Notifier out) {
        Notification n = new Notification();
        n.key = g.key;
        n.group = g.labels;
        AlertEvent[] alerts = new AlertEvent[g.firing.length + g.resolved.length];
        System.arraycopy(g.firing, 0, alerts, 0, g.firing.length);
        System.arraycopy(g.resolved, 0, alerts, g.firing.length, g.resolved.length);
        n.alerts = alerts;
        n.madeAt = t;
        g.notifiedAt = t;
        out.notify(g.sink, g.route, n);
    }

    /** The group's route's grouping now; {@link Grouping#NONE} when the route is gone or no longer groups. */
    private Grouping grouping(AlertGroup g) {
        for (Channel c : channels) {
            if (c.sink().equals(g.sink)) {
                return c.grouping(g.route);
            }
        }
        return Grouping.NONE;
    }

    private static String id(String sink, String route, String key) {
        return sink + "\u0000" + route + "\u0000" + key;
    }
}
