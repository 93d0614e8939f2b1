package io.vigil.cep;

import java.io.IOException;
import java.util.PriorityQueue;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link RunState} field by field, its events with {@link PatternEventSerializer}: the
 * state of {@link RunMatchOperator}, never Kryo. A layout change needs a new snapshot version.
 */
public final class RunStateSerializer extends TypeSerializerSingleton<RunState> {
    private static final long serialVersionUID = 1L;
    static final RunStateSerializer INSTANCE = new RunStateSerializer();
    private static final PatternEventSerializer EVENTS = PatternEventSerializer.INSTANCE;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public RunState createInstance() {
        return new RunState();
    }

    /**
     * Events and partial matches are not changed once made: a copy shares them and copies the
     * arrays and queues (a queue copied element by element in its order keeps its layout).
     */
    @Override
    public RunState copy(RunState from) {
        RunState s = new RunState();
        s.pendingTs = from.pendingTs.clone();
        s.pending = from.pending.clone();
        s.pendingCount = from.pendingCount;
        s.wakeAt = from.wakeAt;
        s.nextSeq = from.nextSeq;
        s.base = from.base;
        s.seq = from.seq.clone();
        s.ts = from.ts.clone();
        s.events = from.events.clone();
        s.count = from.count;
        s.partials = copy(from.partials);
        s.completed = copy(from.completed);
        return s;
    }

    private static PriorityQueue<RunState.Partial> copy(PriorityQueue<RunState.Partial> q) {
        if (q == null) {
            return null;
        }
        PriorityQueue<RunState.Partial> c = new PriorityQueue<>(RunState.ORDER);
        for (RunState.Partial p : q) {
            c.add(p);
        }
        return c;
    }

    @Override
    public RunState copy(RunState from, RunState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RunState s, DataOutputView out) throws IOException {
        out.writeInt(s.pendingCount);
        for (int i = 0; i < s.pendingCount; i++) {
            out.writeLong(s.pendingTs[i]);
            EVENTS.serialize(s.pending[i], out);
        }
        out.writeLong(s.wakeAt);
        out.writeLong(s.nextSeq);
        out.writeLong(s.base);
        out.writeInt(s.count);
        for (int i = 0; i < s.count; i++) {
            out.writeLong(s.seq[i]);
            out.writeLong(s.ts[i]);
            EVENTS.serialize(s.events[i], out);
        }
        writeQueue(s.partials, out);
        writeQueue(s.completed, out);
    }

    /** In the queue's own order: adding them back one by one rebuilds the same layout, as CEP's NFA state serializer relies on. */
    private static void writeQueue(PriorityQueue<RunState.Partial> q, DataOutputView out) throws IOException {
        out.writeInt(q == null ? -1 : q.size());
        if (q == null) {
            return;
        }
        for (RunState.Partial p : q) {
            out.writeByte(p.kind);
            out.writeLong(p.startTs);
            out.writeLong(p.startSeq);
            out.writeLong(p.first);
            out.writeInt(p.taken);
            out.writeBoolean(p.last != null);
            if (p.last != null) {
                EVENTS.serialize(p.last, out);
            }
            out.writeLong(p.lastTs);
            out.writeLong(p.lastSeq);
        }
    }

    private static PriorityQueue<RunState.Partial> readQueue(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        PriorityQueue<RunState.Partial> q = new PriorityQueue<>(RunState.ORDER);
        for (int i = 0; i < n; i++) {
            byte kind = in.readByte();
            long startTs = in.readLong();
            long startSeq = in.readLong();
            long first = in.readLong();
            int taken = in.readInt();
            PatternEvent last = in.readBoolean() ? EVENTS.deserialize(in) : null;
            q.add(new RunState.Partial(kind, startTs, startSeq, first, taken, last, in.readLong(), in.readLong()));
        }
        return q;
    }

    @Override
    public RunState deserialize(DataInputView in) throws IOException {
        RunState s = new RunState();
        int pending = in.readInt();
        s.pendingTs = new long[Math.max(2, pending)];
        s.pending = new PatternEvent[s.pendingTs.length];
        for (int i = 0; i < pending; i++) {
            s.pendingTs[i] = in.readLong();
            s.pending[i] = EVENTS.deserialize(in);
        }
        s.pendingCount = pending;
        s.wakeAt = in.readLong();
        s.nextSeq = in.readLong();
        s.base = in.readLong();
        int count = in.readInt();
        s.seq = new long[count];
        s.ts = new long[count];
        s.events = new PatternEvent[count];
        for (int i = 0; i < count; i++) {
            s.seq[i] = in.readLong();
            s.ts[i] = in.readLong();
            s.events[i] = EVENTS.deserialize(in);
        }
        s.count = count;
        s.partials = readQueue(in);
        s.completed = readQueue(in);
        return s;
    }

    @Override
    public RunState deserialize(RunState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<RunState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint or savepoint. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RunState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
