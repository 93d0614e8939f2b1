package io.vigil.source;

import io.vigil.model.Envelope;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops redelivered OpenLineage run events of an at-least-once input (Pub/Sub): an event whose id
 * was seen in the last {@code ttl} of processing time is not passed on again.
 *
 * <p>A run event's id is its runId, eventType and eventTime, so a publisher's retry (a new message
 * with the same event) is caught as well as a redelivery. A dead letter has no event id: it is known
 * by its message id (its origin), which a redelivery keeps. Keyed by runId (dead letters by message
 * id), so a run's events keep their order. Every id is forgotten by a timer {@code ttl} after it
 * was first seen, so the state holds at most the ids of the last {@code ttl}.
 */
public class DuplicateFilter extends KeyedProcessFunction<String, Envelope, Envelope> {
    private static final long serialVersionUID = 1L;

    /** Timers are rounded up to this, so a burst of new ids shares one timer per key and second. */
    static final long TIMER_GRANULARITY_MS = 1000;

    private final long ttlMs;
    /** id within the key → processing time at which it is forgotten. */
    private transient MapState<String, Long> seen;
    private transient Counter dropped;

    public DuplicateFilter(Duration ttl) {
        this.ttlMs = ttl.toMillis();
    }

    /** Run events by runId, dead letters by message id. */
    public static KeySelector<Envelope, String> key() {
        return e -> e.run != null ? "run:" + e.run.runId
                : e.lineage != null ? "lineage:" + lineageKey(e.lineage)
                : e.deadLetter != null ? "msg:" + e.deadLetter.origin
                : "source:" + e.source; // not reached: the filter runs on OpenLineage inputs only
    }

    /** A DatasetEvent by its dataset, a JobEvent by its job: a redelivery repeats both and the time. */
    private static String lineageKey(io.vigil.model.LineageEvent l) {
        return l.jobName != null ? "job:" + l.jobNamespace + "/" + l.jobName
                : l.datasets.length > 0 ? "dataset:" + l.datasets[0].qualifiedName() : "";
    }

    @Override
    public void open(Configuration parameters) {
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen-ids", Types.STRING, Types.LONG));
        dropped = io.vigil.metrics.VigilMetrics.root(getRuntimeContext().getMetricGroup())
                .counter(io.vigil.metrics.VigilMetrics.DUPLICATES_DROPPED);
    }

    @Override
    public void processElement(Envelope e, Context ctx, Collector<Envelope> out) throws Exception {
        String id = e.run != null ? e.run.eventType + "@" + e.run.eventTime
                : e.lineage != null ? "@" + e.lineage.eventTime : "";
        if (seen.contains(id)) {
            dropped.inc();
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        long forgetAt = ((now + ttlMs) / TIMER_GRANULARITY_MS + 1) * TIMER_GRANULARITY_MS;
        seen.put(id, forgetAt);
        ctx.timerService().registerProcessingTimeTimer(forgetAt);
        out.collect(e);
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<Envelope> out) throws Exception {
        Iterator<Map.Entry<String, Long>> it = seen.iterator();
        while (it.hasNext()) {
            if (it.next().getValue() <= time) {
                it.remove();
            }
        }
        if (seen.isEmpty()) {
            seen.clear();
        }
    }
}
