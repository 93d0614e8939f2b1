package io.vigil.cep;

import java.io.IOException;
import java.util.ArrayList;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

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

    /** Events and matches are not changed once made: a copy shares them and copies the arrays. */
    @Override
    public RunState copy(RunState from) {
        RunState s = new RunState();
        s.pendingTs = from.pendingTs.clone();
        s.pending = from.pending.clone();
        s.pendingCount = from.pendingCount;
        s.wakeAt = from.wakeAt;
        s.nextSeq = from.nextSeq;
        s.seq = from.seq.clone();
        s.ts = from.ts.clone();
        s.events = from.events.clone();
        s.count = from.count;
        s.runLo = from.runLo;
        s.waitStart = from.waitStart.clone();
        s.waitLength = from.waitLength.clone();
        s.waitCount = from.waitCount;
        s.held = from.held == null ? null : new ArrayList<>(from.held);
        return s;
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
        out.writeInt(s.count);
        for (int i = 0; i < s.count; i++) {
            out.writeLong(s.seq[i]);
            out.writeLong(s.ts[i]);
            EVENTS.serialize(s.events[i], out);
        }
        out.writeInt(s.runLo);
        out.writeInt(s.waitCount);
        for (int i = 0; i < s.waitCount; i++) {
            out.writeInt(s.waitStart[i]);
            out.writeInt(s.waitLength[i]);
        }
        int held = s.held == null ? 0 : s.held.size();
        out.writeInt(held);
        for (int i = 0; i < held; i++) {
            RunState.Held h = s.held.get(i);
            out.writeLong(h.startSeq);
            out.writeLong(h.lastSeq);
            writeMatch(h.match, out);
        }
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
        s.runLo = in.readInt();
        int waits = in.readInt();
        s.waitStart = new int[waits];
        s.waitLength = new int[waits];
        for (int i = 0; i < waits; i++) {
            s.waitStart[i] = in.readInt();
            s.waitLength[i] = in.readInt();
        }
        s.waitCount = waits;
        int held = in.readInt();
        if (held > 0) {
            s.held = new ArrayList<>(held);
            for (int i = 0; i < held; i++) {
                long start = in.readLong();
                long last = in.readLong();
                s.held.add(new RunState.Held(start, last, readMatch(in)));
            }
        }
        return s;
    }

    private static void writeMatch(PatternMatch m, DataOutputView out) throws IOException {
        StringValue.writeString(m.ruleId, out);
        StringValue.writeString(m.entity, out);
        StringValue.writeString(m.key, out);
        out.writeLong(m.eventTime);
        out.writeLong(m.firstEventTime);
        out.writeInt(m.events);
        StringValue.writeString(m.summary, out);
    }

    private static PatternMatch readMatch(DataInputView in) throws IOException {
        PatternMatch m = new PatternMatch();
        m.ruleId = StringValue.readString(in);
        m.entity = StringValue.readString(in);
        m.key = StringValue.readString(in);
        m.eventTime = in.readLong();
        m.firstEventTime = in.readLong();
        m.events = in.readInt();
        m.summary = StringValue.readString(in);
        return m;
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
