package io.vigil.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;

/**
 * Per-source counters of the embedded job, for the status line of {@code vigil run}. Filled by
 * {@link StatusReporter}, which Flink instantiates inside this same JVM (the local MiniCluster);
 * a process-wide board is how a reporter hands metrics out, as the JMX reporter does.
 */
public final class StatusBoard {
    static final String READ = "recordsRead";
    static final String INVALID = "recordsInvalid";
    static final String LATE = "recordsLate";

    private static final Map<String, List<Counter>> COUNTERS = new ConcurrentHashMap<>();

    private StatusBoard() {}

    static void add(String source, String metric, Counter c) {
        COUNTERS.computeIfAbsent(source + "\u0000" + metric, k -> new CopyOnWriteArrayList<>()).add(c);
    }

    static void remove(String source, String metric, Counter c) {
        List<Counter> l = COUNTERS.get(source + "\u0000" + metric);
        if (l != null) {
            l.remove(c);
        }
    }

    /** Source → metric → count summed over subtasks, sources in name order. */
    public static Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (Map.Entry<String, List<Counter>> e : COUNTERS.entrySet()) {
            String[] k = e.getKey().split("\u0000", 2);
            long sum = 0;
            for (Counter c : e.getValue()) {
                sum += c.getCount();
            }
            out.computeIfAbsent(k[0], x -> new TreeMap<>()).put(k[1], sum);
        }
        return out;
    }
}
