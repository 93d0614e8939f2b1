package io.vigil.rules;

import io.vigil.model.Envelope;
import io.vigil.model.Family;
import io.vigil.model.SourceCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * In front of the rule router, chained after parsing: passes every envelope on for the entity
 * rules, and sums each source's records per second of event time for the source-level rules
 * ({@link KeyFamily#SOURCE}: staleness, invalid rates), which then see one summary per source,
 * second and subtask instead of every record, and no longer pile every record of a busy source
 * onto the one evaluator subtask that owns its key. A second's summary goes out, in time order,
 * before the watermark that passes its end, so the evaluator has it before any deadline or window
 * end it bears on; the first and last times keep every gap between records longer than a second.
 */
public class SourceDigest extends AbstractStreamOperator<Envelope> implements OneInputStreamOperator<Envelope, Envelope> {
    private static final long serialVersionUID = 1L;
    /** One summary per source and second: source-level thresholds and intervals are whole seconds. */
    public static final long SECOND_MS = 1000;

    /** (second, source, family) → counts, in time order. */
    private transient TreeMap<Long, Map<String, Pending>> pending;
    private transient ListState<Pending> state;

    /** The counts of one source and second, checkpointed until they go out. */
    public static class Pending {
        public String source;
        public Family family;
        public long second;
        public SourceCounts counts;

        public Pending() {}
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("source-digest", TypeInformation.of(Pending.class)));
        pending = new TreeMap<>();
        for (Pending p : state.get()) {
            pending.computeIfAbsent(p.second, s -> new java.util.HashMap<>()).put(p.source + "\u0000" + p.family, p);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<Pending> all = new ArrayList<>();
        for (Map<String, Pending> m : pending.values()) {
            all.addAll(m.values());
        }
        state.update(all);
    }

    @Override
    public void processElement(StreamRecord<Envelope> element) {
        Envelope e = element.getValue();
        output.collect(element);
        long second = e.eventTime - Math.floorMod(e.eventTime, SECOND_MS);
        Map<String, Pending> bySource = pending.computeIfAbsent(second, s -> new java.util.HashMap<>(4));
        String key = e.source + "\u0000" + e.family;
        Pending p = bySource.get(key);
        if (p == null) {
            p = new Pending();
            p.source = e.source;
            p.family = e.family;
            p.second = second;
            p.counts = SourceCounts.of(e);
            bySource.put(key, p);
        } else {
            p.counts.add(e);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long w = mark.getTimestamp();
        while (!pending.isEmpty() && (w == Long.MAX_VALUE || pending.firstKey() + SECOND_MS - 1 <= w)) {
            for (Pending p : pending.pollFirstEntry().getValue().values()) {
                output.collect(new StreamRecord<>(Envelope.of(p.source, p.family, p.counts), p.counts.last));
            }
        }
        super.processWatermark(mark);
    }

    /** Seconds not yet sent (for tests: bounded by the out-of-orderness). */
    int secondsPending() {
        return pending.size();
    }
}
