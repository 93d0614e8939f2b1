package io.vigil.parse;

import io.vigil.model.Envelope;
import io.vigil.model.RawRecord;
import io.vigil.model.ReasonCode;
import io.vigil.metrics.MinuteRatio;
import io.vigil.metrics.VigilMetrics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Parses and validates raw records into envelopes, assigns every dead letter the event time it
 * counts at, and flags events behind their source's out-of-orderness bound as late.
 *
 * <p>Where a dead letter counts: at its own event time when it had a usable one; otherwise at the
 * greatest valid event time seen on its source; before any, at its arrival time. Replayed records
 * have no arrival time, so those are held until the source's first valid event and counted at its
 * time (or at epoch 0 for a source that never yields one), which keeps replay deterministic.
 *
 * <p>Lateness is judged here, per record, against the same bound the watermark uses, rather than
 * against the periodically emitted watermark: the verdict then depends only on input order.
 */
public class ParseOperator extends AbstractStreamOperator<Envelope>
        implements OneInputStreamOperator<RawRecord, Envelope>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Dead letters held while a replayed source has shown no valid event yet. */
    static final int MAX_PENDING = 10_000;

    private static final long NONE = Long.MIN_VALUE;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ParseOperator.class);

    private final long outOfOrdernessMs;
    private final LongSupplier clock;

    private transient RecordDecoder decoder;
    private transient Map<String, SourceProgress> sources;
    private transient List<Envelope> pending;
    private transient ListState<SourceClock> clockState;
    private transient ListState<Envelope> pendingState;

    public ParseOperator(long outOfOrdernessMs) {
        this(outOfOrdernessMs, (LongSupplier & java.io.Serializable) System::currentTimeMillis);
    }

    /** @param clock wall clock for the future-time check; must be serializable */
    public ParseOperator(long outOfOrdernessMs, LongSupplier clock) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.clock = clock;
    }

    private transient MinuteRatio invalidRatio;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        sources = new HashMap<>();
        pending = new ArrayList<>();
        // Union state: after rescaling every subtask learns every source's progress.
        clockState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("source-clocks", TypeInformation.of(SourceClock.class)));
        pendingState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("pending-dead-letters", TypeInformation.of(Envelope.class)));
        if (context.isRestored()) {
            for (SourceClock c : clockState.get()) {
                SourceProgress p = progress(c.source);
                p.maxValid = Math.max(p.maxValid, c.maxValidTime);
            }
            for (Envelope e : pendingState.get()) {
                pending.add(e);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        decoder = new RecordDecoder(clock);
        invalidRatio = new MinuteRatio();
        // read from the metric reporter's thread; a stale double is harmless
        VigilMetrics.root(getMetricGroup()).gauge(VigilMetrics.INVALID_RECORD_RATIO, invalidRatio);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<SourceClock> clocks = new ArrayList<>(sources.size());
        for (Map.Entry<String, SourceProgress> e : sources.entrySet()) {
            if (e.getValue().maxValid != NONE) {
                clocks.add(new SourceClock(e.getKey(), e.getValue().maxValid));
            }
        }
        clockState.update(clocks);
        pendingState.update(pending);
    }

    @Override
    public void processElement(StreamRecord<RawRecord> element) throws Exception {
        RawRecord raw = element.getValue();
        Envelope env = decoder.decode(raw);
        if (env == null) {
            return; // a header line: not a record
        }
        SourceProgress p = progress(raw.source);
        p.read.inc();
        invalidRatio.record(!env.isValid(), getProcessingTimeService().getCurrentProcessingTime());
        if (env.isValid()) {
            p.valid.inc();
            p.noted(env);
            if (p.maxValid == NONE && !pending.isEmpty()) {
                releasePending(env.eventTime);
            }
            emit(p, env);
            p.maxValid = Math.max(p.maxValid, env.eventTime);
            return;
        }
        p.invalid.inc();
        p.reason(env.deadLetter.reason).inc();
        if (env.eventTime == InvalidRecordException.NO_TIME) {
            if (p.maxValid != NONE) {
                env.eventTime = p.maxValid;
            } else if (raw.receivedAt != RawRecord.NO_RECEIVE_TIME) {
                env.eventTime = raw.receivedAt;
            } else if (pending.size() < MAX_PENDING) {
                pending.add(env);
                return;
            } else {
                env.eventTime = 0;
            }
        }
        emit(p, env);
    }

    private void emit(SourceProgress p, Envelope env) {
        if (p.maxValid != NONE && env.eventTime < p.maxValid - outOfOrdernessMs) {
            env.late = true;
            p.late.inc();
        }
        if (env.deadLetter != null && env.deadLetter.receivedAt == RawRecord.NO_RECEIVE_TIME) {
            env.deadLetter.receivedAt = env.eventTime;
        }
        output.collect(new StreamRecord<>(env));
    }

    private void releasePending(long at) {
        for (Envelope e : pending) {
            e.eventTime = at;
            emit(progress(e.source), e);
        }
        pending.clear();
    }

    /**
     * A bounded input's final watermark comes before {@link #endInput}: held dead letters go out
     * ahead of it, or every event-time operator downstream (tally, windows, rules) would get them
     * after the end of time, and drop them.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            releasePending(0);
        }
        super.processWatermark(mark);
    }

    @Override
    public void endInput() {
        // A replayed source that never produced a valid event has no time axis: epoch 0.
        releasePending(0);
    }

    private SourceProgress progress(String source) {
        SourceProgress p = sources.get(source);
        if (p == null) {
            p = new SourceProgress(VigilMetrics.root(getMetricGroup()).addGroup("source", source));
            sources.put(source, p);
        }
        return p;
    }

    /** Counters and event-time progress of one source, as seen by this subtask. */
    private static final class SourceProgress {
        final MetricGroup group;
        final Counter read;
        final Counter valid;
        final Counter invalid;
        final Counter late;
        final Map<ReasonCode, Counter> byReason = new EnumMap<>(ReasonCode.class);
        /** Counters of {@link io.vigil.model.ReadNotes}, registered on first use. */
        final Map<String, Counter> notes = new HashMap<>();
        long maxValid = NONE;

        SourceProgress(MetricGroup group) {
            this.group = group;
            this.read = group.counter(VigilMetrics.RECORDS_READ);
            this.valid = group.counter(VigilMetrics.RECORDS_VALID);
            this.invalid = group.counter(VigilMetrics.RECORDS_INVALID);
            this.late = group.counter(VigilMetrics.RECORDS_LATE);
        }

        /** Counts what a valid record's parser read leniently or left unread. */
        void noted(Envelope env) {
            if (env.lineage != null) {
                lineage().inc();
            }
            io.vigil.model.ReadNotes n = env.notes;
            if (n == null) {
                return;
            }
            if (n.zonelessTime) {
                counter(VigilMetrics.RECORDS_ZONELESS_TIME).inc();
            }
            if (n.unreadableFacets > 0) {
                Counter c = counter(VigilMetrics.UNREADABLE_FACETS);
                long before = c.getCount();
                c.inc(n.unreadableFacets);
                // logged at 1, 2, 4, 8, ... per source: seen, but bounded on a hostile stream
                if (Long.highestOneBit(c.getCount()) > before) {
                    LOG.warn("unreadable OpenLineage facet ({} so far on this source): {}",
                            c.getCount(), n.unreadableDetail);
                }
            }
            if (n.datasetsDropped > 0) {
                counter(VigilMetrics.DATASETS_DROPPED).inc(n.datasetsDropped);
            }
            if (n.assertionsDropped > 0) {
                counter(VigilMetrics.ASSERTIONS_DROPPED).inc(n.assertionsDropped);
            }
        }

        private Counter lineage() {
            return counter(VigilMetrics.LINEAGE_EVENTS);
        }

        private Counter counter(String name) {
            return notes.computeIfAbsent(name, group::counter);
        }

        Counter reason(ReasonCode r) {
            return byReason.computeIfAbsent(
                    r, k -> group.addGroup("reason", k.name()).counter(VigilMetrics.RECORDS_INVALID));
        }
    }
}
