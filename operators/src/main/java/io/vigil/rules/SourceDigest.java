package io.vigil.rules;

import io.vigil.model.Envelope;
import io.vigil.model.Family;
import io.vigil.model.SourceCounts;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * In front of the rule router, chained after parsing: passes every envelope on for the entity
 * rules, and sums each source's records per second of event time for the source-level rules
 * ({@link KeyFamily#SOURCE}: staleness, invalid rates), which then see one summary per source,
 * second and subtask instead of every record, and no longer pile every record of a busy source
 * onto the one evaluator subtask that owns its key. A second's summary goes out before the
 * watermark that passes its end, so the evaluator has it before any deadline or window end it bears
 * on; the first and last times keep every gap between records longer than a second. Summaries go out
 * in the order their seconds first arrived, as the records would have: dead letters that count at a
 * stand-in time (epoch 0 on a source with no valid event, released at the end of a replay) then
 * come after the records with times of their own, and do not open a silence of decades before them.
 */
public class SourceDigest extends AbstractStreamOperator<Envelope> implements OneInputStreamOperator<Envelope, Envelope> {
    private static final long serialVersionUID = 1L;
    /** One summary per source and second: source-level thresholds and intervals are whole seconds. */
    public static final long SECOND_MS = 1000;

    /** (second, source, family) → counts, in the order the seconds first arrived. */
    private transient LinkedHashMap<Slot, Pending> pending;
    private transient ListState<Pending> state;

    public SourceDigest() {
        // AbstractStreamOperator defaults to HEAD: unchained, every envelope would be serialized to it
        this.chainingStrategy = ChainingStrategy.ALWAYS;
    }

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
        pending = new LinkedHashMap<>();
        for (Pending p : state.get()) {
            pending.put(new Slot(p.second, p.source, p.family), p);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(new ArrayList<>(pending.values()));
    }

    @Override
    public void processElement(StreamRecord<Envelope> element) {
        Envelope e = element.getValue();
        output.collect(element);
        long second = e.eventTime - Math.floorMod(e.eventTime, SECOND_MS);
        Slot key = new Slot(second, e.source, e.family);
        Pending p = pending.get(key);
        if (p == null) {
            p = new Pending();
            p.source = e.source;
            p.family = e.family;
            p.second = second;
            p.counts = SourceCounts.of(e);
            pending.put(key, p);
        } else {
            p.counts.add(e);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long w = mark.getTimestamp();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (w == Long.MAX_VALUE || p.second + SECOND_MS - 1 <= w || p.second + SECOND_MS - 1 < p.second) {
                output.collect(new StreamRecord<>(Envelope.of(p.source, p.family, p.counts), p.counts.last));
                it.remove();
            }
        }
        super.processWatermark(mark);
    }

    /** Seconds not yet sent, over all sources (for tests: bounded by the out-of-orderness). */
    int secondsPending() {
        return pending.size();
    }

    /**
     * The key of a pending summary. A string key built per record was a fifth of this operator's
     * CPU (JFR); a source's name is one string per input, its hash computed once.
     */
    private static final class Slot {
        final long second;
        final String source;
        final Family family;

        Slot(long second, String source, Family family) {
            this.second = second;
            this.source = source;
            this.family = family;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Slot)) {
                return false;
            }
            Slot s = (Slot) o;
            return second == s.second && family == s.family && java.util.Objects.equals(source, s.source);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(second) * 31 + java.util.Objects.hashCode(source)) * 31
                    + (family == null ? 0 : family.ordinal());
        }
    }
}
