package io.vigil.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each injected incident's triggering record entered the job, and how long its alert took
 * to leave the alert sink. The source and the sink run in this JVM (a local MiniCluster), so they
 * meet here, keyed by {@code rule_id|entity}: each incident has an entity of its own.
 */
final class IncidentLog {
    private static final Map<String, Long> TRIGGERED = new ConcurrentHashMap<>();
    /** Per rule: {ingested at, latency} of each incident alerted. */
    private static final Map<String, List<long[]>> LATENCIES = new ConcurrentHashMap<>();

    private IncidentLog() {}

    private static long firstFed = Long.MAX_VALUE;
    private static long lastFed = Long.MIN_VALUE;

    static synchronized void clear() {
        TRIGGERED.clear();
        LATENCIES.clear();
        firstFed = Long.MAX_VALUE;
        lastFed = Long.MIN_VALUE;
    }

    /** A live reader emitted its first and last records at these wall-clock times. */
    static synchronized void fed(long firstMs, long lastMs) {
        firstFed = Math.min(firstFed, firstMs);
        lastFed = Math.max(lastFed, lastMs);
    }

    /** When the first record was fed (wall clock, ms). */
    static synchronized long feedStart() {
        return firstFed;
    }

    /** From the first record fed to the last, over every reader (ms). */
    static synchronized long feedingMs() {
        return lastFed - firstFed;
    }

    /** The record that completes incident {@code key} entered the job at {@code ingestedMs}. */
    static void triggered(String key, long ingestedMs) {
        TRIGGERED.put(key, ingestedMs);
    }

    /**
     * An alert for {@code key} started firing and was written at {@code writtenMs}: its latency is
     * recorded if it belongs to an injected incident (each is counted once).
     */
    static void fired(String ruleId, String key, long writtenMs) {
        Long in = TRIGGERED.remove(key);
        if (in != null) {
            LATENCIES.computeIfAbsent(ruleId, r -> Collections.synchronizedList(new ArrayList<>()))
                    .add(new long[] {in, writtenMs - in});
        }
    }

    /** Triggered incidents whose alert has not (yet) been written, per rule: when each was triggered (s into the feed). */
    static synchronized Map<String, List<Long>> outstanding() {
        Map<String, List<Long>> out = new TreeMap<>();
        for (Map.Entry<String, Long> e : TRIGGERED.entrySet()) {
            String rule = e.getKey().substring(0, Math.max(0, e.getKey().indexOf('|')));
            out.computeIfAbsent(rule, r -> new ArrayList<>()).add((e.getValue() - firstFed) / 1000);
        }
        for (List<Long> l : out.values()) {
            Collections.sort(l);
        }
        return out;
    }

    /** The slowest {@code n} incidents triggered at or after {@code sinceMs}: {s into the feed, latency ms}. */
    static synchronized List<long[]> slowest(long sinceMs, int n) {
        List<long[]> all = new ArrayList<>();
        for (List<long[]> l : LATENCIES.values()) {
            synchronized (l) {
                for (long[] x : l) {
                    if (x[0] >= sinceMs) {
                        all.add(new long[] {(x[0] - firstFed) / 1000, x[1]});
                    }
                }
            }
        }
        all.sort((a, b) -> Long.compare(b[1], a[1]));
        return all.subList(0, Math.min(n, all.size()));
    }

    /** Latencies in ms per rule of the incidents triggered at or after {@code sinceMs}. */
    static Map<String, List<Long>> latencies(long sinceMs) {
        Map<String, List<Long>> copy = new TreeMap<>();
        for (Map.Entry<String, List<long[]>> e : LATENCIES.entrySet()) {
            List<Long> ms = new ArrayList<>();
            synchronized (e.getValue()) {
                for (long[] l : e.getValue()) {
                    if (l[0] >= sinceMs) {
                        ms.add(l[1]);
                    }
                }
            }
            copy.put(e.getKey(), ms);
        }
        return copy;
    }
}
