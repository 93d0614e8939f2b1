package io.vigil.testing;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a route must receive now that a newer state change of an alert supersedes a pending older
 * one: the newest state change of every alert (older ones arrive only if they were sent in time).
 */
public final class NewestStates {
    private NewestStates() {}

    /**
     * Of {@code entries} (one per state change), the newest of each alert: {@code alertOf} names
     * the alert of an entry, {@code order} puts later state changes last.
     */
    public static Set<String> of(Collection<String> entries, Function<String, String> alertOf, Comparator<String> order) {
        Map<String, String> newest = new HashMap<>();
        for (String e : entries) {
            newest.merge(alertOf.apply(e), e, (a, b) -> order.compare(a, b) >= 0 ? a : b);
        }
        return new TreeSet<>(newest.values());
    }

    /** Entries "ALERT STATE": resolved is newer than firing. */
    public static Set<String> ofIdStates(Collection<String> entries) {
        return of(entries, e -> e.substring(0, e.lastIndexOf(' ')), Comparator.comparing(e -> e.endsWith(" resolved")));
    }
}
