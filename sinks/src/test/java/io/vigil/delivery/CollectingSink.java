package io.vigil.delivery;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Keeps a MiniCluster job's delivery records in this JVM as they are emitted, by run name, so a
 * test can watch a running job. Parallelism 1 keeps the operator's order.
 */
final class CollectingSink implements Sink<DeliveryRecord> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Queue<DeliveryRecord>> RUNS = new ConcurrentHashMap<>();

    private final String run;

    CollectingSink(String run) {
        this.run = run;
        RUNS.put(run, new ConcurrentLinkedQueue<>());
    }

    static Queue<DeliveryRecord> records(String run) {
        return RUNS.get(run);
    }

    @Override
    @Deprecated
    public SinkWriter<DeliveryRecord> createWriter(InitContext context) {
        return writer();
    }

    @Override
    public SinkWriter<DeliveryRecord> createWriter(WriterInitContext context) {
        return writer();
    }

    private SinkWriter<DeliveryRecord> writer() {
        Queue<DeliveryRecord> out = RUNS.get(run);
        return new SinkWriter<DeliveryRecord>() {
            @Override
            public void write(DeliveryRecord r, Context context) {
                out.add(r);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
