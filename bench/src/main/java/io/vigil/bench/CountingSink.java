package io.vigil.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Discards what it receives and counts it under a name, so a run can show that every record got
 * through (and how many results a rule produced) at the cost of an increment per record. Counts
 * are added up in this JVM when the writers flush (each checkpoint and the end of input).
 */
final class CountingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    private final String name;

    CountingSink(String name) {
        this.name = name;
        COUNTS.computeIfAbsent(name, n -> new AtomicLong());
    }

    /** Records counted under {@code name} so far. */
    static long count(String name) {
        AtomicLong c = COUNTS.get(name);
        return c == null ? 0 : c.get();
    }

    /** Every count whose name starts with {@code prefix}, by name. */
    static Map<String, Long> counts(String prefix) {
        Map<String, Long> out = new TreeMap<>();
        for (Map.Entry<String, AtomicLong> e : COUNTS.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue().get());
            }
        }
        return out;
    }

    static void clear() {
        COUNTS.clear();
    }

    @Override
    @Deprecated
    public SinkWriter<T> createWriter(InitContext context) {
        return new Writer<>(COUNTS.computeIfAbsent(name, n -> new AtomicLong()));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(COUNTS.computeIfAbsent(name, n -> new AtomicLong()));
    }

    /** Counts locally; the shared counter is touched only on flush. */
    private static final class Writer<T> implements SinkWriter<T> {
        private final AtomicLong total;
        private long pending;

        Writer(AtomicLong total) {
            this.total = total;
        }

        @Override
        public void write(T element, Context context) {
            pending++;
        }

        @Override
        public void flush(boolean endOfInput) {
            total.addAndGet(pending);
            pending = 0;
        }

        @Override
        public void close() {
            flush(true);
        }
    }
}
