package io.vigil.parse;

import io.vigil.model.DeadLetter;
import io.vigil.model.Envelope;
import io.vigil.model.RawRecord;
import io.vigil.model.ReasonCode;
import io.vigil.metrics.MinuteRatio;
import io.vigil.metrics.VigilMetrics;
import io.vigil.config.Durations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
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
import org.apache.flink.streaming.api.operators.ChainingStrategy;
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
 *
 * <p>Event times that run ahead (docs/event-time.md): live, a valid event more than max-ahead past
 * its arrival is refused as {@link ReasonCode#FUTURE_TIME}. In replay, which has no arrival time, a
 * valid event more than max-ahead past its source's clock (or any, before the clock is set) is
 * held: once K held events (K = confirm-records) say the time is at least T (the K-th greatest held
 * time), the jump is confirmed and those up to T + max-ahead go out, in arrival order, as valid;
 * a held event that K records accepted at the old clock came after is refused as FUTURE_TIME. At
 * the end of the input, what is still held goes out valid unless a record contradicted it. So no
 * single record moves a source's clock, hence its watermark, lateness or the job's clock.
 */
public class ParseOperator extends AbstractStreamOperator<Envelope>
        implements OneInputStreamOperator<RawRecord, Envelope>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Dead letters held while a replayed source has shown no valid event yet. */
    static final int MAX_PENDING = 10_000;
    /**
     * Bytes of payload and detail held so (64 MiB): beyond this or {@link #MAX_PENDING}, the held
     * dead letters go out at the best time known then (see {@link #bestKnownTime}), never dropped.
     */
    static final long MAX_PENDING_BYTES = 64L << 20;

    private static final long NONE = Long.MIN_VALUE;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ParseOperator.class);

    private final long outOfOrdernessMs;
    private final long maxAheadMs;
    private final int confirmRecords;
    private final LongSupplier clock;
    /** github-actions records' signature secret, fetched in {@link #open}; null: not checked. */
    private WebhookSecretSource githubSecret;

    private transient RecordDecoder decoder;
    private transient Map<String, SourceProgress> sources;
    private transient List<Envelope> pending;
    private transient long pendingBytes;
    private transient Counter releasedEarly;
    private transient ListState<SourceClock> clockState;
    private transient ListState<Envelope> pendingState;
    private transient ListState<HeldEvent> heldState;

    public ParseOperator(long outOfOrdernessMs) {
        this(outOfOrdernessMs, (LongSupplier & java.io.Serializable) System::currentTimeMillis);
    }

    /** @param clock wall clock for the future-time check; must be serializable */
    public ParseOperator(long outOfOrdernessMs, LongSupplier clock) {
        this(outOfOrdernessMs, EventTimePolicy.DEFAULT_MAX_AHEAD.toMillis(), EventTimePolicy.DEFAULT_CONFIRM_RECORDS,
                clock);
    }

    /** A source's event-time policy: out-of-orderness, max-ahead and confirm-records. */
    public ParseOperator(EventTimePolicy policy) {
        this(policy.outOfOrderness().toMillis(), policy.maxAhead().toMillis(), policy.confirmRecords(),
                (LongSupplier & java.io.Serializable) System::currentTimeMillis);
    }

    /** @param clock wall clock for the decoder's one-day check; must be serializable */
    public ParseOperator(long outOfOrdernessMs, long maxAheadMs, int confirmRecords, LongSupplier clock) {
        if (confirmRecords < 1) {
            throw new IllegalArgumentException("confirm-records must be at least 1");
        }
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.maxAheadMs = maxAheadMs;
        this.confirmRecords = confirmRecords;
        this.clock = clock;
        // chained to its source: a raw record then never crosses a serializer
        this.chainingStrategy = ChainingStrategy.ALWAYS;
    }

    private transient MinuteRatio invalidRatio;

    /**
     * This operator, checking the X-Hub-Signature-256 of every github-actions record with the
     * secret {@code secret} names (fetched on the task manager when it opens); null checks none.
     */
    public ParseOperator verifyingGitHubWith(WebhookSecretSource secret) {
        this.githubSecret = secret;
        return this;
    }

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
        heldState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("held-ahead", TypeInformation.of(HeldEvent.class)));
        if (context.isRestored()) {
            for (SourceClock c : clockState.get()) {
                SourceProgress p = progress(c.source);
                p.maxValid = Math.max(p.maxValid, c.maxValidTime);
            }
            for (Envelope e : pendingState.get()) {
                pending.add(e);
                pendingBytes += heldBytes(e);
            }
            for (HeldEvent h : heldState.get()) {
                held(h.raw.source).add(h);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        decoder = new RecordDecoder(clock);
        if (githubSecret != null) {
            decoder.verifyGitHubWith(new WebhookSignature(githubSecret.secret()));
        }
        invalidRatio = new MinuteRatio();
        releasedEarly = VigilMetrics.root(getMetricGroup()).counter(VigilMetrics.HELD_DEAD_LETTERS_RELEASED_EARLY);
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
        List<HeldEvent> allHeld = new ArrayList<>();
        for (SourceProgress p : sources.values()) {
            allHeld.addAll(p.held);
        }
        heldState.update(allHeld);
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
        if (env.isValid()) {
            if (raw.receivedAt != RawRecord.NO_RECEIVE_TIME) {
                if (EventTimePolicy.aheadOfArrival(env.eventTime, raw.receivedAt, maxAheadMs)) {
                    refuse(p, raw, env, Durations.format(env.eventTime - raw.receivedAt) + " ahead of its arrival "
                            + EventTimes.render(raw.receivedAt) + " (event-time.max-ahead " + Durations.format(maxAheadMs) + ")");
                } else {
                    accept(p, env);
                }
            } else if (p.maxValid != NONE && env.eventTime - maxAheadMs <= p.maxValid) {
                accept(p, env);
                settle(p, true);
            } else {
                p.held.add(new HeldEvent(raw, env));
                confirm(p);
            }
            return;
        }
        invalidRatio.record(true, getProcessingTimeService().getCurrentProcessingTime());
        p.invalid.inc();
        p.reason(env.deadLetter.reason).inc();
        if (env.eventTime != InvalidRecordException.NO_TIME
                && (EventTimePolicy.aheadOfArrival(env.eventTime, raw.receivedAt, maxAheadMs)
                        || p.maxValid != NONE && env.eventTime - maxAheadMs > p.maxValid)) {
            env.eventTime = InvalidRecordException.NO_TIME; // its own time runs ahead: not usable either
        }
        if (env.eventTime == InvalidRecordException.NO_TIME) {
            if (p.maxValid != NONE) {
                env.eventTime = p.maxValid;
            } else if (raw.receivedAt != RawRecord.NO_RECEIVE_TIME) {
                env.eventTime = raw.receivedAt;
            } else {
                pending.add(env);
                pendingBytes += heldBytes(env);
                if (pending.size() < MAX_PENDING && pendingBytes <= MAX_PENDING_BYTES) {
                    return;
                }
                // bounded memory: out now, at the best time known, rather than held any longer
                releasedEarly.inc(pending.size());
                releasePending(bestKnownTime());
                return;
            }
        }
        emit(p, env);
    }

    private void accept(SourceProgress p, Envelope env) {
        invalidRatio.record(false, getProcessingTimeService().getCurrentProcessingTime());
        p.valid.inc();
        p.noted(env);
        if (p.maxValid == NONE && !pending.isEmpty()) {
            releasePending(env.eventTime);
        }
        emit(p, env);
        p.maxValid = Math.max(p.maxValid, env.eventTime);
    }

    /** Refuses a valid event whose time runs ahead; it counts at the source's clock (or its arrival). */
    private void refuse(SourceProgress p, RawRecord raw, Envelope env, String why) {
        invalidRatio.record(true, getProcessingTimeService().getCurrentProcessingTime());
        p.invalid.inc();
        p.reason(ReasonCode.FUTURE_TIME).inc();
        long at = p.maxValid != NONE ? p.maxValid : raw.receivedAt;
        emit(p, RecordDecoder.refused(raw, ReasonCode.FUTURE_TIME, "event time "
                + EventTimes.render(env.eventTime) + " is " + why, at));
    }

    /**
     * Replay, after the source's clock moved: releases held events now within max-ahead of it (in
     * arrival order); then, if {@code vote}, counts the record just accepted against the rest and
     * refuses those that {@link #confirmRecords} records have contradicted.
     */
    private void settle(SourceProgress p, boolean vote) {
        for (int i = 0; i < p.held.size(); ) {
            HeldEvent h = p.held.get(i);
            if (h.event.eventTime - maxAheadMs <= p.maxValid) {
                p.held.remove(i);
                accept(p, h.event);
                i = 0; // the clock moved: earlier ones may be within reach now
            } else {
                i++;
            }
        }
        if (!vote) {
            return;
        }
        for (Iterator<HeldEvent> it = p.held.iterator(); it.hasNext(); ) {
            HeldEvent h = it.next();
            if (++h.against >= confirmRecords) {
                it.remove();
                refuse(p, h.raw, h.event, aheadOfClock(p, h) + " and the " + confirmRecords
                        + " records after it stayed behind" + limits());
            }
        }
    }

    /**
     * Replay: once {@link #confirmRecords} events are held, they say the time is at least the K-th
     * greatest of their times, T: those up to T + max-ahead go out as valid. A lone outlier among
     * them stays held; it does not take part in T unless K events agree with it.
     */
    private void confirm(SourceProgress p) {
        if (p.held.size() < confirmRecords) {
            return;
        }
        long[] times = new long[p.held.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = p.held.get(i).event.eventTime;
        }
        Arrays.sort(times);
        long reach = times[times.length - confirmRecords];
        for (Iterator<HeldEvent> it = p.held.iterator(); it.hasNext(); ) {
            HeldEvent h = it.next();
            if (h.event.eventTime - maxAheadMs <= reach) {
                it.remove();
                accept(p, h.event);
            }
        }
        settle(p, false);
    }

    /**
     * End of a bounded input: no record will confirm or refute what is held. An event no record
     * contradicted goes out valid (a sparse source's last records, a small file); one that records
     * at the old clock came after is refused.
     */
    private void decideHeld() {
        for (SourceProgress p : sources.values()) {
            while (!p.held.isEmpty()) {
                HeldEvent h = p.held.remove(0);
                if (h.against == 0 || p.maxValid == NONE) {
                    accept(p, h.event);
                } else {
                    refuse(p, h.raw, h.event, aheadOfClock(p, h) + " " + h.against
                            + " records after it stayed behind and the input ended unconfirmed" + limits());
                }
            }
        }
    }

    private static String aheadOfClock(SourceProgress p, HeldEvent h) {
        return Durations.format(h.event.eventTime - p.maxValid) + " ahead of its source's clock "
                + EventTimes.render(p.maxValid) + ";";
    }

    private String limits() {
        return " (event-time.max-ahead " + Durations.format(maxAheadMs) + ", event-time.confirm-records "
                + confirmRecords + ")";
    }

    /** Events held across all sources (for tests: none may be left once an input has ended). */
    int heldEvents() {
        int n = 0;
        for (SourceProgress p : sources.values()) {
            n += p.held.size();
        }
        return n;
    }

    private List<HeldEvent> held(String source) {
        return progress(source).held;
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
        pendingBytes = 0;
    }

    /** What a held dead letter costs: its payload and detail (chars, as held on the heap). */
    private static long heldBytes(Envelope e) {
        DeadLetter d = e.deadLetter;
        return 64 + (d.payload == null ? 0 : 2L * d.payload.length()) + (d.detail == null ? 0 : 2L * d.detail.length());
    }

    /** The greatest valid event time this subtask has seen on any source; epoch 0 before any. */
    private long bestKnownTime() {
        long best = 0;
        for (SourceProgress p : sources.values()) {
            best = Math.max(best, p.maxValid);
        }
        return best;
    }

    /**
     * A bounded input's final watermark comes before {@link #endInput}: held dead letters go out
     * ahead of it, or every event-time operator downstream (tally, windows, rules) would get them
     * after the end of time, and drop them.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            decideHeld();
            releasePending(0);
        }
        super.processWatermark(mark);
    }

    @Override
    public void endInput() {
        decideHeld();
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
        /** Replay: valid events ahead of {@link #maxValid}, in arrival order (fewer than confirm-records). */
        final List<HeldEvent> held = new ArrayList<>();

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
