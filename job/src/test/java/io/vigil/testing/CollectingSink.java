package io.vigil.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * A sink for MiniCluster tests that keeps what it receives in this JVM, under a name: unbounded
 * jobs are watched through {@link #received} while they run. At-least-once: records replayed
 * after a restart are received again.
 */
public final class CollectingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, List<Object>> RECEIVED = new ConcurrentHashMap<>();

    private final String name;

    public CollectingSink(String name) {
        this.name = name;
        RECEIVED.put(name, new CopyOnWriteArrayList<>());
    }

    @SuppressWarnings("unchecked")
    public List<T> received() {
        return (List<T>) (List<?>) RECEIVED.get(name);
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) {
        List<Object> into = RECEIVED.get(name);
        return new SinkWriter<T>() {
            @Override
            public void write(T element, Context context) {
                into.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
