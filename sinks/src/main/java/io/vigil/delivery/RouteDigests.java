package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The digests of every route with a {@link DigestSchedule}: tallies alerts as the group clock
 * sees them ({@link AlertGroups} drives it, on the wall clock live and on event time in replay)
 * and makes each route's digest when its time comes. Used on the task thread only.
 */
final class RouteDigests {
    static final int TOP = 5;

    private final List<Channel> channels;
    /** By sink and route. */
    private final TreeMap<String, RouteDigest> digests = new TreeMap<>();

    RouteDigests(List<Channel> channels) {
        this.channels = channels;
    }

    void restore(Iterable<RouteDigest> restored) {
        for (RouteDigest d : restored) {
            digests.put(d.sink + "\u0000" + d.route, d);
        }
    }

    List<RouteDigest> list() {
        return new ArrayList<>(digests.values());
    }

    /** Starts the digests of every scheduled route not yet started, their first period at {@code t}. */
    void start(long t) {
        for (Channel c : channels) {
            for (String route : c.routeNames()) {
                DigestSchedule s = c.digest(route);
                if (s != null && !digests.containsKey(c.sink() + "\u0000" + route)) {
                    RouteDigest d = new RouteDigest();
                    d.sink = c.sink();
                    d.route = route;
                    d.periodStart = t;
                    d.dueAt = s.nextAfter(t);
                    digests.put(c.sink() + "\u0000" + route, d);
                }
            }
        }
    }

    /** Tallies {@code a} in the digests of the routes it goes to. */
    void record(AlertEvent a, long t) {
        start(t);
        for (Channel c : channels) {
            for (String route : c.routes(a)) {
                RouteDigest d = digests.get(c.sink() + "\u0000" + route);
                if (d != null) {
                    record(d, a);
                }
            }
        }
    }

    private static void record(RouteDigest d, AlertEvent a) {
        int i = Arrays.asList(d.firingIds).indexOf(a.alertId);
        if (a.state == AlertState.FIRING) {
            if (i >= 0) {
                return; // a repeat or a severity change: the same alert still firing
            }
            d.firingIds = Arrays.copyOf(d.firingIds, d.firingIds.length + 1);
            d.firingIds[d.firingIds.length - 1] = a.alertId;
            d.fired++;
            int e = Arrays.asList(d.entities).indexOf(a.entity);
            if (e < 0) {
                d.entities = Arrays.copyOf(d.entities, d.entities.length + 1);
                d.entities[d.entities.length - 1] = a.entity;
                d.entityFirings = Arrays.copyOf(d.entityFirings, d.entityFirings.length + 1);
                e = d.entities.length - 1;
            }
            d.entityFirings[e]++;
            return;
        }
        if (i >= 0) {
            String[] rest = new String[d.firingIds.length - 1];
            System.arraycopy(d.firingIds, 0, rest, 0, i);
            System.arraycopy(d.firingIds, i + 1, rest, i, d.firingIds.length - i - 1);
            d.firingIds = rest;
        }
        d.resolved++;
        if (a.endsAt > 0 && a.startsAt > 0 && a.endsAt >= a.startsAt) {
            d.resolveMillis = Arrays.copyOf(d.resolveMillis, d.resolveMillis.length + 1);
            d.resolveMillis[d.resolveMillis.length - 1] = a.endsAt - a.startsAt;
        }
    }

    long nextDue() {
        long next = Long.MAX_VALUE;
        for (RouteDigest d : digests.values()) {
            next = Math.min(next, d.dueAt);
        }
        return next;
    }

    /** Makes the digests due at or before {@code t}, each at its own due time, and starts their next period. */
    void makeDue(long t, AlertGroups.Notifier out) {
        for (RouteDigest d : new ArrayList<>(digests.values())) {
            if (d.dueAt > t) {
                continue;
            }
            DigestSchedule s = schedule(d);
            if (s == null) {
                digests.remove(d.sink + "\u0000" + d.route); // the route no longer has a digest
                continue;
            }
            AlertDigest digest = summary(d, s);
            Notification n = new Notification();
            n.key = "digest-" + io.vigil.alert.AlertIds.of("digest", d.sink + "/" + d.route) + "-" + d.dueAt;
            n.group = "digest of " + d.route;
            n.alerts = new AlertEvent[0];
            n.madeAt = d.dueAt;
            n.digest = digest;
            d.periodStart = d.dueAt;
            d.dueAt = s.nextAfter(d.dueAt);
            d.fired = 0;
            d.resolved = 0;
            d.entities = new String[0];
            d.entityFirings = new int[0];
            d.resolveMillis = new long[0];
            out.notify(d.sink, d.route, n);
        }
    }

    static AlertDigest summary(RouteDigest d, DigestSchedule s) {
        AlertDigest out = new AlertDigest();
        out.sink = d.sink;
        out.route = d.route;
        out.periodStart = d.periodStart;
        out.periodEnd = d.dueAt;
        out.zone = s.zone().getId();
        out.fired = d.fired;
        out.resolved = d.resolved;
        out.stillFiring = d.firingIds.length;
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < d.entities.length; i++) {
            counts.put(d.entities[i], d.entityFirings[i]);
        }
        List<Map.Entry<String, Integer>> top = new ArrayList<>(counts.entrySet());
        top.sort((x, y) -> y.getValue().equals(x.getValue()) ? x.getKey().compareTo(y.getKey()) : y.getValue() - x.getValue());
        int n = Math.min(TOP, top.size());
        out.topEntities = new String[n];
        out.topEntityFirings = new int[n];
        for (int i = 0; i < n; i++) {
            out.topEntities[i] = top.get(i).getKey();
            out.topEntityFirings[i] = top.get(i).getValue();
        }
        if (d.resolveMillis.length > 0) {
            long[] sorted = d.resolveMillis.clone();
            Arrays.sort(sorted);
            long sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            out.meanResolveMs = sum / sorted.length;
            int mid = sorted.length / 2;
            out.medianResolveMs = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
        return out;
    }

    private DigestSchedule schedule(RouteDigest d) {
        for (Channel c : channels) {
            if (c.sink().equals(d.sink)) {
                return c.digest(d.route);
            }
        }
        return null;
    }
}
